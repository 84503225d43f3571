namespace RapidResponse.Domain.Scoring;

/// <summary>
/// One deduction or bonus of the quarterly department ranking (方城 附件3 奖优惩后评分细则), entered by the county office.
/// Late comparison tasks are not stored here: they are counted from the cases when the ranking is computed.
/// </summary>
public class ScoreEvent
{
    public long Id { get; set; }
    public required string DepartmentCode { get; set; }
    /// <summary>"2026-Q3"</summary>
    public required string Quarter { get; set; }
    /// <summary>A code of <see cref="ScoreRules"/>, e.g. "D2b".</summary>
    public required string RuleCode { get; set; }
    /// <summary>Signed points as the rule gave them when entered (−3, +20).</summary>
    public int Points { get; set; }
    public required string Reason { get; set; }
    public required string EnteredBy { get; set; }
    public DateTimeOffset At { get; set; }
}
