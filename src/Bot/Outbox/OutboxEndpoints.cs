using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Outbox;

/// <summary><c>GET /api/outbox?status=dead</c>: what is stuck or undeliverable, for the county office and operators.</summary>
public static class OutboxEndpoints
{
    /// <summary>One row; the recipient is masked (a webhook's recipient is its secret key).</summary>
    public sealed record OutboxRowView(
        long Id, string Channel, string Recipient, string Kind, string Status, int Attempts, string? LastError,
        DateTimeOffset CreatedAt, DateTimeOffset NotBefore, DateTimeOffset? SentAt);

    public static RouteGroupBuilder MapOutboxEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/outbox", ListAsync);
        return api;
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
