using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>App text message (≤ 2048 UTF-8 bytes; supports \n and &lt;a href&gt;).</summary>
public sealed record SendTextRequest : AppMessageRequest
{
    public SendTextRequest()
        : base("text")
    {
    }

    [JsonPropertyName("text")]
    public required ContentPayload Text { get; init; }

    public override IEnumerable<string> Validate() =>
        base.Validate().Concat(ContentLimits.Check("text.content", Text.Content, ContentLimits.AppText));
}
