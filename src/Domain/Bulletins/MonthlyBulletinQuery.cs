using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Domain.Bulletins;

/// <summary>
/// Computes the monthly bulletin's figures. Every count is aggregated in SQL (GROUP BY township), so the work grows with the
/// number of townships and overdue items listed, not with the number of cases; no query runs per case.
/// </summary>
public sealed class MonthlyBulletinQuery(BotDb db, WorkingCalendar calendar, TimelineProfile profile)
{
    /// <summary>Day of the month by which the previous month's department report is due.</summary>
    public int ReportDueDay { get; init; } = DepartmentReports.DueDay;

    public async Task<MonthlyFigures> ComputeAsync(MonthPeriod period, CancellationToken ct = default)
    {
        var start = period.Start;
        var end = period.End;
        // Cut-off: the last instant of the month. A stage due at the end of the last day is not yet overdue.
        var asOf = ChinaTime.EndOfDay(period.LastDay);
        var townships = await db.Regions.AsNoTracking().Where(r => r.Level == RegionLevel.Township)
            .Select(r => new { r.Code, r.Name }).ToListAsync(ct);

        var newCases = await (
            from c in db.Cases
            where c.CreatedAt >= start && c.CreatedAt < end
            join v in db.Regions on c.VillageCode equals v.Code
            group c by new { v.ParentCode, c.Channel } into g
            select new { g.Key.ParentCode, g.Key.Channel, N = g.Count() }).ToListAsync(ct);

        var rates = await (
            from s in db.Stages
            where s.CompletedAt >= start && s.CompletedAt < end && s.DueAt != null
            join c in db.Cases on s.CaseId equals c.Id
            join v in db.Regions on c.VillageCode equals v.Code
            group s by new { v.ParentCode, s.Kind } into g
            select new { g.Key.ParentCode, g.Key.Kind, Completed = g.Count(), OnTime = g.Count(x => !x.CompletedLate) }).ToListAsync(ct);

        var eliminated = await (
            from c in db.Cases
            where c.RiskEliminatedAt >= start && c.RiskEliminatedAt < end
            join v in db.Regions on c.VillageCode equals v.Code
            group c by v.ParentCode into g
            select new { ParentCode = g.Key, N = g.Count() }).ToListAsync(ct);

        var overdue = await OverdueAsync(asOf, ct);

        var interviews = await (
            from st in db.LadderSteps
            where st.Kind == LadderStepKind.Overdue3 && !st.Cancelled && st.DoneAt >= start && st.DoneAt < end
            join s in db.Stages on st.StageId equals s.Id
            join c in db.Cases on s.CaseId equals c.Id
            join v in db.Regions on c.VillageCode equals v.Code
            orderby st.DoneAt, c.Number
            select new { c.Number, v.ParentCode, Village = v.Name, s.Kind, s.DueAt, st.DoneAt }).ToListAsync(ct);

        var reportPeriod = period.Previous;
        var missing = (await DepartmentReports.MissingAsync(db, reportPeriod, asOf, ReportDueDay, ct)).Select(d => new MissingReport(d.Code, d.Name)).ToList();

        var townshipName = townships.ToDictionary(t => t.Code, t => t.Name);
        var list = townships.OrderBy(t => t.Code, StringComparer.Ordinal).Select(t =>
        {
            var byChannel = newCases.Where(x => x.ParentCode == t.Code).OrderBy(x => x.Channel)
                .Select(x => new ChannelCount(x.Channel.ToChinese(), x.N)).ToList();
            var stageRates = rates.Where(x => x.ParentCode == t.Code).OrderBy(x => x.Kind)
                .Select(x => new StageRate(StageName(x.Kind), x.Completed, x.OnTime)).ToList();
            var assistance = rates.FirstOrDefault(x => x.ParentCode == t.Code && x.Kind == StageKind.AssistanceStart);
            var mine = overdue.Where(o => o.Township == t.Code).ToList();
            return new TownshipMonth(t.Code, t.Name, byChannel.Sum(x => x.Count), byChannel, stageRates,
                assistance?.Completed ?? 0, assistance?.OnTime ?? 0,
                eliminated.FirstOrDefault(x => x.ParentCode == t.Code)?.N ?? 0,
                [.. mine.Select(o => o.Item)]);
        }).ToList();

        var named = overdue.Select(o => (o.Item.Key, What: $"{o.Item.CaseNumber} {o.Item.Stage}（{o.Item.Owners}）"))
            .Concat(missing.Select(m => (Key: ReportKey(m.Code), What: $"{m.Name}未按时报送月报"))).ToList();
        var referrals = await ReferralsAsync(period, named, ct);

        return new MonthlyFigures(period, asOf, list, reportPeriod, missing,
            [.. interviews.Select(i => new InterviewEntry(i.Number, i.ParentCode is { } p && townshipName.TryGetValue(p, out var n) ? n : "", i.Village,
                StageName(i.Kind), i.DueAt ?? default, i.DoneAt ?? default))],
            referrals);
    }

