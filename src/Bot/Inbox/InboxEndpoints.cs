using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;

namespace RapidResponse.Bot.Inbox;

/// <summary>
/// <c>GET /api/inbox?status=failed</c>: inbound messages that could not be handled, with what they were (masked), the last
/// error and the tries; <c>POST /api/inbox/{id}/retry</c>: replays one once the cause is fixed.
/// </summary>
public static class InboxEndpoints
{
    /// <summary>One inbound row: sender masked, the payload only as a masked summary.</summary>
    public sealed record InboxRowView(
        long Id, string Channel, string Sender, string Kind, string Status, int Attempts, string? Error, string Summary,
        DateTimeOffset ReceivedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? ProcessedAt);

    public static RouteGroupBuilder MapInboxEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/inbox", ListAsync);
        api.MapPost("/inbox/{id:long}/retry", RetryAsync);
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<InboxRowView>>, BadRequest<string>>> ListAsync(BotDb db, string? status, int? limit, CancellationToken ct)
    {
        var q = db.Inbox.AsNoTracking();
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<InboxStatus>(status, ignoreCase: true, out var s) || !Enum.IsDefined(s) || int.TryParse(status, out _))
                return TypedResults.BadRequest("status 只能是 pending、processed 或 failed，例如：/api/inbox?status=failed");
            q = q.Where(x => x.Status == s);
        }
        var rows = await q.OrderByDescending(x => x.Id).Take(Math.Clamp(limit ?? 200, 1, 2000)).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<InboxRowView>>([.. rows.Select(View)]);
    }

    /// <summary>
    /// Puts a failed message back in the queue with fresh tries; the processor handles it as if it had just arrived (the
    /// sender's messages that came after it were handled meanwhile). Audited.
    /// </summary>
    private static async Task<Results<Accepted<InboxRowView>, NotFound<string>, Conflict<string>>> RetryAsync(
        long id, BotDb db, InboxSignal signal, TimeProvider time, CancellationToken ct)
    {
        var (row, problem) = await RequeueAsync(db, signal, id, "admin", "admin", time.GetUtcNow(), ct);
        if (row is null) return TypedResults.NotFound(problem!);
        if (problem is not null) return TypedResults.Conflict(problem);
        return TypedResults.Accepted($"/api/inbox?status=pending", View(row));
    }

    /// <summary>
    /// A failed row back to pending with fresh tries, audited as <c>inbox.retried</c> by <paramref name="actor"/>, saved, and the
    /// processor woken. The row and null, or the row (null when missing) and why it was not requeued, in Chinese.
    /// </summary>
    public static async Task<(InboxMessage? Row, string? Problem)> RequeueAsync(BotDb db, InboxSignal signal, long id, string actor, string actorRole,
        DateTimeOffset now, CancellationToken ct)
    {
        var row = await db.Inbox.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (row is null) return (null, $"没有编号为 {id} 的收到消息");
        if (row.Status != InboxStatus.Failed)
            return (row, row.Status == InboxStatus.Processed
                ? $"消息 {id} 已经处理完成，不需要重新处理"
                : $"消息 {id} 还在排队处理中（已尝试{row.Attempts}次），不需要重新处理");
        var tries = row.Attempts;
        row.Status = InboxStatus.Pending;
        row.Attempts = 0;
        row.NextAttemptAt = null;
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = actor, ActorRole = actorRole, Action = "inbox.retried",
            Detail = $"重新处理收到的消息 {id}（{InboxFailures.Summary(row)}，此前尝试{tries}次：{Mask.Text(row.Error)}）",
        });
        await db.SaveChangesAsync(ct);
        signal.Pulse();
        return (row, null);
    }

    private static InboxRowView View(InboxMessage r) => new(
        r.Id, r.Channel.ToString(), LogMask.Id(r.SenderId), r.Kind, r.Status.ToString(), r.Attempts, Mask.Text(r.Error), InboxFailures.Summary(r),
        r.ReceivedAt, r.NextAttemptAt, r.ProcessedAt);
}
