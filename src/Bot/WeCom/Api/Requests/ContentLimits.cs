using System.Text;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>WeCom measures content limits in UTF-8 bytes, not characters (§7); the numbers live in <see cref="MessageLimits"/>.</summary>
internal static class ContentLimits
{
    public const int AppText = MessageLimits.AppTextBytes;
    public const int AppMarkdown = MessageLimits.AppMarkdownBytes;
    public const int WebhookText = MessageLimits.WebhookTextBytes;
    public const int WebhookMarkdown = MessageLimits.WebhookMarkdownBytes;

    public static IEnumerable<string> Check(string field, string? content, int maxBytes)
    {
        if (string.IsNullOrEmpty(content))
        {
            yield return $"{field} is empty (WeCom 44004).";
        }
        else if (Encoding.UTF8.GetByteCount(content) > maxBytes)
        {
            yield return $"{field} is {Encoding.UTF8.GetByteCount(content)} UTF-8 bytes; the limit is {maxBytes} (WeCom truncates or answers 45002).";
        }
    }
}

/// <summary><c>{"content": "…"}</c>, the payload shape shared by text and markdown messages.</summary>
public sealed record ContentPayload([property: System.Text.Json.Serialization.JsonPropertyName("content")] string Content);
