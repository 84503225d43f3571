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

    [JsonPropertyName("image")]
    public WebhookImage? Image { get; init; }

    [JsonPropertyName("file")]
    public MediaPayload? File { get; init; }

    [JsonPropertyName("voice")]
    public MediaPayload? Voice { get; init; }

    /// <summary>Text; mention members by UserID or mobile, or <c>@all</c>.</summary>
    public static WebhookSendRequest ForText(
        string key, string content, IReadOnlyList<string>? mentionedList = null, IReadOnlyList<string>? mentionedMobileList = null) =>
        new(key, "text") { Text = new WebhookText(content, mentionedList, mentionedMobileList) };

    /// <summary>Markdown (≤ 4096 bytes); mentions are written as <c>&lt;@userid&gt;</c> inside the content.</summary>
    public static WebhookSendRequest ForMarkdown(string key, string content) => new(key, "markdown") { Markdown = new(content) };

    /// <summary>An image in the message itself: base64 of the PNG/JPEG bytes (≤ 2 MB before encoding) and their MD5 (§4.7).</summary>
    public static WebhookSendRequest ForImage(string key, byte[] image) => new(key, MediaLimits.Image)
    {
        Image = new WebhookImage(Convert.ToBase64String(image), Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(image))),
        ImageBytes = image,
    };

    /// <summary>A file or voice by the media_id of this robot's <see cref="WebhookUploadMediaRequest"/>.</summary>
    public static WebhookSendRequest ForMedia(string key, string type, string mediaId) => type switch
    {
        MediaLimits.File => new(key, type) { File = new(mediaId) },
        MediaLimits.Voice => new(key, type) { Voice = new(mediaId) },
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "file or voice (images go as base64)"),
    };

    [JsonIgnore]
    private byte[]? ImageBytes { get; init; }

    public override IEnumerable<KeyValuePair<string, string>> QueryParameters() => [new("key", Key)];

    public override IEnumerable<string> Validate()
    {
        IEnumerable<string> problems = MsgType switch
        {
            "text" => ContentLimits.Check("text.content", Text?.Content, ContentLimits.WebhookText),
            "markdown" => ContentLimits.Check("markdown.content", Markdown?.Content, ContentLimits.WebhookMarkdown),
            MediaLimits.Image => ImageProblems(ImageBytes ?? []),
            _ => string.IsNullOrEmpty((File ?? Voice)?.MediaId) ? ["media_id is empty (WeCom 40007)."] : [],
        };
        return string.IsNullOrEmpty(Key) ? problems.Append("webhook key is required.") : problems;
    }

    private static IEnumerable<string> ImageProblems(byte[] image)
    {
        if (image.Length == 0) yield return "image is empty.";
        else if (image.Length > MediaLimits.WebhookImageMaxBytes) yield return $"image is {image.Length} bytes; a robot takes at most {MediaLimits.WebhookImageMaxBytes} (WeCom 45001).";
        if (image.Length > 0 && !MediaLimits.IsPng(image) && !MediaLimits.IsJpeg(image)) yield return "image is not PNG or JPEG (WeCom 40004).";
    }

    // The record's generated ToString would print the key.
    public override string ToString() => $"WebhookSendRequest({MsgType})";
}

/// <summary><c>{"base64": "…", "md5": "…"}</c>: the webhook image message; md5 (hex) of the raw bytes.</summary>
public sealed record WebhookImage(
    [property: JsonPropertyName("base64")] string Base64,
    [property: JsonPropertyName("md5")] string Md5);

public sealed record WebhookText(
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("mentioned_list")] IReadOnlyList<string>? MentionedList = null,
    [property: JsonPropertyName("mentioned_mobile_list")] IReadOnlyList<string>? MentionedMobileList = null);
