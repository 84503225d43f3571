namespace RapidResponse.Domain.Audit;

/// <summary>An append-only record of one change: who, in what role, when, what, through which message.</summary>
public class AuditEvent
{
    public long Id { get; set; }
    public long? CaseId { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>WeCom userid, 微信客服 external id, "system" or "admin".</summary>
    public required string Actor { get; set; }
    public required string ActorRole { get; set; }
    /// <summary>Machine-readable action, e.g. "case.created", "stage.completed".</summary>
    public required string Action { get; set; }
    /// <summary>Human-readable detail (no unmasked ID or phone numbers).</summary>
    public string Detail { get; set; } = "";
    public string? SourceMessageId { get; set; }
}
