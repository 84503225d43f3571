using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Scoring;

namespace RapidResponse.Domain.Bulletins;

/// <summary>A township's line in the on-time ranking (沈丘 月考评: top 3 commended, last 1 self-criticism).</summary>
public sealed record TownshipScore(int Rank, string Code, string Name, int Completed, int OnTime)
{
    public string Rate => BulletinMath.Percent(OnTime, Completed);
}

/// <summary>The quarterly bulletin: both department rankings of 方城 annex 3 and the township ranking.</summary>
public sealed record QuarterlyFigures(QuarterPeriod Quarter, DepartmentRankings Departments, IReadOnlyList<TownshipScore> Townships, bool ShowRankings)
{
    public IReadOnlyList<TownshipScore> Top => [.. Townships.Take(3)];
    /// <summary>The last township, when there are more than three to rank.</summary>
    public TownshipScore? Last => Townships.Count > 3 ? Townships[^1] : null;
}

/// <summary>Computes the quarterly ranking from score events and the cases (aggregated in SQL).</summary>
public sealed class QuarterlyBulletinQuery(BotDb db)
{
    public async Task<QuarterlyFigures> ComputeAsync(QuarterPeriod quarter, bool showRankings, CancellationToken ct = default)
    {
        var departments = await db.Departments.AsNoTracking().ToListAsync(ct);
        var items = new List<ScoreItem>();
        items.AddRange(await LateComparisonsAsync(quarter, ct));
        var q = quarter.ToString();
        var entered = await db.ScoreEvents.AsNoTracking().Where(e => e.Quarter == q).OrderBy(e => e.Id).ToListAsync(ct);
        items.AddRange(entered.Select(e => new ScoreItem(e.DepartmentCode, e.RuleCode, e.Points, e.Reason)));
        return new QuarterlyFigures(quarter, DepartmentRanking.Rank(departments, items), await TownshipsAsync(quarter, ct), showRankings);
    }

    /// <summary>
    /// 附件3 ②: each comparison task (a department's assignment) due in the quarter and finished after the stage's deadline,
    /// or not finished at all, is an assigned problem not rectified in time (−3). Counted per department in SQL.
    /// </summary>
    public async Task<IReadOnlyList<ScoreItem>> LateComparisonsAsync(QuarterPeriod quarter, CancellationToken ct = default)
    {
        var start = quarter.Start;
        var end = quarter.End;
        var late = await (
            from a in db.Assignments
            join s in db.Stages on a.StageId equals s.Id
            where a.AssigneeKind == AssigneeKind.Department && s.Kind == StageKind.Comparison && s.DueAt >= start && s.DueAt < end
                  && (a.CompletedAt > s.DueAt || (a.CompletedAt == null && (s.CompletedAt == null || s.CompletedAt > s.DueAt)))
            group a by a.AssigneeId into g
            select new { Dept = g.Key, N = g.Count() }).ToListAsync(ct);
        var rule = ScoreRules.Find(ScoreRules.AssignedNotRectified)!;
        return [.. late.OrderBy(x => x.Dept, StringComparer.Ordinal)
            .Select(x => new ScoreItem(x.Dept, rule.Code, rule.Points * x.N, $"信息比对任务逾期未完成{x.N}件（自动计入：{rule.Name}）", x.N))];
    }

    /// <summary>Townships by on-time rate of the stages completed in the quarter; ties by more completed, then by name.</summary>
    public async Task<IReadOnlyList<TownshipScore>> TownshipsAsync(QuarterPeriod quarter, CancellationToken ct = default)
    {
        var start = quarter.Start;
        var end = quarter.End;
        var rows = await (
            from s in db.Stages
            where s.CompletedAt >= start && s.CompletedAt < end && s.DueAt != null
            join c in db.Cases on s.CaseId equals c.Id
            join v in db.Regions on c.VillageCode equals v.Code
            group s by v.ParentCode into g
            select new { Code = g.Key, Completed = g.Count(), OnTime = g.Count(x => !x.CompletedLate) }).ToListAsync(ct);
        var names = await db.Regions.AsNoTracking().Where(r => r.Level == RegionLevel.Township).ToDictionaryAsync(r => r.Code, r => r.Name, ct);
        return [.. rows.Where(r => r.Code != null && names.ContainsKey(r.Code))
            .OrderByDescending(r => (double)r.OnTime / r.Completed).ThenByDescending(r => r.Completed).ThenBy(r => names[r.Code!], StringComparer.Ordinal)
            .Select((r, i) => new TownshipScore(i + 1, r.Code!, names[r.Code!], r.Completed, r.OnTime))];
    }
}
