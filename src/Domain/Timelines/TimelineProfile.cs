using RapidResponse.Domain.Cases;

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
    /// <summary>Listed for interview (约谈) in the county group and the next bulletin.</summary>
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
    string? Source = null);

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
    string? Source = null)
{
    public StageDefinition Stage(StageKind kind) =>
        Stages.FirstOrDefault(s => s.Kind == kind) ?? throw new DomainException($"时限方案“{Title}”没有“{kind.ToChinese()}”环节");

    public bool Has(StageKind kind) => Stages.Any(s => s.Kind == kind);

    /// <summary>The stage's name in this profile; the kind itself for a stage the profile (or its version) does not have.</summary>
    public string NameOf(StageKind kind) => Has(kind) ? Stage(kind).Name : kind.ToString();

    /// <summary>Stage order for a case: the active-screening order for cadre-found cases when the profile has one.</summary>
    public IReadOnlyList<StageKind> OrderFor(bool activeScreening) =>
        activeScreening && ActiveScreeningOrder.Count > 0 ? ActiveScreeningOrder : [.. Stages.Select(s => s.Kind)];

    /// <summary>The stage after <paramref name="kind"/> in the case's order, or null at the end.</summary>
    public StageKind? Next(StageKind kind, bool activeScreening)
    {
        var order = OrderFor(activeScreening);
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
