namespace RapidResponse.Domain.Bulletins;

/// <summary>Who is interviewed (云龙 责任追溯 四(三)).</summary>
public enum InterviewLevel
{
    /// <summary>县委、县人民政府分管领导约谈乡镇和行业部门分管领导.</summary>
    Deputy = 1,
    /// <summary>连续两次: 县委、县人民政府主要领导约谈乡镇和行业部门主要领导.</summary>
    Principal = 2,
}

/// <summary>
/// A township or department listed for 约谈 in one 通报 period, written when that 通报 is posted (so “twice in a row” is
/// read from what was really published). The county office records that the interview took place.
/// </summary>
public class InterviewListing
{
    public long Id { get; set; }
    /// <summary>The 通报 period, "2026-10" or "2026-09~10".</summary>
    public required string Period { get; set; }
    /// <summary>"township" or "department".</summary>
    public required string UnitKind { get; set; }
    public required string UnitCode { get; set; }
    public required string UnitName { get; set; }
    public int Problems { get; set; }
    public int Unrectified { get; set; }
    public InterviewLevel Level { get; set; }
    public DateTimeOffset ListedAt { get; set; }
    public DateTimeOffset? HeldAt { get; set; }
    public string? HeldBy { get; set; }
    public string? HeldNote { get; set; }
    public DateTimeOffset? RecordedAt { get; set; }
}
