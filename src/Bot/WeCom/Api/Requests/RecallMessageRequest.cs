using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary><c>POST /cgi-bin/message/recall</c>: withdraw an app message sent in the last 24 h (42052 afterwards).</summary>
public sealed record RecallMessageRequest : WeComRequest<WeComResponse>
{
    public RecallMessageRequest(string msgId)
        : base(HttpMethod.Post, "/cgi-bin/message/recall", WeComCredential.AppToken) => MsgId = msgId;

    [JsonPropertyName("msgid")]
    public string MsgId { get; init; }

    public override IEnumerable<string> Validate() => string.IsNullOrEmpty(MsgId) ? ["msgid is required."] : [];
}
