using RapidResponse.Domain.Bulletins;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Timelines;

/// <summary>Who acts on a stage; routing turns the actor into assignees.</summary>
public enum StageActor
{
    /// <summary>The village responsible person: the household's contact person or grid monitor, else the village's cadres.</summary>
    Village = 1,
    /// <summary>The county departments matched to the case's risk types, in parallel.</summary>
    Departments = 2,
    Township = 3,
    County = 4,
    /// <summary>监测帮扶联系人</summary>
    ContactPerson = 5,
}

/// <summary>Where an overdue level is posted.</summary>
public enum EscalationTarget
{
    /// <summary>The township work group, @-mentioning the assignee and the township lead.</summary>
    TownshipGroup = 1,
    /// <summary>The county leaders' group.</summary>
    CountyGroup = 2,
    /// <summary>Listed for supervision (列入督办) in the county group and the next bulletin; counts towards the unit's 约谈 problems.</summary>
    Interview = 3,
}

/// <summary>One overdue level: fires this many working days after the breach.</summary>
public sealed record EscalationLevel(int Level, int AfterWorkingDays, EscalationTarget Target);

/// <summary>Nags and overdue levels of a stage (DESIGN §3).</summary>
public sealed record EscalationLadder(
    IReadOnlyList<double> NagAtFractions,
    bool NagOnDueMorning,
    IReadOnlyList<EscalationLevel> Levels)
{
    public static readonly EscalationLadder Default = new(
        [0.5, 0.75], true,
        [new(1, 0, EscalationTarget.TownshipGroup), new(2, 1, EscalationTarget.CountyGroup), new(3, 3, EscalationTarget.Interview)]);

    public static readonly EscalationLadder Silent = new([], false, []);
}

/// <summary>One stage of a profile.</summary>
public sealed record StageDefinition(
    StageKind Kind,
    string Name,
    StageActor Actor,
    DeadlineRule Deadline,
    EscalationLadder Ladder,
    int Assignees = 1,
    string? Action = null,
    DeadlineRule? ActiveScreeningDeadline = null,
    string? Source = null,
    DeadlineRule? Notice = null,
    bool SeriousOnly = false,
    bool CountyFoundOnly = false,
    IReadOnlyDictionary<ProblemClass, DeadlineRule>? ByProblemClass = null)
{
    /// <summary>The deadline for a case whose problem is of this class (丰都 第五步), else the stage's own.</summary>
    public DeadlineRule DeadlineFor(ProblemClass problem) =>
        ByProblemClass is not null && ByProblemClass.TryGetValue(problem, out var r) ? r : Deadline;

    /// <summary>
    /// 公示期: when the stage is a public notice, the instant the notice has run its course (counted like a deadline from the
    /// stage's start); the stage cannot complete before it, and its own deadline (if any) counts from it.
    /// </summary>
    public DateTimeOffset? NoticeEndsFrom(DateTimeOffset start, Calendar.WorkingCalendar calendar, TimeOnly officeClosing) =>
        Notice?.DueFrom(start, calendar, officeClosing);
}

/// <summary>
/// When risk elimination (风险消除) may be proposed: in the listed months (云龙 预警机制 二(九) 每季度首月: 1, 4, 7, 10),
/// and, when <paramref name="LastDays"/> is set, only in the month's last days (丰都 第五步 每月末).
/// </summary>
public sealed record EliminationWindow(IReadOnlyList<int> Months, int? LastDays, string? Source = null)
{
    public bool Contains(DateOnly day) =>
        (Months.Count == 0 || Months.Contains(day.Month)) &&
        (LastDays is not { } n || day.Day > DateTime.DaysInMonth(day.Year, day.Month) - n);

    /// <summary>The first day on or after <paramref name="day"/> inside the window.</summary>
    public DateOnly NextOpening(DateOnly day)
    {
        for (var d = day; d < day.AddYears(2); d = d.AddDays(1)) if (Contains(d)) return d;
        return day;
    }

    /// <summary>"每季度首月（1、4、7、10月）" / "每月最后5天".</summary>
    public string Describe()
    {
        var months = Months.Count == 0 || Months.Count == 12 ? "每月"
            : Months.SequenceEqual([1, 4, 7, 10]) ? "每季度首月（1、4、7、10月）"
            : string.Join("、", Months) + "月";
        return LastDays is { } n ? $"{months}最后{n}天" : months;
    }
}

/// <summary>Working hours for nags and escalations; nothing is sent outside them or on non-working days.</summary>
public sealed record WorkingHours(TimeOnly Start, TimeOnly End, TimeOnly DueMorningNagAt);

