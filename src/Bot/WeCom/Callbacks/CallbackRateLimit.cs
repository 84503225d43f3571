using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace RapidResponse.Bot.WeCom.Callbacks;

/// <summary>
/// <c>WeCom:CallbackLimit</c>: the rate limit in front of <c>/wecom/*</c>, per client address, before any signature is
/// checked — a token bucket, so WeCom's bursts from its few callback IPs pass and one flooding address is held back.
/// The defaults sit far above a county's real traffic (hundreds of callbacks per minute at the busiest).
/// </summary>
public sealed class WeComCallbackLimitOptions
{
    /// <summary>Requests one address may send at once before it has to wait for tokens (the bucket's size).</summary>
    public int Burst { get; set; } = 2000;

    /// <summary>Tokens an address gets back every <see cref="Period"/>: its sustained rate.</summary>
    public int PerPeriod { get; set; } = 500;

    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests past the bucket that wait for a token, oldest first; beyond them the answer is 429 at once.</summary>
    public int QueueLimit { get; set; } = 200;
}

/// <summary>ASP.NET Core's rate limiter on the callback endpoints, and sampled warnings for what it and the endpoints reject.</summary>
public static class CallbackRateLimit
{
    public const string Policy = "wecom-callbacks";

    public static IServiceCollection AddCallbackRateLimit(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(CallbackRejections))) return services;
        services.AddSingleton<CallbackRejections>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Policy, http =>
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<WeComOptions>>().Value.CallbackLimit;
                return RateLimitPartition.GetTokenBucketLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limit.Burst,
                    TokensPerPeriod = limit.PerPeriod,
                    ReplenishmentPeriod = limit.Period,
                    QueueLimit = limit.QueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = (ctx, _) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "1";
                ctx.HttpContext.RequestServices.GetRequiredService<CallbackRejections>()
                    .Report("/wecom/*", "request", "rate limit (WeCom:CallbackLimit)", ctx.HttpContext.Connection.RemoteIpAddress);
                return ValueTask.CompletedTask;
            };
        });
        return services;
    }
}

/// <summary>
/// Warnings about rejected callbacks, sampled: the first of each reason is logged at once, the others within
/// <see cref="Window"/> are only counted and the count goes with the next one logged — a flood of forged requests does
/// not become a flood of log lines. Keys are the reasons (a handful), never the callers, so memory stays bounded.
/// </summary>
public sealed class CallbackRejections(TimeProvider time, ILoggerFactory loggers)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ILogger _log = loggers.CreateLogger(typeof(CallbackEndpoints).FullName!);
    private readonly ConcurrentDictionary<string, Sample> _samples = new(StringComparer.Ordinal);

    public void Report(object channel, string step, object reason, IPAddress? remote)
    {
        var sample = _samples.GetOrAdd($"{channel}|{step}|{reason}", _ => new Sample());
        var now = time.GetUtcNow();
        int more;
        lock (sample)
        {
            if (sample.LoggedAt is { } at && now - at < Window) { sample.Suppressed++; return; }
            more = sample.Suppressed;
            sample.Suppressed = 0;
            sample.LoggedAt = now;
        }
        // Never the query or body: they carry the signature and ciphertext.
        if (more == 0)
            _log.LogWarning("WeCom {Channel} callback {Step} rejected: {Reason} (from {Remote})", channel, step, reason, remote);
        else
            _log.LogWarning("WeCom {Channel} callback {Step} rejected: {Reason} (from {Remote}); {More} more like it since the last warning, not logged one by one",
                channel, step, reason, remote, more);
    }

    private sealed class Sample
    {
        public DateTimeOffset? LoggedAt;
        public int Suppressed;
    }
}
