using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// <c>POST /cgi-bin/webhook/send?key=…</c> (群机器人/消息推送, §4.7). The key is the only credential: it goes in the query,
/// never in the body or logs. 20 messages per minute per robot.
/// </summary>
public sealed record WebhookSendRequest : WeComRequest<WeComResponse>
{
    private WebhookSendRequest(string key, string msgType)
        : base(HttpMethod.Post, "/cgi-bin/webhook/send", WeComCredential.WebhookKey)
    {
        Key = key;
        MsgType = msgType;
    }

    [JsonIgnore]
    public string Key { get; }

    [JsonPropertyName("msgtype")]
    public string MsgType { get; }

    [JsonPropertyName("text")]
    public WebhookText? Text { get; init; }

    [JsonPropertyName("markdown")]
    public ContentPayload? Markdown { get; init; }

    /// <summary>Text; mention members by UserID or mobile, or <c>@all</c>.</summary>
    public static WebhookSendRequest ForText(
        string key, string content, IReadOnlyList<string>? mentionedList = null, IReadOnlyList<string>? mentionedMobileList = null) =>
        new(key, "text") { Text = new WebhookText(content, mentionedList, mentionedMobileList) };

    /// <summary>Markdown (≤ 4096 bytes); mentions are written as <c>&lt;@userid&gt;</c> inside the content.</summary>
    public static WebhookSendRequest ForMarkdown(string key, string content) => new(key, "markdown") { Markdown = new(content) };

    public override IEnumerable<KeyValuePair<string, string>> QueryParameters() => [new("key", Key)];

    public override IEnumerable<string> Validate()
    {
        var problems = MsgType == "text"
            ? ContentLimits.Check("text.content", Text?.Content, ContentLimits.WebhookText)
            : ContentLimits.Check("markdown.content", Markdown?.Content, ContentLimits.WebhookMarkdown);
        return string.IsNullOrEmpty(Key) ? problems.Append("webhook key is required.") : problems;
    }

    // The record's generated ToString would print the key.
    public override string ToString() => $"WebhookSendRequest({MsgType})";
}

public sealed record WebhookText(
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("mentioned_list")] IReadOnlyList<string>? MentionedList = null,
    [property: JsonPropertyName("mentioned_mobile_list")] IReadOnlyList<string>? MentionedMobileList = null);
