using System.Text;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>WeCom measures content limits in UTF-8 bytes, not characters (§7): 2048 for app text/markdown, 4096 for webhook markdown.</summary>
internal static class ContentLimits
{
    public const int AppText = 2048;
    public const int WebhookText = 2048;
    public const int WebhookMarkdown = 4096;

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
