using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Scoring;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Domain.Bulletins;

/// <summary>A township's or department's problems in one 通报 period.</summary>
public sealed record UnitProblems(string UnitKind, string Code, string Name, int Problems, int Unrectified);

/// <summary>A unit listed for 约谈 in this 通报: its problems and who interviews whom.</summary>
public sealed record InterviewCandidate(string UnitKind, string Code, string Name, int Problems, int Unrectified, InterviewLevel Level)
{
    /// <summary>"县委、县政府分管领导约谈诺邓镇分管领导".</summary>
    public string Who => Level == InterviewLevel.Principal
        ? $"县委、县政府主要领导约谈{Name}主要领导（连续两次问题较多且整改落实不到位）"
        : $"县委、县政府分管领导约谈{Name}分管领导";
}

/// <summary>
/// 云龙 责任追溯 四(三) 实行通报约谈: “在州县级‘调度’‘督导’‘通报’中存在问题较多且整改落实不到位的乡镇和相关行业部门，由县委、县人民政府
/// 分管领导约谈乡镇和行业部门分管领导。连续两次存在问题较多且整改落实不到位的……由县委、县人民政府主要领导约谈乡镇和行业部门主要领导。”
/// <para>
/// Problems of a unit in a period: each stage overdue and not rectified at the period's end or listed for 督办 (ladder level 3)
/// during it — a township's for its cases' stages, a department's for its comparison answers; each monthly report a department
/// did not send on time; each deduction of the department verified during the period (one per problem: a verified
/// late-comparison item of a stage already counted is not counted again). “问题较多且整改落实不到位”: at least the profile's
/// <c>interviewThreshold</c> problems, one or more still not rectified at the period's end. Listed in the previous 通报 too → the
/// principal leaders.
/// </para>
/// </summary>
public static class InterviewQuery
{
    public const string Township = "township", Department = "department";

