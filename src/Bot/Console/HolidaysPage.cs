using System.Text;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.Cases;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>
/// <c>/console/holidays</c>: which State Council holiday years the calendar holds, the warning for a missing one, and for the
/// county office an upload of a year's file (the format of Calendar/Data): checked, then saved as <c>{year}.json</c> in the
/// folder of <c>Calendar:ExtraDirectory</c>, which the calendar reads at start-up — so it counts from the next restart.
/// </summary>
public static class HolidaysPage
{
    private const int MaxBytes = 256 * 1024;

    public static IResult Render(HttpContext ctx, WorkingCalendar calendar, IOptions<CalendarOptions> options, TimeProvider time) =>
        Html.Page(ctx, ctx.User(), "节假日数据", Body(ctx, calendar, options.Value, time, null));

    /// <summary><c>POST /console/holidays</c> (multipart: <c>file</c>).</summary>
    public static async Task<IResult> UploadAsync(HttpContext ctx, WorkingCalendar calendar, IOptions<CalendarOptions> options, TimeProvider time, BotDb db)
    {
        var user = ctx.User();
        if (!user.IsCountyOffice)
            return Html.Page(ctx, user, "无权操作", "<p class=\"err\" data-testid=\"forbidden\">只有县级办公室可以上传节假日数据。</p>", 403);
        var dir = options.Value.ExtraDirectory;
        IResult No(string why) => Html.Page(ctx, user, "节假日数据", Body(ctx, calendar, options.Value, time, $"<p class=\"err\" data-testid=\"holiday-answer\">{Html.E(why)}</p>"), 400);
        if (string.IsNullOrWhiteSpace(dir) || !Directory.Exists(dir))
            return No("没有设置 Calendar:ExtraDirectory（或该文件夹不存在），上传的文件无处保存。请在配置中设置一个文件夹（例如 data/holidays），重启后再上传。");
        var file = (await ctx.Request.ReadFormAsync(ctx.RequestAborted)).Files.GetFile("file");
        if (file is null || file.Length == 0) return No("没有收到文件：请选择一年的节假日文件（例如 2027.json）再上传。");
        if (file.Length > MaxBytes) return No($"文件太大（{file.Length / 1024} KB）：一年的节假日文件只有几 KB，请检查是否选错了文件。");
        using var ms = new MemoryStream();
        await file.CopyToAsync(ms, ctx.RequestAborted);
        var (year, problems) = HolidayFile.Check(ms.ToArray());
        if (year is null) return No("文件没有保存：" + string.Join("；", problems));

        var path = Path.Combine(dir, $"{year.Year}.json");
        var replaced = File.Exists(path);
        await File.WriteAllBytesAsync(path, ms.ToArray(), ctx.RequestAborted);
        db.AuditEvents.Add(new AuditEvent
        {
            At = time.GetUtcNow(), Actor = user.UserId, ActorRole = user.Role.ToString(), Action = "calendar.uploaded",
            Detail = $"上传{year.Year}年节假日数据（{year.Days.Count(d => d.IsOffDay)}个放假日、{year.Days.Count(d => !d.IsOffDay)}个调休上班日）{(replaced ? "，替换了原文件" : "")}",
        });
        await db.SaveChangesAsync(ctx.RequestAborted);
        var ok = $"<p class=\"ok\" data-testid=\"holiday-answer\">{year.Year}年的文件格式正确：{year.Days.Count(d => d.IsOffDay)}个放假日、{year.Days.Count(d => !d.IsOffDay)}个调休上班日，" +
                 $"已保存为 {Html.E(year.Year + ".json")}{(replaced ? "（替换了原来的文件）" : "")}。重启服务后生效；在此之前{year.Year}年{(calendar.HasDataFor(year.Year) ? "仍按原来载入的数据" : "仍按普通周末")}计算。</p>";
        return Html.Page(ctx, user, "节假日数据", Body(ctx, calendar, options.Value, time, ok));
    }

    private static string Body(HttpContext ctx, WorkingCalendar calendar, CalendarOptions o, TimeProvider time, string? answer)
    {
        var user = ctx.User();
        var year = ChinaTime.DateOf(time.GetUtcNow()).Year;
        var b = new StringBuilder(answer ?? "").Append("<div class=\"panel\"><p>已载入的年份：<span data-testid=\"years\">")
            .Append(string.Join('、', calendar.Years.Order())).Append("</span></p>");
        foreach (var w in calendar.WarningsFor(year, year + 1)) b.Append("<p class=\"err\">").Append(Html.E(w)).Append("</p>");
        if (!string.IsNullOrWhiteSpace(o.ExtraDirectory) && Directory.Exists(o.ExtraDirectory))
        {
            var waiting = Directory.GetFiles(o.ExtraDirectory, "*.json").Select(Path.GetFileNameWithoutExtension)
                .Where(n => int.TryParse(n, out var y) && !calendar.HasDataFor(y)).Order().ToList();
            if (waiting.Count > 0) b.Append("<p data-testid=\"waiting\">已上传、重启后生效：").Append(Html.E(string.Join('、', waiting))).Append("</p>");
        }

        b.Append("</div>");
        if (user.IsCountyOffice)
            b.Append("<h2>上传一年的节假日文件</h2><form method=\"post\" action=\"/console/holidays\" enctype=\"multipart/form-data\" class=\"filters panel\">").Append(Html.Antiforgery(ctx))
                .Append("<label>文件（JSON）<input type=\"file\" name=\"file\" accept=\".json,application/json\" required data-testid=\"holiday-file\"></label>")
                .Append("<button type=\"submit\" data-testid=\"holiday-submit\">检查并保存</button></form>")
                .Append("<div class=\"panel\"><p>按国务院办公厅当年的节假日安排通知整理，格式与内置数据相同：</p><pre>").Append(Html.E(HolidayFile.Example)).Append("</pre>")
                .Append("<p class=\"muted\">放假日 isOffDay 为 true，调休上班的周末为 false；文件保存在 Calendar:ExtraDirectory 指定的文件夹，重启后生效。</p></div>");
        return b.ToString();
    }
}
