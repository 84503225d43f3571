using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// <c>POST /cgi-bin/kf/send_msg_on_event</c> (§5.4): the welcome of an <c>enter_session</c> event, with its one-time
/// <c>welcome_code</c> (once, within about 20 s). A welcome never goes through send_msg: that is refused before the user has written.
/// </summary>
public sealed record KfSendMsgOnEventRequest : WeComRequest<KfSendMsgResponse>
{
    public KfSendMsgOnEventRequest()
        : base(HttpMethod.Post, "/cgi-bin/kf/send_msg_on_event", WeComCredential.KfToken)
    {
    }

    [JsonPropertyName("code")]
    public required string Code { get; init; }

    [JsonPropertyName("msgid")]
    public string? MsgId { get; init; }

    [JsonPropertyName("msgtype")]
    public string MsgType => Menu is null ? "text" : "msgmenu";

    [JsonPropertyName("text")]
    public ContentPayload? Text { get; init; }

    [JsonPropertyName("msgmenu")]
    public KfMsgMenu? Menu { get; init; }

    public override IEnumerable<string> Validate()
    {
        if (string.IsNullOrEmpty(Code)) yield return "code (welcome_code) is required.";
        if ((Text is null) == (Menu is null)) yield return "exactly one of text or msgmenu.";
        if (Text is not null)
            foreach (var p in ContentLimits.Check("text.content", Text.Content, ContentLimits.AppText)) yield return p;
        if (Menu is { List.Count: > 10 }) yield return "msgmenu takes at most 10 items.";
    }
}

/// <summary>A 微信客服 menu message: a head text, click items (the customer's tap comes back as a text with menu_id), a tail.</summary>
public sealed record KfMsgMenu(
    [property: JsonPropertyName("head_content")] string HeadContent,
    [property: JsonPropertyName("list")] IReadOnlyList<KfMenuItem> List,
    [property: JsonPropertyName("tail_content")] string? TailContent = null);

public sealed record KfMenuItem(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("click")] KfMenuClick Click)
{
    public static KfMenuItem Of(string id, string content) => new("click", new KfMenuClick(id, content));
}

public sealed record KfMenuClick([property: JsonPropertyName("id")] string Id, [property: JsonPropertyName("content")] string Content);