    public static async Task<IReadOnlyList<UnitProblems>> ProblemsAsync(BotDb db, TimelineProfile profile, BulletinPeriod period, DateTimeOffset asOf,
        IReadOnlyList<(string Code, MonthPeriod Month, bool StillMissing)> missingReports, CancellationToken ct = default)
    {
        var start = period.Start;
        var end = period.End;
        StageKind[] deptKinds = [.. profile.Stages.Where(s => s.Actor == StageActor.Departments).Select(s => s.Kind)];
        var supervised = db.LadderSteps.Where(st => st.Kind == LadderStepKind.Overdue3 && !st.Cancelled && st.DoneAt >= start && st.DoneAt < end)
            .Select(st => st.StageId);
        var stages = await (
            from s in db.Stages
            where (s.DueAt < asOf && s.StartedAt <= asOf && (s.CompletedAt == null || s.CompletedAt > asOf)) || supervised.Contains(s.Id)
            join c in db.Cases on s.CaseId equals c.Id
            join v in db.Regions on c.VillageCode equals v.Code
            select new { s.Id, s.Kind, s.DueAt, Open = s.CompletedAt == null || s.CompletedAt > asOf, v.ParentCode }).ToListAsync(ct);
        var deptStageIds = stages.Where(s => deptKinds.Contains(s.Kind)).Select(s => s.Id).ToList();
        var deptTasks = await db.Assignments.AsNoTracking()
            .Where(a => deptStageIds.Contains(a.StageId) && a.AssigneeKind == AssigneeKind.Department)
            .Select(a => new { a.StageId, a.AssigneeId, a.CompletedAt }).ToListAsync(ct);
        var due = stages.ToDictionary(s => s.Id, s => s.DueAt);

        // (unit kind, code) → problem key → still open at the cut-off
        var problems = new Dictionary<(string, string), Dictionary<string, bool>>();
        void Add(string kind, string? code, string key, bool open)
        {
            if (code is null) return;
            if (!problems.TryGetValue((kind, code), out var set)) problems[(kind, code)] = set = [];
            set[key] = set.GetValueOrDefault(key) || open;
        }
        // The county office's own stages (丰都 FD-5 清单反馈, 县级确认) are no township's problem: the county interviews, it is not listed.
        StageKind[] countyKinds = [.. profile.Stages.Where(s => s.Actor == StageActor.County).Select(s => s.Kind)];
        foreach (var s in stages.Where(s => !deptKinds.Contains(s.Kind) && !countyKinds.Contains(s.Kind))) Add(Township, s.ParentCode, $"stage:{s.Id}", s.Open);
        foreach (var a in deptTasks)
        {
            // The department's own answer: still open at the cut-off, or given after the deadline.
            var open = a.CompletedAt is null || a.CompletedAt > asOf;
            if (open || a.CompletedAt > due[a.StageId]) Add(Department, a.AssigneeId, $"stage:{a.StageId}", open);
        }
        // Each month's missing report is a problem of its own (a bimonthly 通报 can hold two).
        foreach (var (code, month, still) in missingReports) Add(Department, code, $"report:{code}:{month}", still);
        var verified = await db.ScoreEvents.AsNoTracking()
            .Where(e => e.Status == ScoreStatus.Verified && e.Points < 0 && e.VerifiedAt >= start && e.VerifiedAt < end)
            .Select(e => new { e.Id, e.DepartmentCode, e.SourceKey, e.CaseNumber }).ToListAsync(ct);
        var caseStage = await (
            from s in db.Stages
            join c in db.Cases on s.CaseId equals c.Id
            where deptStageIds.Contains(s.Id)
            select new { c.Id, StageId = s.Id }).ToListAsync(ct);
        foreach (var e in verified)
        {
            // A late-comparison item ("cmp:{case}:{dept}") is the same problem as that case's overdue comparison stage.
            var key = $"score:{e.Id}";
            if (e.SourceKey is { } k && k.StartsWith("cmp:", StringComparison.Ordinal) && long.TryParse(k.Split(':')[1], out var caseId)
                && caseStage.FirstOrDefault(x => x.Id == caseId) is { } cs)
                key = $"stage:{cs.StageId}";
            Add(Department, e.DepartmentCode, key, false);
        }

        var townships = await db.Regions.AsNoTracking().Where(r => r.Level == RegionLevel.Township).ToDictionaryAsync(r => r.Code, r => r.Name, ct);
        var depts = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        return [.. problems
            .Where(p => (p.Key.Item1 == Township ? townships : depts).ContainsKey(p.Key.Item2))
            .Select(p => new UnitProblems(p.Key.Item1, p.Key.Item2, (p.Key.Item1 == Township ? townships : depts)[p.Key.Item2], p.Value.Count, p.Value.Count(x => x.Value)))
            .OrderBy(u => u.UnitKind == Township ? 0 : 1).ThenBy(u => u.Code, StringComparer.Ordinal)];
    }

    /// <summary>The units to list: over the threshold with something still not rectified; the principal leaders when listed in the previous 通报 too.</summary>
    public static async Task<IReadOnlyList<InterviewCandidate>> CandidatesAsync(BotDb db, TimelineProfile profile, BulletinPeriod period,
        IReadOnlyList<UnitProblems> problems, CancellationToken ct = default)
    {
        var listed = problems.Where(u => u.Problems >= profile.InterviewThreshold && u.Unrectified > 0).ToList();
        if (listed.Count == 0) return [];
        var previous = period.Previous.ToString();
        var before = (await db.InterviewListings.AsNoTracking().Where(l => l.Period == previous).Select(l => new { l.UnitKind, l.UnitCode }).ToListAsync(ct))
            .Select(l => (l.UnitKind, l.UnitCode)).ToHashSet();
        return [.. listed.Select(u => new InterviewCandidate(u.UnitKind, u.Code, u.Name, u.Problems, u.Unrectified,
            before.Contains((u.UnitKind, u.Code)) ? InterviewLevel.Principal : InterviewLevel.Deputy))];
    }
}
