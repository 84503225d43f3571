using System.Text;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.Cases;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>
/// <c>/console/holidays</c>: which State Council holiday years the calendar holds, the warning for a missing one, and for the
/// county office an upload of a year's file (the format of Calendar/Data): checked, then stored in the database
/// (<see cref="HolidayStore"/>) and swapped into the calendar at once — on this instance now, on the others of a cluster at
/// their next look (<see cref="CalendarReloader"/>). Deadlines already computed stay; new ones use the new year.
/// </summary>
public static class HolidaysPage
{
    private const int MaxBytes = 256 * 1024;

    public static async Task<IResult> Render(HttpContext ctx, WorkingCalendar calendar, IOptions<CalendarOptions> options, TimeProvider time, BotDb db) =>
        Html.Page(ctx, ctx.User(), "节假日数据", await BodyAsync(ctx, calendar, options.Value, time, db, null));

    /// <summary><c>POST /console/holidays</c> (multipart: <c>file</c>).</summary>
    public static async Task<IResult> UploadAsync(HttpContext ctx, WorkingCalendar calendar, IOptions<CalendarOptions> options, TimeProvider time, BotDb db,
        CalendarReloader reloader)
    {
        var user = ctx.User();
        if (!user.IsCountyOffice)
            return Html.Page(ctx, user, "无权操作", "<p class=\"err\" data-testid=\"forbidden\">只有县级办公室可以上传节假日数据。</p>", 403);
        async Task<IResult> No(string why) =>
            Html.Page(ctx, user, "节假日数据", await BodyAsync(ctx, calendar, options.Value, time, db, $"<p class=\"err\" data-testid=\"holiday-answer\">{Html.E(why)}</p>"), 400);
        var file = (await ctx.Request.ReadFormAsync(ctx.RequestAborted)).Files.GetFile("file");
        if (file is null || file.Length == 0) return await No("没有收到文件：请选择一年的节假日文件（例如 2027.json）再上传。");
        if (file.Length > MaxBytes) return await No($"文件太大（{file.Length / 1024} KB）：一年的节假日文件只有几 KB，请检查是否选错了文件。");
        using var ms = new MemoryStream();
        await file.CopyToAsync(ms, ctx.RequestAborted);
        var (year, problems) = HolidayFile.Check(ms.ToArray());
        if (year is null) return await No("文件没有保存：" + string.Join("；", problems));

        var had = calendar.HasDataFor(year.Year);
        var now = time.GetUtcNow();
        var replaced = await HolidayStore.PutAsync(db, year, ms.ToArray(), now, ctx.RequestAborted);
        var counts = $"{year.Days.Count(d => d.IsOffDay)}个放假日、{year.Days.Count(d => !d.IsOffDay)}个调休上班日";
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = user.UserId, ActorRole = user.Role.ToString(), Action = "calendar.uploaded",
            Detail = $"上传{year.Year}年节假日数据（{counts}）{(replaced ? "，替换了原来上传的数据" : "")}",
        });
        await db.SaveChangesAsync(ctx.RequestAborted);
        await reloader.ReloadAsync(force: false, ctx.RequestAborted);
        var ok = $"<p class=\"ok\" data-testid=\"holiday-answer\">{year.Year}年的文件格式正确（{counts}），已保存{(replaced ? "并替换了原来上传的数据" : "")}，现在起生效：" +
                 $"之后计算的期限按这份安排计算。已经计算好的期限（已开始环节的截止时间）保持不变{(had ? "，仍按原来的数据" : "，仍按普通周末")}。</p>";
        return Html.Page(ctx, user, "节假日数据", await BodyAsync(ctx, calendar, options.Value, time, db, ok));
    }

    private static async Task<string> BodyAsync(HttpContext ctx, WorkingCalendar calendar, CalendarOptions o, TimeProvider time, BotDb db, string? answer)
    {
        var user = ctx.User();
        var year = ChinaTime.DateOf(time.GetUtcNow()).Year;
        var b = new StringBuilder(answer ?? "").Append("<div class=\"panel\"><p>已载入的年份：<span data-testid=\"years\">")
            .Append(string.Join('、', calendar.Years.Order())).Append("</span></p>");
        foreach (var w in calendar.WarningsFor(year, year + 1)) b.Append("<p class=\"err\">").Append(Html.E(w)).Append("</p>");
        var stored = await HolidayStore.LoadAsync(db, ct: ctx.RequestAborted);
        if (stored.Count > 0)
            b.Append("<p data-testid=\"uploaded\">在控制台上传的：")
                .Append(Html.E(string.Join('、', stored.Select(s => $"{s.Year.Year}年（{ChinaTime.ToLocal(s.At):yyyy-MM-dd HH:mm}）"))))
                .Append("</p>");
        b.Append("</div>");
        if (user.IsCountyOffice)
            b.Append("<h2>上传一年的节假日文件</h2><form method=\"post\" action=\"/console/holidays\" enctype=\"multipart/form-data\" class=\"filters panel\">").Append(Html.Antiforgery(ctx))
                .Append("<label>文件（JSON）<input type=\"file\" name=\"file\" accept=\".json,application/json\" required data-testid=\"holiday-file\"></label>")
                .Append("<button type=\"submit\" data-testid=\"holiday-submit\">检查并保存</button></form>")
                .Append("<div class=\"panel\"><p>按国务院办公厅当年的节假日安排通知整理，格式与内置数据相同：</p><pre>").Append(Html.E(HolidayFile.Example)).Append("</pre>")
                .Append("<p class=\"muted\">放假日 isOffDay 为 true，调休上班的周末为 false。保存后立即生效，不用重启；有多台服务器时，其他服务器在")
                .Append(Html.E(Interval(o.ReloadInterval))).Append("内读取。已经计算好的期限不会改变，之后新计算的期限按新数据。同一年再次上传会替换原来上传的数据。</p></div>");
        return b.ToString();
    }

    private static string Interval(TimeSpan t) => t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.#}分钟" : $"{t.TotalSeconds:0}秒";
}
