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

/// <summary>The smaller pages: overdue board, bulletin preview, failed messages with requeue, holiday years loaded.</summary>
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
        var posted = await db.KeyValues.AsNoTracking().Where(k => k.Key.StartsWith("bulletin:")).Select(k => k.Key).ToListAsync(ctx.RequestAborted);
        b.Append("<h2>已发布</h2><ul data-testid=\"bulletins-posted\">");
        foreach (var k in posted.Order()) b.Append("<li>").Append(Html.E(k)).Append("</li>");
        if (posted.Count == 0) b.Append("<li class=\"muted\">还没有发布过通报</li>");
        b.Append("</ul>");
        return Html.Page(ctx, user, "通报", b.ToString());
    }

    /// <summary><c>GET /console/outbox</c>: messages that could not be delivered (dead outbox rows), for the county office.</summary>
    public static async Task<IResult> OutboxAsync(HttpContext ctx, BotDb db)
    {
        var user = ctx.User();
        if (!user.IsCountyOffice) return Forbidden(ctx, user);
        var rows = await db.Outbox.AsNoTracking().Where(o => o.Status == OutboxStatus.Dead).OrderByDescending(o => o.Id).Take(200).ToListAsync(ctx.RequestAborted);
        var b = new StringBuilder("<div class=\"panel\"><table data-testid=\"dead\"><thead><tr><th>#</th><th>渠道</th><th>接收方</th><th>类型</th><th>尝试</th><th>原因</th><th></th></tr></thead><tbody>");
        foreach (var r in rows)
        {
            b.Append("<tr><td>").Append(r.Id).Append("</td><td>").Append(r.Channel).Append("</td><td>").Append(Html.E(r.Recipient)).Append("</td><td>").Append(r.Kind)
                .Append("</td><td>").Append(r.Attempts).Append("</td><td style=\"white-space:normal\">").Append(Html.E(Mask.Text(r.LastError))).Append("</td><td>")
                .Append("<form method=\"post\" action=\"/console/outbox/").Append(r.Id).Append("/requeue\">").Append(Html.Antiforgery(ctx))
                .Append("<button type=\"submit\" data-testid=\"requeue-").Append(r.Id).Append("\">重新发送</button></form></td></tr>");
        }

        if (rows.Count == 0) b.Append("<tr><td colspan=\"7\" class=\"ok\">没有发送失败的消息</td></tr>");
        b.Append("</tbody></table></div>");
        return Html.Page(ctx, user, "发送失败的消息", b.ToString());
    }

    /// <summary><c>POST /console/outbox/{id}/requeue</c>: a dead row goes back to pending (attempts reset), audited.</summary>
    public static async Task<IResult> RequeueAsync(HttpContext ctx, BotDb db, TimeProvider time, long id)
    {
        var user = ctx.User();
        if (!user.IsCountyOffice) return Forbidden(ctx, user);
        var now = time.GetUtcNow();
        var n = await db.Outbox.Where(o => o.Id == id && o.Status == OutboxStatus.Dead).ExecuteUpdateAsync(u => u
            .SetProperty(o => o.Status, OutboxStatus.Pending).SetProperty(o => o.Attempts, 0).SetProperty(o => o.NotBefore, now)
            .SetProperty(o => o.ClaimedBy, (string?)null).SetProperty(o => o.ClaimedUntil, (DateTimeOffset?)null), ctx.RequestAborted);
        if (n == 0) return Html.Page(ctx, user, "无法重新发送", $"<p class=\"err\">消息 #{id} 不存在或已不是失败状态。</p><p><a href=\"/console/outbox\">返回</a></p>", 404);
        db.AuditEvents.Add(new AuditEvent { At = now, Actor = user.UserId, ActorRole = user.Role.ToString(), Action = "outbox.requeued", Detail = $"控制台重新发送消息 #{id}" });
        await db.SaveChangesAsync(ctx.RequestAborted);
        return Results.Redirect("/console/outbox");
    }

    /// <summary><c>GET /console/holidays</c>: which State Council holiday years the calendar holds, and the warning for a missing one.</summary>
    public static IResult Holidays(HttpContext ctx, WorkingCalendar calendar, TimeProvider time)
    {
        var user = ctx.User();
        var year = ChinaTime.DateOf(time.GetUtcNow()).Year;
        var b = new StringBuilder("<div class=\"panel\"><p>已载入的年份：<span data-testid=\"years\">")
            .Append(string.Join('、', calendar.Years.Order())).Append("</span></p>");
        foreach (var w in calendar.WarningsFor(year, year + 1)) b.Append("<p class=\"err\">").Append(Html.E(w)).Append("</p>");
        b.Append("<p class=\"muted\">新的一年：把国务院办公厅通知整理成 2027.json 放进 Calendar:ExtraDirectory 指定的文件夹，重启后生效。</p></div>");
        return Html.Page(ctx, user, "节假日数据", b.ToString());
    }

    private static IResult Forbidden(HttpContext ctx, ConsoleUser user) =>
        Html.Page(ctx, user, "无权操作", "<p class=\"err\" data-testid=\"forbidden\">只有县级办公室可以查看和重新发送失败的消息。</p>", 403);
}
