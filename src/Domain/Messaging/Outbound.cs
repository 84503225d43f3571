using System.Text;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Messaging;

/// <summary>
/// How long a message may be on each channel, in UTF-8 bytes (WeCom counts bytes, not characters; WeCom protocol notes §7
/// and §4.7: app text and markdown 2048, group-robot markdown 4096 and text 2048). The one place these
/// numbers live: the outbox row builder (<see cref="Outbound"/>), the WeCom client's request checks and the WeCom rule-keeper
/// all read them from here.
/// </summary>
public static class MessageLimits
{
    /// <summary>App text (1:1 and app group chat); 微信客服 text is held to the same limit.</summary>
    public const int AppTextBytes = 2048;

    /// <summary>App markdown (1:1 and app group chat).</summary>
    public const int AppMarkdownBytes = 2048;

    /// <summary>Group-robot (webhook) text.</summary>
    public const int WebhookTextBytes = 2048;

    /// <summary>Group-robot (webhook) markdown.</summary>
    public const int WebhookMarkdownBytes = 4096;

    /// <summary>Appended to a text that had to be cut to fit its channel.</summary>
    public const string TruncatedMark = "…（内容过长，已截断）";

    /// <summary>The content limit of a text or markdown message on <paramref name="channel"/>.</summary>
    public static int For(OutboundChannel channel, OutboundKind kind) => (channel, kind) switch
    {
        (OutboundChannel.Webhook, OutboundKind.Markdown) => WebhookMarkdownBytes,
        (OutboundChannel.Webhook, _) => WebhookTextBytes,
        (_, OutboundKind.Markdown) => AppMarkdownBytes,
        _ => AppTextBytes,
    };

    public static int Bytes(string s) => Encoding.UTF8.GetByteCount(s);

    /// <summary>
    /// <paramref name="text"/> when it fits in <paramref name="maxBytes"/>; otherwise cut on a character boundary (never inside
    /// a UTF-8 sequence or a surrogate pair) so that the text plus <see cref="TruncatedMark"/> fits.
    /// </summary>
    public static string Fit(string text, int maxBytes)
    {
        if (Bytes(text) <= maxBytes) return text;
        var budget = maxBytes - Bytes(TruncatedMark);
        ArgumentOutOfRangeException.ThrowIfNegative(budget, nameof(maxBytes));
        int used = 0, chars = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > budget) break;
            used += rune.Utf8SequenceLength;
            chars += rune.Utf16SequenceLength;
        }

        return text[..chars].TrimEnd() + TruncatedMark;
    }
}

/// <summary>Where a message goes: a userid 1:1 (several joined by '|'), a farmer on 微信客服, an app group chat or a group-robot webhook.</summary>
public sealed record Target(OutboundChannel Channel, string Recipient, string? OpenKfId = null)
{
    public static Target User(string userId) => new(OutboundChannel.AppUser, userId);

    /// <summary>One app message to several members (WeCom's <c>touser</c> a|b|c).</summary>
    public static Target Users(IEnumerable<string> userIds) => new(OutboundChannel.AppUser, string.Join('|', userIds.Distinct(StringComparer.Ordinal)));

    /// <summary>A farmer on 微信客服 (external userid) through the account <paramref name="openKfId"/>.</summary>
    public static Target Kf(string externalUserId, string? openKfId) => new(OutboundChannel.Kf, externalUserId, openKfId);

    /// <summary>An app group chat when the binding has a chat_id, else its webhook; null when it has neither.</summary>
    public static Target? Of(GroupBinding? g) =>
        g is null ? null
        : !string.IsNullOrWhiteSpace(g.ChatId) ? new(OutboundChannel.AppChat, g.ChatId)
        : !string.IsNullOrWhiteSpace(g.WebhookKey) ? new(OutboundChannel.Webhook, g.WebhookKey)
        : null;

    /// <summary>The markdown limit of the channel in UTF-8 bytes (<see cref="MessageLimits"/>).</summary>
    public int MarkdownLimitBytes => MessageLimits.For(Channel, OutboundKind.Markdown);
}

