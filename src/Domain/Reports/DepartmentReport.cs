namespace RapidResponse.Domain.Reports;

/// <summary>
/// A department's monthly self-check report (月报) to the 5+2 office: the problems found in its own check and their rectification.
/// 方城“5+2”联动机制: each month's report is due by the 5th of the next month.
/// </summary>
public class DepartmentReport
{
    public long Id { get; set; }
    public required string DepartmentCode { get; set; }
    /// <summary>The month reported on, "2026-10".</summary>
    public required string Period { get; set; }
    /// <summary>First submission; a later correction keeps this instant (the deadline is judged on it).</summary>
    public DateTimeOffset SubmittedAt { get; set; }
    public required string SubmittedBy { get; set; }
    public required string Content { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}
