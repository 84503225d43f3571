using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// <c>POST /cgi-bin/appchat/send</c>: message into an app group chat. Over 200/min per member it is dropped silently (§7).
/// Text or markdown here; template_card support is unconfirmed (§10).
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

    [JsonPropertyName("safe")]
    public int? Safe { get; init; }

    public static AppChatSendRequest ForText(string chatId, string content) => new(chatId, "text") { Text = new(content) };

    public static AppChatSendRequest ForMarkdown(string chatId, string content) => new(chatId, "markdown") { Markdown = new(content) };

    public override IEnumerable<string> Validate()
    {
        var payload = MsgType == "text" ? Text : Markdown;
        var problems = ContentLimits.Check($"{MsgType}.content", payload?.Content, ContentLimits.AppText);
        return AppChatCreateRequest.IsValidChatId(ChatId) ? problems : problems.Append("chatid must be 1..32 characters of 0-9a-zA-Z.");
    }
}
