namespace RapidResponse.Domain.Scoring;

/// <summary>One rule of annex 3: its code, signed points and the words of the seed.</summary>
public sealed record ScoreRule(string Code, int Points, string Name)
{
    public bool IsDeduction => Points < 0;
}

/// <summary>
/// The deductions and bonuses of 方城 annex 3 (seeds/000, 附件3 奖优惩后评分细则). Base 100; the final score ranks.
/// Codes: D = 扣分项, B = 加分项; the digit is the item number; N/P/C = national / provincial / city level.
/// </summary>
public static class ScoreRules
{
    public const int Base = 100;

    /// <summary>②b — applied automatically to comparison tasks finished late or still open past due.</summary>
    public const string AssignedNotRectified = "D2b";

    public static readonly IReadOnlyList<ScoreRule> All =
    [
        new("D1", -2, "督查暗访交办问题，行业部门未主动报告"),
        new("D1b", -3, "紧急或重大问题未在48小时内主动报告"),
        new("D2", -2, "部门自查问题未及时整改"),
        new(AssignedNotRectified, -3, "交办问题未及时整改"),
        new("D3", -3, "虚假整改"),
        new("D4", -5, "国、省、市检查中被通报行业政策未落实"),
        new("D5N", -15, "被国家级点名批评"),
        new("D5P", -10, "被省级点名批评"),
        new("D5C", -5, "被市级点名批评"),
        new("B1N", 30, "组织召开国家级现场会"),
        new("B1P", 20, "组织召开省级现场会"),
        new("B1C", 10, "组织召开市级现场会"),
        new("B2N", 20, "工作经验被国家宣传推介"),
        new("B2P", 15, "工作经验被省宣传推介"),
        new("B2C", 10, "工作经验被市宣传推介"),
        new("B3N", 15, "在国家重要会议上做典型发言"),
        new("B3P", 10, "在省重要会议上做典型发言"),
        new("B3C", 5, "在市重要会议上做典型发言"),
    ];

    public static ScoreRule? Find(string? code) => All.FirstOrDefault(r => string.Equals(r.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase));
}
