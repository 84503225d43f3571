using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Persistence.Postgres;

namespace RapidResponse.Bot.WeCom.Api;

/// <summary>
/// WeCom's rate limits (§7) counted in PostgreSQL for every instance at once. Check and count happen in one transaction
/// under each key's advisory lock, so two instances cannot both take the last free send; the send is counted when allowed
/// (a send that then fails still counts: the limit is never overshot, at worst a message waits a little longer).
/// </summary>
public sealed class DatabaseRateGate(IServiceScopeFactory scopes, RateLimits limits, TimeProvider time) : ISendRateGate
{
    /// <summary>Advisory-lock namespace of rate-limit keys.</summary>
    private const int KeyLockSpace = 7402;

    public async ValueTask<DateTimeOffset?> TryAcquireAsync(IReadOnlyList<(RateScope Scope, string Key)> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return null;
        await using var scope = scopes.CreateAsyncScope();
        var db = (PostgresBotDb)scope.ServiceProvider.GetRequiredService<BotDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var named = keys.Select(k => (k.Scope, Name: $"{k.Scope}:{k.Key}")).DistinctBy(k => k.Name).OrderBy(k => k.Name, StringComparer.Ordinal).ToList();
        // Always in the same order, so two instances locking overlapping key sets cannot deadlock.
        foreach (var k in named)
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({KeyLockSpace}, hashtext({k.Name}))", ct);

        var next = now;
        foreach (var k in named)
        {
            var since = now - limits.LongestFor(k.Scope);
            await db.SendHits.Where(h => h.Key == k.Name && h.At <= since).ExecuteDeleteAsync(ct);
            // Counted per window in the database (the corp-wide API key holds up to 150 000 hits an hour).
            var allowed = now;
            foreach (var w in limits.WindowsFor(k.Scope))
            {
                var from = now - w.Window;
                var inWindow = db.SendHits.AsNoTracking().Where(h => h.Key == k.Name && h.At > from);
                var count = await inWindow.CountAsync(ct);
                if (count < w.Limit) continue;
                var leaving = await inWindow.OrderBy(h => h.At).Select(h => h.At).Skip(count - w.Limit).FirstAsync(ct) + w.Window;
                if (leaving > allowed) allowed = leaving;
            }

            if (allowed > next) next = allowed;
        }
        if (next > now) return next;

        db.SendHits.AddRange(named.Select(k => new SendHit { Key = k.Name, At = now }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>Nothing to do: the send was counted when it was allowed.</summary>
    public ValueTask SentAsync(IReadOnlyList<(RateScope Scope, string Key)> keys, CancellationToken ct) => ValueTask.CompletedTask;
}
