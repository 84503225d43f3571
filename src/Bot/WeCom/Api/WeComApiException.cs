namespace RapidResponse.Bot.WeCom.Api;

/// <summary>WeCom answered with <c>errcode != 0</c>. Branch on <see cref="ErrCode"/> (see <see cref="WeComRetryPolicy"/>), never on the message text.</summary>
public sealed class WeComApiException(int errCode, string errMsg, string apiPath)
    : Exception($"WeCom API {apiPath} failed: errcode {errCode}, {errMsg}")
{
    public int ErrCode { get; } = errCode;

    /// <summary>WeCom's errmsg; may contain hints such as the caller IP for 60020.</summary>
    public string ErrMsg { get; } = errMsg;

    /// <summary>API path without query (the query holds the access_token or webhook key).</summary>
    public string ApiPath { get; } = apiPath;

    public RetryDecision Decision => WeComRetryPolicy.Classify(ErrCode);
}
