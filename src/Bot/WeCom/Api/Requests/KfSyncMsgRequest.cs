using System.Text.Json;
using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// <c>POST /cgi-bin/kf/sync_msg</c> (微信客服 读取消息, §5.3). Loop while has_more = 1 even on an empty page, persist
/// next_cursor after every page, and pass the callback Token (10 min) or be strictly rate-limited.
/// </summary>
public sealed record KfSyncMsgRequest : WeComRequest<KfSyncMsgResponse>
{
    public KfSyncMsgRequest()
        : base(HttpMethod.Post, "/cgi-bin/kf/sync_msg", WeComCredential.KfToken)
    {
    }

    [JsonPropertyName("cursor")]
    public string? Cursor { get; init; }

    [JsonPropertyName("token")]
    public string? Token { get; init; }

    /// <summary>Default and maximum 1000.</summary>
    [JsonPropertyName("limit")]
    public int? Limit { get; init; }

    /// <summary>0 AMR (default), 1 SILK.</summary>
    [JsonPropertyName("voice_format")]
    public int? VoiceFormat { get; init; }

    [JsonPropertyName("open_kfid")]
    public string? OpenKfId { get; init; }

    public override IEnumerable<string> Validate()
    {
        if (Limit is < 1 or > 1000)
        {
            yield return "limit must be within 1..1000.";
        }

        if (Cursor is { Length: > 64 } || Token is { Length: > 128 })
        {
            yield return "cursor is at most 64 bytes and token at most 128 bytes.";
        }
    }

    // The record's generated ToString would print the callback token.
    public override string ToString() => $"KfSyncMsgRequest(cursor set: {Cursor is not null})";
}

public sealed record KfSyncMsgResponse : WeComResponse
{
    [JsonPropertyName("next_cursor")]
    public string? NextCursor { get; init; }

    [JsonPropertyName("has_more")]
    public int HasMore { get; init; }

    [JsonPropertyName("msg_list")]
    public IReadOnlyList<KfMessage> MsgList { get; init; } = [];
}

/// <summary>
/// One pulled 微信客服 message or event. Origin 3 = customer, 4 = system event, 5 = human servicer.
/// The type-specific object (<c>text</c>, <c>image</c>, <c>event</c>…) stays as JSON in <see cref="Payload"/>.
/// </summary>
public sealed record KfMessage
{
    [JsonPropertyName("msgid")]
    public string MsgId { get; init; } = string.Empty;

    [JsonPropertyName("open_kfid")]
    public string? OpenKfId { get; init; }

    [JsonPropertyName("external_userid")]
    public string? ExternalUserId { get; init; }

    [JsonPropertyName("send_time")]
    public long SendTime { get; init; }

    [JsonPropertyName("origin")]
    public int Origin { get; init; }

    [JsonPropertyName("servicer_userid")]
    public string? ServicerUserId { get; init; }

    [JsonPropertyName("msgtype")]
    public string MsgType { get; init; } = string.Empty;

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Payload { get; init; }

    /// <summary>A field of the type-specific object (<c>text.content</c>, <c>event.event_type</c>…) as a string; null when absent.</summary>
    public string? Field(string obj, string name) =>
        Payload is not null && Payload.TryGetValue(obj, out var o) && o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ToString()
            : null;
}