/// <summary>
/// The one builder of outbox rows: target, kind, channel-neutral body, dedupe key, and content within the channel's byte
/// limit (<see cref="MessageLimits"/>; a longer text is cut safely — long bulletins are split by their publisher first).
/// The caller adds the row to the same SaveChanges as the change that caused it.
/// </summary>
public static class Outbound
{
    /// <summary>Dedupe keys of task-card sends: <c>card:{task_id}</c> — WeCom takes a task_id once per app, so the outbox never sends one twice.</summary>
    public const string CardPrefix = "card:";

    public static string CardKey(string cardTaskId) => CardPrefix + cardTaskId;

    /// <param name="answer">The reply to what the person just wrote (<see cref="TextBody.Answer"/>).</param>
    public static OutboxMessage Text(Target to, string content, IReadOnlyList<string>? mentions, string? dedupeKey, DateTimeOffset now, bool answer = false)
    {
        mentions = mentions is { Count: > 0 } ? mentions : null;
        var body = new TextBody(Fit(to, OutboundKind.Text, content, mentions), mentions, answer);
        return Row(to, OutboundKind.Text, OutboundPayload.Serialize(body), dedupeKey, now);
    }

    public static OutboxMessage Markdown(Target to, string content, string? dedupeKey, DateTimeOffset now) =>
        Row(to, OutboundKind.Markdown, OutboundPayload.Serialize(new MarkdownBody(Fit(to, OutboundKind.Markdown, content, null))), dedupeKey, now);

    /// <summary>One send of a task card to all its holders under one task_id, keyed <see cref="CardKey"/>.</summary>
    public static OutboxMessage Card(IEnumerable<string> userIds, CardBody card, DateTimeOffset now) =>
        Row(Target.Users(userIds), OutboundKind.Card, OutboundPayload.Serialize(card), CardKey(card.TaskId), now);

    /// <summary>Replaces the buttons of a sent card for its holders.</summary>
    public static OutboxMessage CardUpdate(CardUpdateBody update, DateTimeOffset now) =>
        Row(Target.Users(update.UserIds), OutboundKind.CardUpdate, OutboundPayload.Serialize(update), null, now);

    /// <summary>The welcome of a 微信客服 entry, sent with its one-time welcome_code.</summary>
    public static OutboxMessage Welcome(Target to, WelcomeBody welcome, DateTimeOffset now) =>
        Row(to, OutboundKind.Welcome, OutboundPayload.Serialize(welcome with { Text = MessageLimits.Fit(welcome.Text, MessageLimits.AppTextBytes) }), null, now);

    /// <summary>
    /// An image (or file) message whose bytes are <paramref name="media"/> (<see cref="OutboundMedia.StoreAsync"/>), saved with
    /// the row; the platform's media id is fetched when the row is sent (it expires).
    /// </summary>
    public static OutboxMessage Media(Target to, OutboundMedia media, string? dedupeKey, DateTimeOffset now)
    {
        var row = Row(to, media.Kind == MediaKind.Image ? OutboundKind.Image : OutboundKind.File, OutboundPayload.Serialize(new MediaBody(media.FileName)), dedupeKey, now);
        row.Media = media;
        return row;
    }

    /// <summary>Room for the mentions a group channel writes into the content (<c>\n&lt;@a&gt; &lt;@b&gt;</c>), then the channel's limit.</summary>
    private static string Fit(Target to, OutboundKind kind, string content, IReadOnlyList<string>? mentions)
    {
        var room = mentions is null ? 0 : MessageLimits.Bytes("\n" + string.Join(' ', mentions.Select(u => $"<@{u}>")));
        return MessageLimits.Fit(content, MessageLimits.For(to.Channel, kind) - room);
    }

    private static OutboxMessage Row(Target to, OutboundKind kind, string payload, string? dedupeKey, DateTimeOffset now) => new()
    {
        Channel = to.Channel,
        Recipient = to.Recipient,
        OpenKfId = to.OpenKfId,
        Kind = kind,
        Payload = payload,
        CreatedAt = now,
        NotBefore = now,
        DedupeKey = dedupeKey,
    };
}