    /// <summary>The problems this bulletin names (at most <paramref name="listedPerTownship"/> overdue items per township), as ledger rows written when it is posted.</summary>
    public static IEnumerable<BulletinItem> LedgerRows(MonthlyFigures f, int listedPerTownship, DateTimeOffset postedAt) =>
        f.Townships.SelectMany(t => t.Overdue.Take(listedPerTownship).Select(o => new BulletinItem
            {
                Bulletin = "monthly", Period = f.Period.ToString(), ItemKey = o.Key, PostedAt = postedAt,
                TownshipCode = t.Code, Description = $"{o.CaseNumber} {o.Stage}（{o.Owners}）",
            }))
            .Concat(f.MissingReports.Select(m => new BulletinItem
            {
                Bulletin = "monthly", Period = f.Period.ToString(), ItemKey = ReportKey(m.Code), PostedAt = postedAt, Description = $"{m.Name}未按时报送月报",
            }));

    public static string StageKey(long stageId) => $"stage:{stageId}";
    public static string ReportKey(string deptCode) => $"report:{deptCode}";

    /// <summary>Every overdue stage at the cut-off, most overdue first, with owners named (one query for stages, one for owners).</summary>
    public async Task<List<(string? Township, OverdueItem Item)>> OverdueAsync(DateTimeOffset asOf, CancellationToken ct)
    {
        var stages = await (
            from s in db.Stages
            where s.DueAt < asOf && s.StartedAt <= asOf && (s.CompletedAt == null || s.CompletedAt > asOf)
            join c in db.Cases on s.CaseId equals c.Id
            join v in db.Regions on c.VillageCode equals v.Code
            orderby s.DueAt, c.Number
            select new { s.Id, s.Kind, s.DueAt, c.Number, Village = v.Name, v.ParentCode }).ToListAsync(ct);
        var owners = await (
            from a in db.Assignments
            join s in db.Stages on a.StageId equals s.Id
            where s.DueAt < asOf && s.StartedAt <= asOf && (s.CompletedAt == null || s.CompletedAt > asOf) && (a.CompletedAt == null || a.CompletedAt > asOf)
            select new { a.StageId, a.AssigneeKind, a.AssigneeId }).ToListAsync(ct);
        var staffIds = owners.Where(o => o.AssigneeKind == AssigneeKind.Staff).Select(o => o.AssigneeId).Distinct().ToList();
        var deptIds = owners.Where(o => o.AssigneeKind == AssigneeKind.Department).Select(o => o.AssigneeId).Distinct().ToList();
        var staffNames = await db.Staff.AsNoTracking().Where(s => staffIds.Contains(s.UserId)).ToDictionaryAsync(s => s.UserId, s => s.Name, ct);
        var deptNames = await db.Departments.AsNoTracking().Where(d => deptIds.Contains(d.Code)).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var byStage = owners.ToLookup(o => o.StageId);
        var asOfDay = ChinaTime.DateOf(asOf);
        return [.. stages.Select(s =>
        {
            var names = byStage[s.Id].Select(o => o.AssigneeKind == AssigneeKind.Department
                ? deptNames.GetValueOrDefault(o.AssigneeId, o.AssigneeId)
                : staffNames.GetValueOrDefault(o.AssigneeId, o.AssigneeId)).Distinct().ToList();
            var due = s.DueAt!.Value;
            return (s.ParentCode, new OverdueItem(StageKey(s.Id), s.Number, s.Village, StageName(s.Kind), names.Count == 0 ? "未指定" : string.Join("、", names),
                due, calendar.WorkingDaysBetween(ChinaTime.DateOf(due), asOfDay)));
        })];
    }

    private async Task<IReadOnlyList<ReferralCandidate>> ReferralsAsync(MonthPeriod period, List<(string Key, string What)> named, CancellationToken ct)
    {
        if (named.Count == 0) return [];
        // 云龙: "连续通报3次以上" — named in this bulletin and in each of the two before it.
        string[] previous = [period.Previous.ToString(), period.Previous.Previous.ToString()];
        var keys = named.Select(n => n.Key).ToList();
        var prior = await db.BulletinItems.AsNoTracking()
            .Where(i => i.Bulletin == "monthly" && previous.Contains(i.Period) && keys.Contains(i.ItemKey))
            .GroupBy(i => i.ItemKey).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct);
        var times = prior.ToDictionary(p => p.Key, p => p.N);
        return [.. named.Where(n => times.GetValueOrDefault(n.Key) >= 2).Select(n => new ReferralCandidate(n.Key, n.What, times[n.Key] + 1))];
    }

    private string StageName(StageKind kind) => profile.NameOf(kind);
}
