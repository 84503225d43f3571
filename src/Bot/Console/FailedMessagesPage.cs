using System.Text;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Inbox;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>
/// <c>GET /console/outbox</c>: messages that failed, for the county office — outgoing ones that died after their retries
/// (dead outbox rows) and incoming ones whose handling was given up (failed inbox rows), each with a requeue that is audited.
/// Recipients and senders are masked (a webhook's recipient is its secret key); payloads only as masked summaries.
/// </summary>
public static class FailedMessagesPage
{
    public static async Task<IResult> RenderAsync(HttpContext ctx, BotDb db)
    {
        var user = ctx.User();
        if (!user.IsCountyOffice) return Forbidden(ctx, user);
        var dead = await db.Outbox.AsNoTracking().Where(o => o.Status == OutboxStatus.Dead).OrderByDescending(o => o.Id).Take(200).ToListAsync(ctx.RequestAborted);
        var failed = await db.Inbox.AsNoTracking().Where(i => i.Status == InboxStatus.Failed).OrderByDescending(i => i.Id).Take(200).ToListAsync(ctx.RequestAborted);
        var b = new StringBuilder("<h2>发出失败（发件箱）</h2><div class=\"panel\"><table data-testid=\"dead\"><thead><tr><th>#</th><th>渠道</th><th>接收方</th><th>类型</th><th>尝试</th><th>原因</th><th></th></tr></thead><tbody>");
        foreach (var r in dead)
        {
            b.Append("<tr><td>").Append(r.Id).Append("</td><td>").Append(r.Channel).Append("</td><td>").Append(Html.E(LogMask.Id(r.Recipient))).Append("</td><td>").Append(r.Kind)
                .Append("</td><td>").Append(r.Attempts).Append("</td><td style=\"white-space:normal\">").Append(Html.E(Mask.Text(r.LastError))).Append("</td><td>")
                .Append(Button(ctx, $"/console/outbox/{r.Id}/requeue", $"requeue-{r.Id}", "重新发送")).Append("</td></tr>");
        }

        if (dead.Count == 0) b.Append("<tr><td colspan=\"7\" class=\"ok\">没有发送失败的消息</td></tr>");
        b.Append("</tbody></table></div><h2>处理失败（收件箱）</h2><div class=\"panel\"><table data-testid=\"failed-inbox\"><thead><tr><th>#</th><th>渠道</th><th>发送人</th><th>内容</th><th>收到</th><th>尝试</th><th>原因</th><th></th></tr></thead><tbody>");
        foreach (var r in failed)
        {
            b.Append("<tr><td>").Append(r.Id).Append("</td><td>").Append(Html.E(InboxFailures.ChannelName(r.Channel))).Append("</td><td>").Append(Html.E(LogMask.Id(r.SenderId)))
                .Append("</td><td style=\"white-space:normal\">").Append(Html.E(InboxFailures.Summary(r))).Append("</td><td>").Append(Html.Time(r.ReceivedAt)).Append("</td><td>")
                .Append(r.Attempts).Append("</td><td style=\"white-space:normal\">").Append(Html.E(Mask.Text(r.Error))).Append("</td><td>")
                .Append(Button(ctx, $"/console/inbox/{r.Id}/requeue", $"retry-{r.Id}", "重新处理")).Append("</td></tr>");
        }

        if (failed.Count == 0) b.Append("<tr><td colspan=\"8\" class=\"ok\">没有处理失败的消息</td></tr>");
        b.Append("</tbody></table></div><p class=\"muted\">先排除原因（例如企业微信可信IP、成员可见范围），再重新发送或重新处理；每次操作都记入审计。</p>");
        return Html.Page(ctx, user, "失败的消息", b.ToString());
    }

    /// <summary><c>POST /console/outbox/{id}/requeue</c>: a dead row goes back to pending (attempts reset), audited.</summary>
    public static async Task<IResult> RequeueOutboxAsync(HttpContext ctx, BotDb db, TimeProvider time, long id)
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

    /// <summary><c>POST /console/inbox/{id}/requeue</c>: a failed inbound row is handled again (the admin API's retry), audited.</summary>
    public static async Task<IResult> RequeueInboxAsync(HttpContext ctx, BotDb db, InboxSignal signal, TimeProvider time, long id)
    {
        var user = ctx.User();
        if (!user.IsCountyOffice) return Forbidden(ctx, user);
        var (row, problem) = await InboxEndpoints.RequeueAsync(db, signal, id, user.UserId, user.Role.ToString(), time.GetUtcNow(), ctx.RequestAborted);
        if (problem is not null)
            return Html.Page(ctx, user, "无法重新处理", $"<p class=\"err\">{Html.E(problem)}</p><p><a href=\"/console/outbox\">返回</a></p>", row is null ? 404 : 409);
        return Results.Redirect("/console/outbox");
    }

    private static string Button(HttpContext ctx, string action, string testId, string label) =>
        $"<form method=\"post\" action=\"{action}\">{Html.Antiforgery(ctx)}<button type=\"submit\" data-testid=\"{testId}\">{label}</button></form>";

    private static IResult Forbidden(HttpContext ctx, ConsoleUser user) =>
        Html.Page(ctx, user, "无权操作", "<p class=\"err\" data-testid=\"forbidden\">只有县级办公室可以查看和重新发送失败的消息。</p>", 403);
}
