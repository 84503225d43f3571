using System.Text.Json;
using System.Text.Json.Serialization;

namespace RapidResponse.Domain.Messaging;

/// <summary>Channel-neutral message bodies stored in the outbox. No platform field names here.</summary>
public static class OutboundPayload
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize<T>(T payload) => JsonSerializer.Serialize(payload, Json);
    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Json)!;
}

/// <summary>
/// Plain text; <paramref name="Mentions"/> are userids to @-mention (group chats). <paramref name="Answer"/>: the reply to
/// what the person just wrote — it must arrive even when it repeats an earlier reply word for word ("我的任务" asked twice),
/// so the platform's duplicate suppression is not asked for; notifications (nags, escalations) keep it.
/// </summary>
public sealed record TextBody(
    string Content,
    IReadOnlyList<string>? Mentions = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Answer = false);

/// <summary>Markdown (the WeCom subset); mentions are rendered into the text by the dispatcher where the channel needs it.</summary>
public sealed record MarkdownBody(string Content, IReadOnlyList<string>? Mentions = null);

/// <summary>
/// A welcome when someone opens a 微信客服 chat: sent with the entry's one-time <paramref name="Code"/> (welcome_code), with
/// <paramref name="Menu"/> items the customer can tap (each comes back as that text).
/// </summary>
public sealed record WelcomeBody(string Code, string Text, IReadOnlyList<string> Menu, string? Tail = null);

/// <summary>A task card with buttons.</summary>
public sealed record CardBody(
    string TaskId,
    string Title,
    string? Description,
    IReadOnlyList<CardField> Fields,
    IReadOnlyList<CardButton> Buttons,
    string? Emphasis = null,
    string? EmphasisLabel = null);

public sealed record CardField(string Label, string Value);

/// <summary>Style 1 = primary, 2 = secondary/neutral, 3 = danger (WeCom styles 1–4).</summary>
public sealed record CardButton(string Key, string Text, int Style = 1);

/// <summary>Replace the buttons of a sent card with a finished label, for every holder or by response code.</summary>
public sealed record CardUpdateBody(string TaskId, string ReplaceText, IReadOnlyList<string> UserIds, string? ResponseCode = null);

/// <summary>
/// An image or file message. The bytes are the row's <see cref="OutboxMessage.Media"/> (not a platform id: that one is fetched
/// when the row is sent, because it expires); <paramref name="FileName"/> is for people reading the row.
/// </summary>
public sealed record MediaBody(string FileName);
