namespace RapidResponse.Domain.Reports;

/// <summary>
/// 方城 二(二)1 紧急事件及时报送: a department or township reports an emergency (天灾人祸、突发重病 …) to the 5+2 office; 附件3 ①:
/// not reported within 48 hours of the event → −3 (as a 待核实 item for a department).
/// </summary>
public class EmergencyReport
{
    public long Id { get; set; }
    public required string ReporterId { get; set; }
    /// <summary>"department" or "township".</summary>
    public required string UnitKind { get; set; }
    public required string UnitCode { get; set; }
    public DateTimeOffset EventAt { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
    public required string Text { get; set; }
    /// <summary>Reported more than 48 hours after the event.</summary>
    public bool Late { get; set; }
    public long? ScoreEventId { get; set; }
    /// <summary>The D1b item a late department report created.</summary>
    public Scoring.ScoreEvent? ScoreEvent { get; set; }
    public string? SourceMessageId { get; set; }

    public static readonly TimeSpan Limit = TimeSpan.FromHours(48);
}
