namespace RapidResponse.Domain.Messaging;

/// <summary>Where an outbound message goes. The dispatcher (src/Bot) turns each into the right platform call.</summary>
public enum OutboundChannel
{
    /// <summary>A staff member or enrolled villager, 1:1 through the self-built app (userid).</summary>
    AppUser = 1,
    /// <summary>A farmer through 微信客服 (external userid; <see cref="OutboxMessage.OpenKfId"/> names the account).</summary>
    Kf = 2,
    /// <summary>An app group chat (chat_id).</summary>
    AppChat = 3,
    /// <summary>A group-robot webhook (webhook key).</summary>
    Webhook = 4,
}

/// <summary>The shape of an outbound message; the payload JSON is channel-neutral (see <see cref="OutboundPayload"/>).
/// <see cref="Image"/> and <see cref="File"/> carry a <see cref="MediaBody"/> naming an <see cref="OutboundMedia"/>.</summary>
public enum OutboundKind { Text = 1, Markdown = 2, Card = 3, CardUpdate = 4, Welcome = 5, Image = 6, File = 7 }

public enum OutboxStatus { Pending = 0, Sending = 1, Sent = 2, Dead = 3 }

/// <summary>A message waiting to leave, written in the same transaction as the change that caused it.</summary>
public class OutboxMessage
{
    /// <summary>
    /// <see cref="NotBefore"/> of a 微信客服 message held until the farmer writes again (their 48-hour window is closed): the
    /// farmer's next message makes it due at once, before the answer to what they wrote.
    /// </summary>
    public static readonly DateTimeOffset HeldForCustomer = new(2999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public long Id { get; set; }
    public OutboundChannel Channel { get; set; }
    public required string Recipient { get; set; }
    public string? OpenKfId { get; set; }
    public OutboundKind Kind { get; set; }
    /// <summary>JSON of an <see cref="OutboundPayload"/> record.</summary>
    public required string Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Not to be sent before this instant (backoff, rate limits, quiet hours).</summary>
    public DateTimeOffset NotBefore { get; set; }
    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>Optional idempotency key, unique when set (e.g. "ladder:42").</summary>
    public string? DedupeKey { get; set; }
    /// <summary>Id the platform returned (msgid), for recall and card updates.</summary>
    public string? PlatformMessageId { get; set; }
    /// <summary>
    /// A task card's <c>response_code</c> from the send (WeCom: single use, 72 h): lets the bot update the card for its holders
    /// when no click code is at hand (another card of the same task, a holder who never clicked).
    /// </summary>
    public string? ResponseCode { get; set; }
    /// <summary>The bytes an <see cref="OutboundKind.Image"/> or <see cref="OutboundKind.File"/> row sends; null for other kinds.</summary>
    public long? MediaId { get; set; }
    public OutboundMedia? Media { get; set; }
    /// <summary>Claim token of the dispatcher instance that holds the row while sending.</summary>
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }
}
