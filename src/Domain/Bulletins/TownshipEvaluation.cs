using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Domain.Bulletins;

/// <summary>
/// One township's line of the evaluation: stages completed in the period (on time or late) and stages still open past their
/// deadline at its end. The rate is on time ÷ (completed + open past due), so leaving work unfinished never raises it.
/// </summary>
public sealed record TownshipEvaluationLine(int? Rank, string Code, string Name, int OnTime, int Completed, int OpenOverdue)
{
    public int Due => Completed + OpenOverdue;
    public bool NoDueWork => Due == 0;
    /// <summary>"50%", or 无到期任务 when nothing was due.</summary>
    public string Rate => NoDueWork ? "无到期任务" : BulletinMath.Percent(OnTime, Due);
    public double Ratio => Due == 0 ? 0 : (double)OnTime / Due;
}

/// <summary>
/// 沈丘 五(四) 严格奖惩措施: “根据月考评结果，前3名给予表彰和奖励；后1名大会检讨发言，限期整改；月考评结果计入年底总成绩”.
/// Ranked: townships with due work; <see cref="NoDueWork"/> are listed apart (无到期任务), never ranked first.
/// </summary>
public sealed record TownshipEvaluation(IReadOnlyList<TownshipEvaluationLine> Ranked, IReadOnlyList<TownshipEvaluationLine> NoDueWork)
{
    public static readonly TownshipEvaluation Empty = new([], []);
    public IReadOnlyList<TownshipEvaluationLine> Top => [.. Ranked.Take(3)];
    /// <summary>The last ranked township, when more than three are ranked (else the last would also be commended).</summary>
    public TownshipEvaluationLine? Last => Ranked.Count > 3 ? Ranked[^1] : null;

    /// <summary>
    /// Orders lines: rate, then fewer open overdue stages (of two at the same rate, the one that finished its work late ranks above
    /// the one that left it open), then more due work, then name.
    /// </summary>
    public static TownshipEvaluation Rank(IEnumerable<TownshipEvaluationLine> lines)
    {
        var all = lines.ToList();
        var ranked = all.Where(l => !l.NoDueWork)
            .OrderByDescending(l => l.Ratio).ThenBy(l => l.OpenOverdue).ThenByDescending(l => l.Due).ThenBy(l => l.Name, StringComparer.Ordinal)
            .Select((l, i) => l with { Rank = i + 1 }).ToList();
        return new(ranked, [.. all.Where(l => l.NoDueWork).OrderBy(l => l.Code, StringComparer.Ordinal).Select(l => l with { Rank = null })]);
    }

    /// <summary>The year total: each township's period results added up (月考评结果计入年底总成绩), ranked the same way.</summary>
    public static TownshipEvaluation Sum(IEnumerable<TownshipEvaluation> periods) =>
        Rank(periods.SelectMany(p => p.Ranked.Concat(p.NoDueWork)).GroupBy(l => l.Code)
            .Select(g => new TownshipEvaluationLine(null, g.Key, g.First().Name, g.Sum(x => x.OnTime), g.Sum(x => x.Completed), g.Sum(x => x.OpenOverdue))));
}

/// <summary>Computes the township evaluation of a period in SQL (grouped by township).</summary>
public static class TownshipEvaluations
{
    /// <summary>
    /// Stages of the township's cases with a deadline: completed in [<paramref name="start"/>, <paramref name="end"/>), or open past
    /// due at <paramref name="asOf"/>. Stages the profile gives to the county departments (信息比对) do not count against the
    /// township: they are the departments' work and are scored in the department ranking; nor do the county office's own stages.
    /// </summary>
    public static async Task<TownshipEvaluation> ComputeAsync(BotDb db, TimelineProfile profile, DateTimeOffset start, DateTimeOffset end, DateTimeOffset asOf,
        CancellationToken ct = default)
    {
        // The county's own steps (丰都 FD-5 清单反馈, 县级确认) are not the township's work either.
        StageKind[] departments = [.. profile.Stages.Where(s => s.Actor is StageActor.Departments or StageActor.County).Select(s => s.Kind)];
        var done = await (
            from s in db.Stages
            where s.CompletedAt >= start && s.CompletedAt < end && s.DueAt != null && !departments.Contains(s.Kind)
            join c in db.Cases on s.CaseId equals c.Id
            join v in db.Regions on c.VillageCode equals v.Code
            group s by v.ParentCode into g
            select new { Code = g.Key, Completed = g.Count(), OnTime = g.Count(x => !x.CompletedLate) }).ToListAsync(ct);
        var open = await (
            from s in db.Stages
            where s.DueAt < asOf && s.StartedAt <= asOf && (s.CompletedAt == null || s.CompletedAt > asOf) && !departments.Contains(s.Kind)
            join c in db.Cases on s.CaseId equals c.Id
            join v in db.Regions on c.VillageCode equals v.Code
            group s by v.ParentCode into g
            select new { Code = g.Key, N = g.Count() }).ToListAsync(ct);
        var townships = await db.Regions.AsNoTracking().Where(r => r.Level == RegionLevel.Township).Select(r => new { r.Code, r.Name }).ToListAsync(ct);
        return TownshipEvaluation.Rank(townships.Select(t =>
        {
            var d = done.FirstOrDefault(x => x.Code == t.Code);
            return new TownshipEvaluationLine(null, t.Code, t.Name, d?.OnTime ?? 0, d?.Completed ?? 0, open.FirstOrDefault(x => x.Code == t.Code)?.N ?? 0);
        }));
    }
}
