using System.Collections.Frozen;
using System.Net;

namespace RapidResponse.Bot.WeCom.Api;

/// <summary>What to do after a failed WeCom call.</summary>
public enum RetryAction
{
    /// <summary>Transient (system busy, concurrency limit, 5xx, timeout): retry with exponential backoff and jitter.</summary>
    RetryWithBackoff,

    /// <summary>Frequency limit hit: queue and wait out the block period; never hot-retry.</summary>
    WaitBlockPeriod,

    /// <summary>Token revoked or expired: invalidate (compare-and-swap) and retry once. <see cref="WeComApiClient"/> already does this.</summary>
    InvalidateTokenAndRetryOnce,

    /// <summary>Configuration or permission problem: stop sending and alert an operator; retrying cannot help and may get the IP banned.</summary>
    StopAndAlert,

    /// <summary>The request itself is wrong or can never be delivered (bad field, expired code, recipient gone): drop it and log.</summary>
    NeverRetry,
}

/// <summary>Classification of one failure; <paramref name="Delay"/> is the minimum wait for <see cref="RetryAction.WaitBlockPeriod"/>.</summary>
public sealed record RetryDecision(RetryAction Action, string Reason, TimeSpan? Delay = null, int MaxAttempts = 0);

/// <summary>
/// Retry policy as data: error code → action (protocol notes §8). The client applies token invalidation itself;
/// the outbox dispatcher uses <see cref="Classify(int)"/> / <see cref="Classify(Exception)"/> to decide backoff.
/// </summary>
public static class WeComRetryPolicy
{
    /// <summary>Minute-level frequency blocks last 60 s; repeated hits escalate (hour 60 min, day until midnight, §7).</summary>
    public static readonly TimeSpan MinuteBlockPeriod = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan HourBlockPeriod = TimeSpan.FromMinutes(60);

    /// <summary>The table itself; unknown codes fall back to <see cref="RetryAction.NeverRetry"/> so a surprise never loops.</summary>
    public static readonly FrozenDictionary<int, RetryDecision> Table = new Dictionary<int, RetryDecision>
    {
        [-1] = new(RetryAction.RetryWithBackoff, "system busy (系统繁忙); doc advises at most 3 retries", MaxAttempts: 3),
        [45033] = new(RetryAction.RetryWithBackoff, "API concurrency limit; lower concurrency, retry with jitter", MaxAttempts: 5),
        [45009] = new(RetryAction.WaitBlockPeriod, "frequency limit (also webhook 20/min)", MinuteBlockPeriod),
        [40014] = new(RetryAction.InvalidateTokenAndRetryOnce, "invalid access_token"),
        [42001] = new(RetryAction.InvalidateTokenAndRetryOnce, "access_token expired"),
        // 40001 is retried once by the client after refreshing the token; reaching the caller means the secret is really wrong.
        [40001] = new(RetryAction.StopAndAlert, "invalid secret; repeated gettoken failures ban the IP for 1 h"),
        [40013] = new(RetryAction.StopAndAlert, "invalid CorpID"),
        [41004] = new(RetryAction.StopAndAlert, "secret missing"),
        [48002] = new(RetryAction.StopAndAlert, "API not permitted for this token (appchat needs root visible range)"),
        [60011] = new(RetryAction.StopAndAlert, "no privilege: outside the app's visible range"),
        [60020] = new(RetryAction.StopAndAlert, "caller IP not in 企业可信IP"),
        // Not the channel's fault: the recipients are unknown, inactive or out of range; the caller marks them (invaliduser).
        [81013] = new(RetryAction.NeverRetry, "all recipients invalid or not permitted"),
        [93000] = new(RetryAction.StopAndAlert, "webhook invalid or robot removed"),
        [93004] = new(RetryAction.StopAndAlert, "webhook robot disabled"),
        [93008] = new(RetryAction.StopAndAlert, "webhook robot not in the group"),
        [95000] = new(RetryAction.StopAndAlert, "invalid open_kfid"),
        [95003] = new(RetryAction.StopAndAlert, "kf: unverified corp reached the customer cap"),
        [95004] = new(RetryAction.StopAndAlert, "nonexistent open_kfid"),
        [95011] = new(RetryAction.StopAndAlert, "kf: wrong secret mode (联合版/独立版)"),
        [95012] = new(RetryAction.StopAndAlert, "kf: secret not usable in WeCom; use the 微信客服 secret"),
        [301002] = new(RetryAction.StopAndAlert, "token's app has no right to this agentid"),
        [40003] = new(RetryAction.NeverRetry, "invalid UserID; drop the recipient"),
        // The sender forgets the media_id it used, so the one retry uploads the bytes again (§8: re-upload, retry once).
        [40007] = new(RetryAction.RetryWithBackoff, "invalid media_id (expired after 3 days or wrong type); re-upload", MaxAttempts: 1),
        [40004] = new(RetryAction.NeverRetry, "media format does not fit its type"),
        [40005] = new(RetryAction.NeverRetry, "invalid media type parameter (bug)"),
        [40006] = new(RetryAction.NeverRetry, "invalid media size"),
        [40009] = new(RetryAction.NeverRetry, "invalid image size"),
        [44001] = new(RetryAction.NeverRetry, "empty media"),
        [45001] = new(RetryAction.NeverRetry, "media too large"),
        [40008] = new(RetryAction.NeverRetry, "invalid msgtype (bug)"),
        [40058] = new(RetryAction.NeverRetry, "invalid parameter (bug)"),
        [40063] = new(RetryAction.NeverRetry, "required parameter empty (bug)"),
        [41001] = new(RetryAction.NeverRetry, "access_token missing (client bug)"),
        [42014] = new(RetryAction.NeverRetry, "task_id invalid"),
        [42015] = new(RetryAction.NeverRetry, "card update from another app"),
        [42016] = new(RetryAction.NeverRetry, "task_id not found"),
        [42052] = new(RetryAction.NeverRetry, "msgid expired (recall > 24 h)"),
        [44004] = new(RetryAction.NeverRetry, "text content empty (bug)"),
        [45002] = new(RetryAction.NeverRetry, "content too long; split by UTF-8 bytes"),
        [60140] = new(RetryAction.NeverRetry, "response_code expired or used"),
        [82001] = new(RetryAction.NeverRetry, "no recipients (bug)"),
        [86001] = new(RetryAction.NeverRetry, "chatid invalid (bug)"),
        [95001] = new(RetryAction.NeverRetry, "kf: 5 messages since the user's last message; wait for the user"),
        [95002] = new(RetryAction.NeverRetry, "kf: outside the 48 h window; wait for the user"),
        [95013] = new(RetryAction.NeverRetry, "kf: session ended"),
        [95016] = new(RetryAction.NeverRetry, "kf: illegal state transition"),
        [95018] = new(RetryAction.NeverRetry, "kf: a human servicer handles the session"),
    }.ToFrozenDictionary();

