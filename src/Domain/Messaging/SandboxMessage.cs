namespace RapidResponse.Domain.Messaging;

/// <summary>
/// A message the sandbox "sent" instead of calling WeCom: the exact request body it would have posted, kept so the
/// sandbox page and scripts can read what each person and group chat received.
/// </summary>
public class SandboxMessage
{
    public long Id { get; set; }
    /// <summary>A userid (several joined by <c>|</c> for a card update), a chat_id, a webhook key or a 微信客服 external userid.</summary>
    public required string To { get; set; }
    public OutboundChannel Channel { get; set; }
    public OutboundKind Kind { get; set; }
    /// <summary>The request body the WeCom API would have received (message/send, appchat/send, webhook/send, kf/send_msg …).</summary>
    public required string WeComJson { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The outbox row it came from (unique: a retried delivery records once); null for a passive click reply.</summary>
    public long? OutboxId { get; set; }
    /// <summary>The task card it shows or updates, for cards and card updates.</summary>
    public string? TaskId { get; set; }
    /// <summary>The WeCom API it was sent to (e.g. <c>/cgi-bin/message/send</c>); null for a passive reply to a click.</summary>
    public string? Endpoint { get; set; }
    /// <summary>Why it did not arrive: WeCom's refusal (errcode and meaning) or a silent drop; null when delivered.</summary>
    public string? Error { get; set; }
}