/// <summary>
/// A county's rapid-response timeline as data: stages in order, each with actor, deadline rule and ladder.
/// A case keeps the name and version it started with.
/// </summary>
public sealed record TimelineProfile(
    string Name,
    int Version,
    string Title,
    string CasePrefix,
    TimeOnly OfficeClosing,
    WorkingHours Hours,
    IReadOnlyList<StageDefinition> Stages,
    IReadOnlyList<StageKind> ActiveScreeningOrder,
    bool ShowRankings,
    int MaxHouseholdsPerContact,
    string? Source = null,
    EliminationWindow? Elimination = null,
    IReadOnlyDictionary<HouseholdCategory, DeadlineRule>? TrackingByCategory = null,
    DeadlineRule? MeasuresWithin = null)
{
    /// <summary>How often the 通报 goes out (profile key <c>bulletinCadence</c>; 云龙 三(一) 双月一通报).</summary>
    public BulletinCadence BulletinCadence { get; init; } = BulletinCadence.Monthly;

    /// <summary>
    /// 云龙 责任追溯 四(三) “问题较多且整改落实不到位”: a township or department with at least this many problems in one 通报 period,
    /// one of them still not rectified at its end, is listed for 约谈 (profile key <c>interviewThreshold</c>).
    /// </summary>
    public int InterviewThreshold { get; init; } = 3;

    public StageDefinition Stage(StageKind kind) =>
        Stages.FirstOrDefault(s => s.Kind == kind) ?? throw new DomainException($"时限方案“{Title}”没有“{kind.ToChinese()}”环节");

    public bool Has(StageKind kind) => Stages.Any(s => s.Kind == kind);

    /// <summary>The stage's name in this profile; the kind itself for a stage the profile (or its version) does not have.</summary>
    public string NameOf(StageKind kind) => Has(kind) ? Stage(kind).Name : kind.ToString();

    /// <summary>
    /// The risk-elimination stages in the order a proposal passes them (云龙 预警机制 二(九) 经民主评议、逐级审定: appraisal,
    /// village notice, township review and notice, county confirmation); a profile keeps the ones its seed names.
    /// </summary>
    public static readonly IReadOnlyList<StageKind> EliminationKinds =
        [StageKind.EliminationAppraisal, StageKind.EliminationVillageNotice, StageKind.EliminationReview, StageKind.EliminationConfirmation];

    /// <summary>This profile's elimination stages, in order (empty: a proposal eliminates the risk at once).</summary>
    public IReadOnlyList<StageKind> EliminationOrder => [.. EliminationKinds.Where(Has)];

    /// <summary>
    /// Stage order for a case: the active-screening order for cadre-found cases when the profile has one; a stage kept only for
    /// serious risks (丰都 第二步) is left out of a general case, one kept only for warnings the county found itself (丰都 第二步
    /// 县级通过系统信息比对或信访、舆情……发现的) out of the others — and for those it takes the place of the village's intake. The
    /// elimination stages follow tracking only on a proposal, the departments' reply follows implementation only when the
    /// township referred the case to them.
    /// </summary>
    public IReadOnlyList<StageKind> OrderFor(bool activeScreening, bool serious = false, bool countyFound = false)
    {
        var kinds = (activeScreening && ActiveScreeningOrder.Count > 0 ? ActiveScreeningOrder : Stages.Select(s => s.Kind))
            .Where(k => serious || !Stage(k).SeriousOnly)
            .Where(k => countyFound || !Stage(k).CountyFoundOnly)
            .Where(k => !EliminationKinds.Contains(k) && k != StageKind.DepartmentReply).ToList();
        if (countyFound && kinds.Any(k => Stage(k).CountyFoundOnly)) kinds.Remove(StageKind.Intake);
        return kinds;
    }

    /// <summary>The deadline of tracking visits for a household of this category (湘阴: 未脱贫 monthly, 已脱贫 quarterly).</summary>
    public DeadlineRule TrackingFor(HouseholdCategory? category) =>
        category is { } c && TrackingByCategory?.TryGetValue(c, out var r) == true ? r! : Stage(StageKind.Tracking).Deadline;

    /// <summary>The stage after <paramref name="kind"/> in the case's order, or null at the end.</summary>
    public StageKind? Next(StageKind kind, bool activeScreening, bool serious = false, bool countyFound = false)
    {
        var order = OrderFor(activeScreening, serious, countyFound);
        var i = order.ToList().IndexOf(kind);
        return i >= 0 && i + 1 < order.Count ? order[i + 1] : null;
    }

    /// <summary>The deadline rule of a stage for a case, applying the same-day rule for actively found cases.</summary>
    public DeadlineRule DeadlineFor(StageKind kind, bool activeScreening)
    {
        var s = Stage(kind);
        return activeScreening && s.ActiveScreeningDeadline is { } r ? r : s.Deadline;
    }
}
