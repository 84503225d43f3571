using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api;

/// <summary>Which credential a call carries in its query string.</summary>
public enum WeComCredential
{
    /// <summary>No credential (gettoken itself).</summary>
    None,

    /// <summary>access_token of the self-built app.</summary>
    AppToken,

    /// <summary>access_token from the 微信客服 secret (falls back to the app secret when none is configured).</summary>
    KfToken,

    /// <summary>Group robot: <c>key</c> in the query is the only credential.</summary>
    WebhookKey,
}

/// <summary>
/// One WeCom API call (Telegram.Bot style): the record's JSON properties are the body; routing metadata is not serialized.
/// Find an API call by finding its request file under <c>Api/Requests</c>.
/// </summary>
public abstract record WeComRequest<TResponse>
    where TResponse : WeComResponse
{
    protected WeComRequest(HttpMethod method, string path, WeComCredential credential)
    {
        Method = method;
        Path = path;
        Credential = credential;
    }

    [JsonIgnore]
    public HttpMethod Method { get; }

    /// <summary>Path under the API base, e.g. <c>/cgi-bin/message/send</c>.</summary>
    [JsonIgnore]
    public string Path { get; }

    [JsonIgnore]
    public WeComCredential Credential { get; }

    /// <summary>Query parameters besides access_token (GET arguments, webhook key).</summary>
    public virtual IEnumerable<KeyValuePair<string, string>> QueryParameters() => [];

    /// <summary>Local checks mirroring WeCom's rules, so a bad request fails here instead of as a 4xxxx code later.</summary>
    public virtual IEnumerable<string> Validate() => [];

    /// <summary>Fills configured values (agentid) the caller left out.</summary>
    public virtual WeComRequest<TResponse> WithDefaults(WeComOptions options) => this;

    /// <summary>
    /// A body that is not the record's JSON (media/upload's multipart form); null for JSON calls. Called once per attempt,
    /// because a sent <see cref="HttpContent"/> cannot be sent again.
    /// </summary>
    public virtual HttpContent? CreateContent() => null;
}

/// <summary>Every WeCom answer: errcode 0 is success.</summary>
public record WeComResponse
{
    [JsonPropertyName("errcode")]
    public int ErrCode { get; init; }

    [JsonPropertyName("errmsg")]
    public string ErrMsg { get; init; } = string.Empty;
}
