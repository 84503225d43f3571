namespace RapidResponse.Domain.Cases;

/// <summary>
/// A result the bot could not tell a farmer itself: 微信客服 lets a service account write only within 48 hours of the
/// customer's last message (wecom-protocol notes §5.4, §12). The notice waits for the farmer's next message, and meanwhile
/// the village's responsible cadre is tasked to tell the household (告知农户结果) in person or by phone; the task is nagged
/// and escalated like any other until the cadre confirms (已告知).
/// </summary>
public class FarmerNotice
{
    public long Id { get; set; }
    public long CaseId { get; set; }
    public required string CaseNumber { get; set; }
    /// <summary>Card task_id (prefix <c>FN-</c>).</summary>
    public required string TaskId { get; set; }
    /// <summary>The village cadre who tells the household (WeCom userid).</summary>
    public required string AssigneeId { get; set; }
    /// <summary>What to tell, in a line (e.g. "经核实认定：符合监测帮扶条件").</summary>
    public required string Outcome { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset? ToldAt { get; set; }
    public string? ToldBy { get; set; }
    /// <summary>The due-morning reminder went out.</summary>
    public DateTimeOffset? NaggedAt { get; set; }
    /// <summary>The overdue escalation into the township group went out.</summary>
    public DateTimeOffset? EscalatedAt { get; set; }

    public bool IsOpen => ToldAt is null;
}
