using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Outbox;

/// <summary>
/// <c>GET /api/outbox?status=dead</c>: what is stuck or undeliverable, for the county office and operators;
/// <c>POST /api/outbox/requeue</c>: dead rows back to pending once the cause is fixed.
/// </summary>
public static class OutboxEndpoints
{
    /// <summary>One row; the recipient is masked (a webhook's recipient is its secret key).</summary>
    public sealed record OutboxRowView(
        long Id, string Channel, string Recipient, string Kind, string Status, int Attempts, string? LastError,
        DateTimeOffset CreatedAt, DateTimeOffset NotBefore, DateTimeOffset? SentAt);

    public static RouteGroupBuilder MapOutboxEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/outbox", ListAsync);
        api.MapPost("/outbox/requeue", RequeueAsync);
        return api;
    }

    /// <summary>Which dead rows to send again: by id, or every dead row whose last error carries WeCom's errcode.</summary>
    public sealed record RequeueRequest(IReadOnlyList<long>? Ids, int? ErrorCode);

    public sealed record RequeueResult(int Requeued, IReadOnlyList<long> Ids);

    private const string RequeueExample = "请发送 JSON，例如 {\"ids\":[12,13]} 或 {\"errorCode\":60020}（二选一）";

    /// <summary>
    /// Dead rows become pending, due now, with their attempts reset; the last error stays as history until the next try.
    /// Rows that are not dead are left alone (a pending row is already coming, a sent one must not repeat).
    /// </summary>
    private static async Task<Results<Ok<RequeueResult>, BadRequest<string>>> RequeueAsync(HttpRequest http, BotDb db, TimeProvider time, CancellationToken ct)
    {
        RequeueRequest? body;
        try
        {
            body = await http.ReadFromJsonAsync<RequeueRequest>(ct);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return TypedResults.BadRequest("请求内容不是有效的 JSON。" + RequeueExample);
        }

        var byIds = body?.Ids is { Count: > 0 };
        var byCode = body?.ErrorCode is not null;
        if (byIds == byCode) return TypedResults.BadRequest((byIds ? "ids 和 errorCode 只能填一个。" : "没有指定要重发的消息。") + RequeueExample);
        if (body!.Ids is { Count: > 1000 }) return TypedResults.BadRequest("一次最多重发 1000 条，请分批提交。" + RequeueExample);

        var q = db.Outbox.Where(x => x.Status == OutboxStatus.Dead);
        if (byIds)
        {
            var ids = body.Ids!.Distinct().ToList();
            q = q.Where(x => ids.Contains(x.Id));
        }
        else
        {
            // The transport writes "errcode N：…" (also after "已尝试k次仍失败："); the colon keeps 6002 from matching 60020.
            var marker = $"errcode {body.ErrorCode}：";
            q = q.Where(x => x.LastError != null && x.LastError.Contains(marker));
        }

        var found = await q.OrderBy(x => x.Id).Select(x => x.Id).ToListAsync(ct);
        var now = time.GetUtcNow();
        var requeued = found.Count == 0 ? 0 : await db.Outbox.Where(x => found.Contains(x.Id) && x.Status == OutboxStatus.Dead).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Status, OutboxStatus.Pending)
            .SetProperty(x => x.Attempts, 0)
            .SetProperty(x => x.NotBefore, now)
            .SetProperty(x => x.ClaimedBy, (string?)null)
            .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), ct);
        return TypedResults.Ok(new RequeueResult(requeued, found));
    }

    private static async Task<Results<Ok<IReadOnlyList<OutboxRowView>>, BadRequest<string>>> ListAsync(
        BotDb db, string? status, int? limit, CancellationToken ct)
    {
        var q = db.Outbox.AsNoTracking();
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<OutboxStatus>(status, ignoreCase: true, out var s) || !Enum.IsDefined(s))
                return TypedResults.BadRequest("status 只能是 pending、sending、sent 或 dead，例如：/api/outbox?status=dead");
            q = q.Where(x => x.Status == s);
        }

        var rows = await q.OrderByDescending(x => x.Id).Take(Math.Clamp(limit ?? 200, 1, 2000)).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<OutboxRowView>>([.. rows.Select(r => new OutboxRowView(
            r.Id, r.Channel.ToString(), LogMask.Id(r.Recipient), r.Kind.ToString(), r.Status.ToString(), r.Attempts, r.LastError is null ? null : Domain.Privacy.Mask.Text(r.LastError),
            r.CreatedAt, r.NotBefore, r.SentAt))]);
    }
}
