using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>App template card (模板卡片, §4.3). The answer's <c>response_code</c> lets us update the card later.</summary>
public sealed record SendTemplateCardRequest : AppMessageRequest
{
    public SendTemplateCardRequest()
        : base("template_card")
    {
    }

    [JsonPropertyName("template_card")]
    public required TemplateCard TemplateCard { get; init; }

    public override IEnumerable<string> Validate() => base.Validate().Concat(TemplateCard.Validate());
}
