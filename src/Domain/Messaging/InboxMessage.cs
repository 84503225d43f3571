namespace RapidResponse.Domain.Messaging;

/// <summary>Inbound channel of a message from a person.</summary>
public enum InboundChannel { App = 1, Kf = 2, Sandbox = 3 }

public enum InboxStatus { Pending = 0, Processed = 1, Failed = 2 }

/// <summary>An acknowledged inbound callback, stored before any work; <see cref="DedupeKey"/> is unique so a re-delivery is a no-op.</summary>
public class InboxMessage
{
    public long Id { get; set; }
    public InboundChannel Channel { get; set; }
    public required string DedupeKey { get; set; }
    public required string SenderId { get; set; }
    /// <summary>text, event, card_click, …</summary>
    public required string Kind { get; set; }
    /// <summary>The decrypted message (XML or JSON) as received.</summary>
    public required string Payload { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public InboxStatus Status { get; set; }
    public int Attempts { get; set; }
    /// <summary>After a failed attempt: not tried again before this instant (backoff); null when due at once.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public string? Error { get; set; }
}
