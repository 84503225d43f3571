namespace RapidResponse.Bot.WeCom.Api;

/// <summary>One attempt of one API call, as seen by hooks. Holds no credential and no body.</summary>
/// <param name="RequestType">The request record's type name, e.g. <c>SendTextRequest</c>.</param>
/// <param name="Attempt">0 for the first send, 1 for the retry after a token refresh.</param>
public sealed record WeComApiCall(string RequestType, string Method, string Path, int Attempt);

/// <summary>Observes every WeCom API request in one place (logging, metrics), instead of logging inside each call.</summary>
public interface IWeComApiHooks
{
    void OnRequest(WeComApiCall call);

    /// <summary>WeCom answered (errcode may be non-zero).</summary>
    void OnResponse(WeComApiCall call, int errCode, TimeSpan elapsed);

    /// <summary>Transport failure: no usable answer (timeout, 5xx, non-JSON).</summary>
    void OnTransportError(WeComApiCall call, Exception exception, TimeSpan elapsed);
}

/// <summary>
/// Default hooks: structured logs and the request counter of <see cref="WeComMetrics"/>. Paths only, never the query
/// (access_token, webhook key) or body.
/// </summary>
public sealed class LoggingWeComApiHooks(ILogger<LoggingWeComApiHooks> logger) : IWeComApiHooks
{
    public void OnRequest(WeComApiCall call) =>
        logger.LogDebug("WeCom {Request} {Method} {Path} attempt {Attempt}", call.RequestType, call.Method, call.Path, call.Attempt);

    public void OnResponse(WeComApiCall call, int errCode, TimeSpan elapsed)
    {
        WeComMetrics.Request(call.RequestType, errCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var level = errCode == 0 ? LogLevel.Information : LogLevel.Warning;
        logger.Log(level, "WeCom {Request} {Path} errcode {ErrCode} in {ElapsedMs} ms (attempt {Attempt})",
            call.RequestType, call.Path, errCode, (long)elapsed.TotalMilliseconds, call.Attempt);
    }

    public void OnTransportError(WeComApiCall call, Exception exception, TimeSpan elapsed)
    {
        WeComMetrics.Request(call.RequestType, "transport");
        logger.LogWarning("WeCom {Request} {Path} transport failure after {ElapsedMs} ms: {Error}",
            call.RequestType, call.Path, (long)elapsed.TotalMilliseconds, exception.GetType().Name);
    }
}

/// <summary>Masks identifiers (UserIDs, openids, chat ids) for logs: enough to correlate, not enough to identify a villager.</summary>
public static class LogMask
{
    public static string Id(string? id) => id switch
    {
        null or "" => "-",
        { Length: <= 4 } => "****",
        _ => $"{id[..2]}***{id[^2..]}",
    };
}
