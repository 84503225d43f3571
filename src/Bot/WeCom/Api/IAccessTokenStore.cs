using System.Collections.Concurrent;

namespace RapidResponse.Bot.WeCom.Api;

/// <summary>A cached access_token. <paramref name="RefreshAfter"/> is earlier than expiry so refresh happens before callers see 42001.</summary>
public sealed record AccessToken(string Value, DateTimeOffset ExpiresAt, DateTimeOffset RefreshAfter)
{
    // The token is a credential: keep it out of logs and exception messages.
    public override string ToString() => $"AccessToken(expires {ExpiresAt:O})";
}

/// <summary>
/// Where tokens live between calls. In-memory by default; a database-backed store lets several instances share one token
/// (pitfall §9.8). Keys are opaque and never contain the secret itself.
/// </summary>
public interface IAccessTokenStore
{
    ValueTask<AccessToken?> GetAsync(string key, CancellationToken cancellationToken);

    ValueTask SetAsync(string key, AccessToken token, CancellationToken cancellationToken);

    /// <summary>Removes the token only if it is still <paramref name="failedValue"/>, so a fresh token from a racing refresh survives.</summary>
    ValueTask<bool> TryInvalidateAsync(string key, string failedValue, CancellationToken cancellationToken);
}

/// <summary>Process-local <see cref="IAccessTokenStore"/>.</summary>
public sealed class InMemoryAccessTokenStore : IAccessTokenStore
{
    private readonly ConcurrentDictionary<string, AccessToken> _tokens = new(StringComparer.Ordinal);

    public ValueTask<AccessToken?> GetAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_tokens.GetValueOrDefault(key));

    public ValueTask SetAsync(string key, AccessToken token, CancellationToken cancellationToken)
    {
        _tokens[key] = token;
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> TryInvalidateAsync(string key, string failedValue, CancellationToken cancellationToken) =>
        ValueTask.FromResult(
            _tokens.TryGetValue(key, out var current)
            && current.Value == failedValue
            && _tokens.TryRemove(new KeyValuePair<string, AccessToken>(key, current)));
}

/// <summary>
/// A store several instances share. Before fetching, an instance leases the refresh, so across the deployment one gettoken
/// runs at a time per key and the others wait for its token.
/// </summary>
public interface ISharedAccessTokenStore : IAccessTokenStore
{
    /// <summary>
    /// Leased: this caller fetches now (for at most <paramref name="lease"/>, then another may). Otherwise the fresh token a
    /// peer stored meanwhile, or null when a peer holds the lease and the caller should wait.
    /// </summary>
    ValueTask<(bool Leased, AccessToken? Fresh)> TryLeaseRefreshAsync(string key, TimeSpan lease, CancellationToken cancellationToken);
}
