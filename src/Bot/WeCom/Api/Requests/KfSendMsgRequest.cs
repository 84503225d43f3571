using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// <c>POST /cgi-bin/kf/send_msg</c> (§5.4): text reply to a WeChat user. Only within 48 h of the user's last message and
/// at most 5 per user message (95001/95002); session state must be 0 or 1 (95018). Set <see cref="MsgId"/> to make retries idempotent.
/// </summary>
public sealed record KfSendMsgRequest : WeComRequest<KfSendMsgResponse>
{
    public KfSendMsgRequest()
        : base(HttpMethod.Post, "/cgi-bin/kf/send_msg", WeComCredential.KfToken)
    {
    }

    /// <summary>external_userid of the WeChat user (wm…).</summary>
    [JsonPropertyName("touser")]
    public required string ToUser { get; init; }

    [JsonPropertyName("open_kfid")]
    public required string OpenKfId { get; init; }

    /// <summary>Optional, ≤ 32 of [0-9a-zA-Z_-]; echoed back.</summary>
    [JsonPropertyName("msgid")]
    public string? MsgId { get; init; }

    [JsonPropertyName("msgtype")]
    public string MsgType => "text";

    [JsonPropertyName("text")]
    public required ContentPayload Text { get; init; }

    public override IEnumerable<string> Validate()
    {
        if (MsgId is not null && (MsgId.Length is 0 or > 32 || !MsgId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
        {
            yield return "msgid must be 1..32 characters of 0-9a-zA-Z_-.";
        }

        foreach (var problem in ContentLimits.Check("text.content", Text.Content, ContentLimits.AppText))
        {
            yield return problem;
        }
    }
}

public sealed record KfSendMsgResponse : WeComResponse
{
    [JsonPropertyName("msgid")]
    public string? MsgId { get; init; }
}
