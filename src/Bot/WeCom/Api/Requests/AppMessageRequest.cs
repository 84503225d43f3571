using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// Common part of <c>POST /cgi-bin/message/send</c> (发送应用消息, §4.2). Duplicate check is on by default so an outbox
/// retry after a lost answer does not deliver the same message twice.
/// </summary>
public abstract record AppMessageRequest : WeComRequest<SendMessageResponse>
{
    protected AppMessageRequest(string msgType)
        : base(HttpMethod.Post, "/cgi-bin/message/send", WeComCredential.AppToken) => MsgType = msgType;

    /// <summary>UserIDs; <c>@all</c> means everyone in the app's visible range.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ToUsers { get; init; } = [];

    [JsonIgnore]
    public IReadOnlyList<string> ToParties { get; init; } = [];

    [JsonIgnore]
    public IReadOnlyList<string> ToTags { get; init; } = [];

    [JsonPropertyName("touser")]
    public string? ToUser => Join(ToUsers);

    [JsonPropertyName("toparty")]
    public string? ToParty => Join(ToParties);

    [JsonPropertyName("totag")]
    public string? ToTag => Join(ToTags);

    [JsonPropertyName("msgtype")]
    public string MsgType { get; }

    /// <summary>Filled from <c>WeCom:AgentId</c> when left null.</summary>
    [JsonPropertyName("agentid")]
    public long? AgentId { get; init; }

    /// <summary>1 = not shareable, with watermark.</summary>
    [JsonPropertyName("safe")]
    public int? Safe { get; init; }

    [JsonPropertyName("enable_duplicate_check")]
    public int EnableDuplicateCheck { get; init; } = 1;

    /// <summary>Seconds; WeCom's default 1800, maximum 14 400.</summary>
    [JsonPropertyName("duplicate_check_interval")]
    public int DuplicateCheckInterval { get; init; } = 1800;

    public override WeComRequest<SendMessageResponse> WithDefaults(WeComOptions options) =>
        AgentId is null ? this with { AgentId = options.AgentId } : this;

    public override IEnumerable<string> Validate()
    {
        if (ToUsers.Count == 0 && ToParties.Count == 0 && ToTags.Count == 0)
        {
            yield return "touser, toparty and totag are all empty (WeCom 82001).";
        }

        if (ToUsers.Count > 1000 || ToParties.Count > 100 || ToTags.Count > 100)
        {
            yield return "at most 1000 users, 100 parties and 100 tags per message.";
        }

        if (DuplicateCheckInterval is < 0 or > 14_400)
        {
            yield return "duplicate_check_interval must be within 0..14400 seconds.";
        }
    }

    private static string? Join(IReadOnlyList<string> ids) => ids.Count == 0 ? null : string.Join('|', ids);
}

/// <summary>Answer of message/send. Partial failures still have errcode 0 and list the invalid part.</summary>
public sealed record SendMessageResponse : WeComResponse
{
    [JsonPropertyName("invaliduser")]
    public string? InvalidUser { get; init; }

    [JsonPropertyName("invalidparty")]
    public string? InvalidParty { get; init; }

    [JsonPropertyName("invalidtag")]
    public string? InvalidTag { get; init; }

    /// <summary>In the visible range but without an interface licence (基础接口许可).</summary>
    [JsonPropertyName("unlicenseduser")]
    public string? UnlicensedUser { get; init; }

    /// <summary>For message/recall within 24 h.</summary>
    [JsonPropertyName("msgid")]
    public string? MsgId { get; init; }

    /// <summary>Only for interactive template cards: single-use credential for update_template_card, valid 72 h.</summary>
    [JsonPropertyName("response_code")]
    public string? ResponseCode { get; init; }
}