    private static readonly RetryDecision Unknown = new(RetryAction.NeverRetry, "unclassified WeCom error code");

    /// <summary>Codes after which the cached token must be dropped and the call retried once.</summary>
    public static bool InvalidatesToken(int errCode) => errCode is 40014 or 42001 or 40001;

    public static RetryDecision Classify(int errCode) => Table.GetValueOrDefault(errCode, Unknown);

    /// <summary>Classifies any exception a send can throw: API errors by code, transport trouble as transient.</summary>
    public static RetryDecision Classify(Exception exception) => exception switch
    {
        WeComApiException api => Classify(api.ErrCode),
        HttpRequestException { StatusCode: { } status } when (int)status >= 500 || status == HttpStatusCode.TooManyRequests =>
            new(RetryAction.RetryWithBackoff, $"HTTP {(int)status}", MaxAttempts: 5),
        HttpRequestException { StatusCode: { } status } => new(RetryAction.NeverRetry, $"HTTP {(int)status}"),
        HttpRequestException or TimeoutException or TaskCanceledException or IOException or System.Text.Json.JsonException =>
            new(RetryAction.RetryWithBackoff, "network failure, timeout or unreadable answer", MaxAttempts: 5),
        ArgumentException => new(RetryAction.NeverRetry, "request failed local validation"),
        _ => Unknown,
    };

    /// <summary>
    /// Block period for the n-th consecutive 45009 on the same key: 60 s, then 60 min, then until the next natural day
    /// in China time (UTC+8), because WeCom does not say which level was hit.
    /// </summary>
    public static TimeSpan BlockPeriod(int consecutiveHits, DateTimeOffset now) => consecutiveHits switch
    {
        <= 1 => MinuteBlockPeriod,
        2 => HourBlockPeriod,
        _ => NextChinaMidnight(now) - now,
    };

    private static DateTimeOffset NextChinaMidnight(DateTimeOffset now)
    {
        var china = now.ToOffset(TimeSpan.FromHours(8));
        return new DateTimeOffset(china.Date.AddDays(1), china.Offset);
    }
}
