using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Outbox;

/// <summary>Claiming due rows: the conditional UPDATE, the PostgreSQL SKIP LOCKED variant, and the rows open circuits hold back.</summary>
public sealed partial class OutboxDispatcher
{
    private static Expression<Func<OutboxMessage, bool>> NotStopped(OutboundChannel[] channels, string[] hooks) =>
        x => !channels.Contains(x.Channel) && !(x.Channel == OutboundChannel.Webhook && hooks.Contains(x.Recipient));

    private static async Task<int> ClaimAsync(BotDb db, string claim, DateTimeOffset now, DateTimeOffset until, int batch, Expression<Func<OutboxMessage, bool>> scope)
    {
        var ids = await db.Outbox.Where(Due(now)).Where(scope).OrderBy(x => x.Id).Select(x => x.Id).Take(batch).ToListAsync(CancellationToken.None);
        if (ids.Count == 0) return 0;
        // The WHERE is evaluated again inside the UPDATE: a row another dispatcher claimed meanwhile no longer matches.
        return await db.Outbox.Where(x => ids.Contains(x.Id)).Where(Due(now)).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Status, OutboxStatus.Sending)
            .SetProperty(x => x.ClaimedBy, claim)
            .SetProperty(x => x.ClaimedUntil, until)
            .SetProperty(x => x.Attempts, x => x.Attempts + 1), CancellationToken.None);
    }

    /// <summary>
    /// PostgreSQL, several instances: one statement picks due rows, row-locks them and skips rows another dispatcher has
    /// locked, so instances never wait on each other nor claim the same row (the lock re-checks the WHERE on the newest row).
    /// Rows of open circuits are left out. Instants are UTC ticks and statuses integers, as the model stores them.
    /// </summary>
    private static Task<int> ClaimSkipLockedAsync(BotDb db, string claim, DateTimeOffset now, DateTimeOffset until, int batch, OutboundChannel[] stopped, string[] hooks)
    {
        int pending = (int)OutboxStatus.Pending, sending = (int)OutboxStatus.Sending, webhook = (int)OutboundChannel.Webhook;
        long nowTicks = now.UtcTicks, untilTicks = until.UtcTicks;
        var channels = stopped.Select(c => (int)c).ToArray();
        return db.Database.ExecuteSqlAsync($"""
            UPDATE "Outbox" SET "Status" = {sending}, "ClaimedBy" = {claim}, "ClaimedUntil" = {untilTicks}, "Attempts" = "Attempts" + 1
            WHERE "Id" IN (
                SELECT "Id" FROM "Outbox"
                WHERE (("Status" = {pending} AND "NotBefore" <= {nowTicks}) OR ("Status" = {sending} AND "ClaimedUntil" < {nowTicks}))
                  AND NOT ("Channel" = ANY({channels})) AND NOT ("Channel" = {webhook} AND "Recipient" = ANY({hooks}))
                ORDER BY "Id" LIMIT {batch}
                FOR UPDATE SKIP LOCKED)
            """, CancellationToken.None);
    }

    private static Expression<Func<OutboxMessage, bool>> Due(DateTimeOffset now) => x =>
        (x.Status == OutboxStatus.Pending && x.NotBefore <= now) || (x.Status == OutboxStatus.Sending && x.ClaimedUntil < now);
}
