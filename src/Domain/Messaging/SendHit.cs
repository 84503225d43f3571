namespace RapidResponse.Domain.Messaging;

/// <summary>
/// One send counted against a platform rate-limit key ("AppRecipient:zhangsan"), shared by every instance on PostgreSQL.
/// Rows older than the key's longest window are deleted as new ones are written.
/// </summary>
public class SendHit
{
    public long Id { get; set; }
    public required string Key { get; set; }
    public DateTimeOffset At { get; set; }
}
