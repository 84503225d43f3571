using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.WeCom.Api;

/// <summary>
/// access_token in a <see cref="KeyValueEntry"/> row per credential pair, shared by every instance (pitfall §9.8): each
/// change is a compare-and-swap on the row's version, so an instance never overwrites or invalidates a token it did not
/// see, and the refresh is leased so one instance calls gettoken while the others wait for its token.
/// </summary>
public sealed class DatabaseAccessTokenStore(IServiceScopeFactory scopes, TimeProvider time) : ISharedAccessTokenStore
{
    private const string Prefix = "wecom.access_token:";

    private sealed record State(string? Value, DateTimeOffset? ExpiresAt, DateTimeOffset? RefreshAfter, DateTimeOffset? LeaseUntil)
    {
        public AccessToken? Token => Value is null ? null : new AccessToken(Value, ExpiresAt!.Value, RefreshAfter!.Value);
    }

    public async ValueTask<AccessToken?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var row = await db.KeyValues.AsNoTracking().FirstOrDefaultAsync(x => x.Key == Prefix + key, cancellationToken);
        return row is null ? null : Read(row).Token;
    }

    public async ValueTask SetAsync(string key, AccessToken token, CancellationToken cancellationToken) =>
        await SwapAsync(key, _ => new State(token.Value, token.ExpiresAt, token.RefreshAfter, null), cancellationToken);

    public async ValueTask<bool> TryInvalidateAsync(string key, string failedValue, CancellationToken cancellationToken)
    {
        var dropped = false;
        await SwapAsync(key, s =>
        {
            dropped = s?.Value == failedValue;
            return dropped ? s! with { Value = null, ExpiresAt = null, RefreshAfter = null } : null;
        }, cancellationToken);
        return dropped;
    }

    public async ValueTask<(bool Leased, AccessToken? Fresh)> TryLeaseRefreshAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        (bool, AccessToken?) answer = (false, null);
        await SwapAsync(key, s =>
        {
            var now = time.GetUtcNow();
            if (s?.Token is { } t && now < t.RefreshAfter) { answer = (false, t); return null; }
            if (s?.LeaseUntil is { } until && now < until) { answer = (false, null); return null; }
            answer = (true, null);
            return (s ?? new State(null, null, null, null)) with { LeaseUntil = now + lease };
        }, cancellationToken);
        return answer;
    }

    /// <summary>Applies <paramref name="change"/> (null: leave as is) to the row as it is now; repeats when another instance wrote in between.</summary>
    private async Task SwapAsync(string key, Func<State?, State?> change, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            var row = await db.KeyValues.FirstOrDefaultAsync(x => x.Key == Prefix + key, ct);
            var next = change(row is null ? null : Read(row));
            if (next is null) return;
            var json = JsonSerializer.Serialize(next);
            if (row is null) db.KeyValues.Add(new KeyValueEntry { Key = Prefix + key, Value = json, UpdatedAt = time.GetUtcNow(), Version = 1 });
            else { row.Value = json; row.UpdatedAt = time.GetUtcNow(); row.Version++; }
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException e) when (attempt < 20 && (e is DbUpdateConcurrencyException || DatabaseProviders.IsUniqueViolation(e)))
            {
                // Another instance changed the row first: decide again on what it wrote.
            }
        }
    }

    private static State Read(KeyValueEntry row) => JsonSerializer.Deserialize<State>(row.Value) ?? new State(null, null, null, null);
}
