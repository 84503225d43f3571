namespace RapidResponse.Domain.Messaging;

/// <summary>A person's form in progress, persisted so it survives restarts.</summary>
public class ConversationState
{
    /// <summary>"{channel}:{senderId}"</summary>
    public required string Key { get; set; }
    public required string Form { get; set; }
    public int Step { get; set; }
    /// <summary>JSON of the answers given so far.</summary>
    public string Answers { get; set; } = "{}";
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>A key/value cell for small durable state (kf sync cursor, shared access token, bulletin ledger).</summary>
public class KeyValueEntry
{
    public required string Key { get; set; }
    public required string Value { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>Optimistic concurrency version.</summary>
    public long Version { get; set; }
}
