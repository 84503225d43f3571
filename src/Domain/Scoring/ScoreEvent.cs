namespace RapidResponse.Domain.Scoring;

/// <summary>
/// Where a score item stands. 方城 附件3 ①: “相关单位限期两天内对反馈问题进行佐证核实，经核实属实的问题计入问题条数，否则不计入” —
/// a deduction waits for the department's check; only <see cref="Verified"/> items count.
/// </summary>
public enum ScoreStatus
{
    /// <summary>待核实: the department has its card and 2 working days to confirm or contest.</summary>
    Pending = 1,
    /// <summary>有异议: the department contested with a reason; the county office decides.</summary>
    Contested = 2,
    /// <summary>已核实: confirmed by the department, not contested in time, or upheld by the county office. Counts.</summary>
    Verified = 3,
    /// <summary>已作废: voided by the county office (a contest granted, or an error). Never counts.</summary>
    Voided = 4,
}

/// <summary>
/// One deduction or bonus of the quarterly department ranking (方城 附件3 奖优惩后评分细则): entered by the county office, or
/// created by the bot for a late comparison answer (one per case and department) or a late emergency report.
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

    public ScoreStatus Status { get; set; } = ScoreStatus.Verified;
    /// <summary>What an automatic item is about ("cmp:{stageId}:{dept}", "emergency:{id}"): one item per problem, never two.</summary>
    public string? SourceKey { get; set; }
    /// <summary>The case it concerns, when there is one.</summary>
    public string? CaseNumber { get; set; }
    /// <summary>Card id of the department's 佐证核实 card ("SCORE-…").</summary>
    public string? TaskId { get; set; }
    /// <summary>End of the department's 2 working days to confirm or contest.</summary>
    public DateTimeOffset? RespondBy { get; set; }
    public string? ContestReason { get; set; }
    public string? ContestedBy { get; set; }
    public DateTimeOffset? ContestedAt { get; set; }
    /// <summary>When it became verified (counted from then, e.g. in the 约谈 count of that 通报 period).</summary>
    public DateTimeOffset? VerifiedAt { get; set; }
    /// <summary>"department" (confirmed), "deadline" (not contested in time), "county" (contest rejected), "entered" (bonus).</summary>
    public string? VerifiedHow { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? VoidReason { get; set; }

    public bool Counts => Status == ScoreStatus.Verified;
}
