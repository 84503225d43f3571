namespace RapidResponse.Domain.Cases;

public enum DeferralStatus { Pending = 0, Approved = 1, Declined = 2 }

/// <summary>A request to move a stage's deadline, carded one level up for approval (云龙: written reason approved one level up).</summary>
public class DeferralRequest
{
    public long Id { get; set; }
    public required string CaseNumber { get; set; }
    public long StageId { get; set; }
    public required string RequestedBy { get; set; }
    public required string Reason { get; set; }
    /// <summary>Working days asked for.</summary>
    public int Days { get; set; }
    /// <summary>Card task_id of the approval card.</summary>
    public required string TaskId { get; set; }
    public List<string> ApproverIds { get; set; } = [];
    public DeferralStatus Status { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}
