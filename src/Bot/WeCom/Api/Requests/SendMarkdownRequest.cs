using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>App markdown message (WeCom's subset, ≤ 2048 UTF-8 bytes). Not rendered in the WeChat plugin (微信插件).</summary>
public sealed record SendMarkdownRequest : AppMessageRequest
{
    public SendMarkdownRequest()
        : base("markdown")
    {
    }

    [JsonPropertyName("markdown")]
    public required ContentPayload Markdown { get; init; }

    public override IEnumerable<string> Validate() =>
        base.Validate().Concat(ContentLimits.Check("markdown.content", Markdown.Content, ContentLimits.AppMarkdown));
}
