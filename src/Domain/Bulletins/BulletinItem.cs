namespace RapidResponse.Domain.Bulletins;

/// <summary>
/// A problem a posted bulletin named (an overdue stage, a missing monthly report). 云龙 责任追究: the same problem bulletined
/// three times without rectification becomes a referral candidate; this ledger is how "three times" is counted.
/// </summary>
public class BulletinItem
{
    public long Id { get; set; }
    /// <summary>"monthly" or "quarterly".</summary>
    public required string Bulletin { get; set; }
    /// <summary>"2026-10"</summary>
    public required string Period { get; set; }
    /// <summary>"stage:123" or "report:JT".</summary>
    public required string ItemKey { get; set; }
    public string? TownshipCode { get; set; }
    public required string Description { get; set; }
    public DateTimeOffset PostedAt { get; set; }
}
