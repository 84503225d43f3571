using System.Text;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Reports;
using RapidResponse.Scheduler.Bulletins;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>The smaller pages: overdue board, bulletin preview.</summary>
public static class BoardPages
{
    /// <summary><c>GET /console/overdue</c>: every open stage past its deadline, longest overdue first.</summary>
    public static async Task<IResult> OverdueAsync(HttpContext ctx, BotDb db, TimeProvider time)
    {
        var user = ctx.User();
        var now = time.GetUtcNow();
        var names = await RegionNames.LoadAsync(db, ctx.RequestAborted);
        var ids = user.Cases(db).Select(c => c.Id);
        var rows = await db.Stages.AsNoTracking().Where(s => ids.Contains(s.CaseId) && s.CompletedAt == null && s.DueAt != null && s.DueAt < now)
            .OrderBy(s => s.DueAt).Take(500)
            .Select(s => new { s.Case!.Number, s.Case.VillageCode, s.Kind, s.DueAt, Who = s.Assignments.Where(a => a.CompletedAt == null).Select(a => a.AssigneeId).ToList() })
            .ToListAsync(ctx.RequestAborted);
        var staff = await db.Staff.AsNoTracking().ToDictionaryAsync(s => s.UserId, s => s.Name, ctx.RequestAborted);
        var depts = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, ctx.RequestAborted);
        var b = new StringBuilder("<div class=\"panel\"><table data-testid=\"overdue\"><thead><tr><th>案件</th><th>乡镇 / 村</th><th>环节</th><th>期限</th><th>逾期</th><th>待办人</th></tr></thead><tbody>");
        foreach (var r in rows)
        {
            var days = (ChinaTime.DateOf(now).DayNumber - ChinaTime.DateOf(r.DueAt!.Value).DayNumber);
            b.Append("<tr><td><a href=\"/console/cases/").Append(Html.Q(r.Number)).Append("\">").Append(Html.E(r.Number)).Append("</a></td><td>")
                .Append(Html.E(names.Name(names.TownshipOf(r.VillageCode)))).Append(" / ").Append(Html.E(names.Name(r.VillageCode))).Append("</td><td>")
                .Append(Html.E(r.Kind.ToChinese())).Append("</td><td>").Append(Html.Time(r.DueAt)).Append("</td><td class=\"late\">").Append(days < 1 ? "今天" : days + " 天")
                .Append("</td><td>").Append(Html.E(string.Join('、', r.Who.Select(w => staff.GetValueOrDefault(w) ?? depts.GetValueOrDefault(w, w))))).Append("</td></tr>");
        }

        if (rows.Count == 0) b.Append("<tr><td colspan=\"6\" class=\"ok\">没有逾期事项</td></tr>");
        b.Append("</tbody></table></div>");
        return Html.Page(ctx, user, "逾期看板", b.ToString());
    }

    /// <summary><c>GET /console/bulletins</c>: the coming monthly bulletin as the scheduler would post it (its own queries and templates), and the ones posted.</summary>
    public static async Task<IResult> BulletinsAsync(HttpContext ctx, BotDb db, BulletinPublisher publisher, TimeProvider time)
    {
        var user = ctx.User();
        var today = ChinaTime.DateOf(time.GetUtcNow());
        var period = MonthPeriod.Of(today);
        var b = new StringBuilder();
        if (!user.IsCounty && !user.IsTownship)
        {
            b.Append("<p class=\"muted\">通报由县级办公室发布，乡镇和县级人员可以预览。</p>");
            return Html.Page(ctx, user, "通报", b.ToString());
        }

        var draft = await publisher.DraftMonthlyAsync(period, ctx.RequestAborted);
        b.Append("<h2>").Append(period.Year).Append("年").Append(period.Month).Append("月通报（预览，下月第一个工作日发布）</h2><pre data-testid=\"bulletin-preview\">")
            .Append(Html.E(Mask.Text(draft.Markdown))).Append("</pre>");
        // The picture that follows the text in the county groups, drawn from the same layout as the PNG.
        if (draft.Layout is { } chart)
            b.Append("<h2>随通报发送的图表</h2>")
                .Append(draft.Chart is null ? "<p class=\"late\" data-testid=\"bulletin-chart-off\">图表不会随通报发送：" + Html.E(draft.ChartProblem ?? "") + "</p>" : "")
                .Append("<div data-testid=\"bulletin-chart\" style=\"overflow-x:auto\">").Append(chart.ToSvg()).Append("</div>");
        var posted = await db.KeyValues.AsNoTracking().Where(k => k.Key.StartsWith("bulletin:")).Select(k => k.Key).ToListAsync(ctx.RequestAborted);
        b.Append("<h2>已发布</h2><ul data-testid=\"bulletins-posted\">");
        foreach (var k in posted.Order()) b.Append("<li>").Append(Html.E(k)).Append("</li>");
        if (posted.Count == 0) b.Append("<li class=\"muted\">还没有发布过通报</li>");
        b.Append("</ul>");
        return Html.Page(ctx, user, "通报", b.ToString());
    }
}
