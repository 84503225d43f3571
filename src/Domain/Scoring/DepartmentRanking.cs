using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Scoring;

/// <summary>A signed score item of one department in a quarter; <paramref name="Count"/> items of one rule may be folded into one line.</summary>
public sealed record ScoreItem(string DepartmentCode, string RuleCode, int Points, string Reason, int Count = 1);

/// <summary>One department's line in a ranking.</summary>
public sealed record DepartmentScore(int Rank, string Code, string Name, DepartmentKind Kind, int Score, int Deductions, int DeductedPoints, int BonusPoints,
    IReadOnlyList<ScoreItem> Items);

/// <summary>The two separate rankings of annex 3: close-monitoring units and related units.</summary>
public sealed record DepartmentRankings(IReadOnlyList<DepartmentScore> CloseMonitoring, IReadOnlyList<DepartmentScore> Related);

/// <summary>Scores and ranks departments (pure): base 100 plus every item; ties by fewer deductions, then by name (ordinal).</summary>
public static class DepartmentRanking
{
    public static DepartmentRankings Rank(IEnumerable<Department> departments, IEnumerable<ScoreItem> items)
    {
        var byDept = items.GroupBy(i => i.DepartmentCode).ToDictionary(g => g.Key, g => g.ToList());
        var scored = departments.Select(d =>
        {
            var mine = byDept.GetValueOrDefault(d.Code) ?? [];
            var deductions = mine.Where(i => i.Points < 0).ToList();
            return new DepartmentScore(0, d.Code, d.Name, d.Kind, ScoreRules.Base + mine.Sum(i => i.Points), deductions.Sum(i => i.Count),
                -deductions.Sum(i => i.Points), mine.Where(i => i.Points > 0).Sum(i => i.Points), mine);
        }).ToList();
        return new DepartmentRankings(RankOf(scored, DepartmentKind.CloseMonitoring), RankOf(scored, DepartmentKind.Related));
    }

    // 附件3 sets no tie-break [DERIVED]: equal scores go to the department with fewer deductions, then by name.
    private static IReadOnlyList<DepartmentScore> RankOf(List<DepartmentScore> all, DepartmentKind kind) =>
        [.. all.Where(s => s.Kind == kind)
            .OrderByDescending(s => s.Score).ThenBy(s => s.Deductions).ThenBy(s => s.Name, StringComparer.Ordinal)
            .Select((s, i) => s with { Rank = i + 1 })];
}
