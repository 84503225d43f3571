using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// <c>POST /cgi-bin/appchat/send</c>: message into an app group chat. Over 200/min per member it is dropped silently (§7).
/// Text, markdown, or an image/voice/file by the media_id of media/upload; template_card support is unconfirmed (§10).
/// </summary>
public sealed record AppChatSendRequest : WeComRequest<WeComResponse>
{
    private AppChatSendRequest(string chatId, string msgType)
        : base(HttpMethod.Post, "/cgi-bin/appchat/send", WeComCredential.AppToken)
    {
        ChatId = chatId;
        MsgType = msgType;
    }

    [JsonPropertyName("chatid")]
    public string ChatId { get; }

    [JsonPropertyName("msgtype")]
    public string MsgType { get; }

    [JsonPropertyName("text")]
    public ContentPayload? Text { get; init; }

    [JsonPropertyName("markdown")]
    public ContentPayload? Markdown { get; init; }

    [JsonPropertyName("image")]
    public MediaPayload? Image { get; init; }

    [JsonPropertyName("voice")]
    public MediaPayload? Voice { get; init; }

    [JsonPropertyName("file")]
    public MediaPayload? File { get; init; }

    [JsonPropertyName("safe")]
    public int? Safe { get; init; }

    public static AppChatSendRequest ForText(string chatId, string content) => new(chatId, "text") { Text = new(content) };

    public static AppChatSendRequest ForMarkdown(string chatId, string content) => new(chatId, "markdown") { Markdown = new(content) };

    /// <summary>An image, voice or file (<see cref="MediaLimits"/> type names) by its media_id.</summary>
    public static AppChatSendRequest ForMedia(string chatId, string type, string mediaId) => type switch
    {
        MediaLimits.Image => new(chatId, type) { Image = new(mediaId) },
        MediaLimits.Voice => new(chatId, type) { Voice = new(mediaId) },
        MediaLimits.File => new(chatId, type) { File = new(mediaId) },
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "image, voice or file"),
    };

    public override IEnumerable<string> Validate()
    {
        var media = Image ?? Voice ?? File;
        var problems = MsgType is "text" or "markdown"
            ? ContentLimits.Check($"{MsgType}.content", (MsgType == "text" ? Text : Markdown)?.Content, ContentLimits.AppText)
            : string.IsNullOrEmpty(media?.MediaId) ? ["media_id is empty (WeCom 40007)."] : [];
        return AppChatCreateRequest.IsValidChatId(ChatId) ? problems : problems.Append("chatid must be 1..32 characters of 0-9a-zA-Z.");
    }
}
