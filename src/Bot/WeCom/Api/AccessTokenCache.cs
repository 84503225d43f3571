using System.Security.Cryptography;
using System.Text;

namespace RapidResponse.Bot.WeCom.Api;

/// <summary>
/// Token cache per (corp, secret): serves the stored token until its refresh time, and lets concurrent callers share
/// one in-flight gettoken (single-flight) because gettoken is rate-limited and wrong secrets get the IP banned (§4.1).
/// </summary>
public sealed class AccessTokenCache(IAccessTokenStore store, TimeProvider time)
{
    /// <summary>
    /// After gettoken fails with a configuration error (wrong secret, untrusted IP), callers get the same error without a new
    /// gettoken for this long: repeated wrong-secret calls get the IP banned for an hour (§4.1).
    /// </summary>
    public static readonly TimeSpan FailureCooldown = TimeSpan.FromSeconds(60);

    private readonly object _gate = new();
    private readonly Dictionary<string, Task<AccessToken>> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset Until, WeComApiException Error)> _failures = new(StringComparer.Ordinal);

    /// <summary>Store key for a credential pair; hashes the secret so it never reaches the store or logs.</summary>
    public static string KeyFor(string corpId, string secret)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        return $"{corpId}:{Convert.ToHexStringLower(hash.AsSpan(0, 8))}";
    }

    /// <summary>The current token, fetching it with <paramref name="fetch"/> when missing or due for refresh.</summary>
    public async Task<string> GetAsync(string key, Func<Task<AccessToken>> fetch, CancellationToken cancellationToken)
    {
        var cached = await store.GetAsync(key, cancellationToken);
        if (cached is not null && time.GetUtcNow() < cached.RefreshAfter)
        {
            return cached.Value;
        }

        Task<AccessToken> shared;
        lock (_gate)
        {
            if (_failures.TryGetValue(key, out var failure) && time.GetUtcNow() < failure.Until)
            {
                // A fresh exception per caller: one instance thrown on many threads would get its stack trace overwritten.
                throw new WeComApiException(failure.Error.ErrCode, failure.Error.ErrMsg, failure.Error.ApiPath);
            }

            if (!_inFlight.TryGetValue(key, out shared!))
            {
                shared = FetchAndStoreAsync(key, fetch);
                _inFlight[key] = shared;
            }
        }

        // One caller giving up must not cancel the fetch the others are waiting for.
        return (await shared.WaitAsync(cancellationToken)).Value;
    }

    /// <summary>Drops the token only if it is still the one that failed (compare-and-swap, pitfall §9.8).</summary>
    public ValueTask<bool> InvalidateAsync(string key, string failedValue, CancellationToken cancellationToken) =>
        store.TryInvalidateAsync(key, failedValue, cancellationToken);

    /// <summary>Builds a token from a gettoken answer; refreshes after expires_in minus margin, or half the lifetime if that is shorter.</summary>
    public static AccessToken FromExpiresIn(string value, int expiresInSeconds, DateTimeOffset now, TimeSpan margin)
    {
        var lifetime = TimeSpan.FromSeconds(Math.Max(expiresInSeconds, 0));
        var refreshIn = lifetime - (margin < lifetime / 2 ? margin : lifetime / 2);
        return new AccessToken(value, now + lifetime, now + refreshIn);
    }

    /// <summary>How long an instance may hold the shared refresh before another may fetch (a peer that died mid-gettoken).</summary>
    public static readonly TimeSpan RefreshLease = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Across instances: returns a peer's fresh token, or null once this instance holds the refresh lease and should fetch.
    /// Polls in real time; after the lease length without an answer the peer is taken for dead and this instance fetches.
    /// </summary>
    private static async Task<AccessToken?> WaitForPeerAsync(ISharedAccessTokenStore shared, string key)
    {
        var poll = TimeSpan.FromMilliseconds(100);
        for (var waited = TimeSpan.Zero; waited < RefreshLease; waited += poll)
        {
            var (leased, fresh) = await shared.TryLeaseRefreshAsync(key, RefreshLease, CancellationToken.None);
            if (leased) return null;
            if (fresh is not null) return fresh;
            await Task.Delay(poll);
        }

        return null;
    }

    private async Task<AccessToken> FetchAndStoreAsync(string key, Func<Task<AccessToken>> fetch)
    {
        // Yield first so the task is registered in _inFlight before its finally block can remove it.
        await Task.Yield();
        try
        {
            // Another caller or instance may have stored a fresh token while we queued.
            var stored = await store.GetAsync(key, CancellationToken.None);
            if (stored is not null && time.GetUtcNow() < stored.RefreshAfter)
            {
                return stored;
            }

            if (store is ISharedAccessTokenStore shared && await WaitForPeerAsync(shared, key) is { } fromPeer)
            {
                return fromPeer;
            }

            var token = await fetch();
            await store.SetAsync(key, token, CancellationToken.None);
            return token;
        }
        catch (WeComApiException ex) when (WeComRetryPolicy.Classify(ex.ErrCode).Action == RetryAction.StopAndAlert)
        {
            lock (_gate)
            {
                _failures[key] = (time.GetUtcNow() + FailureCooldown, ex);
            }

            throw;
        }
        finally
        {
            lock (_gate)
            {
                _inFlight.Remove(key);
            }
        }
    }
}
