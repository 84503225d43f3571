using RapidResponse.Domain.Reports;

namespace RapidResponse.Domain.Bulletins;

/// <summary>New cases of one channel.</summary>
public sealed record ChannelCount(string Channel, int Count);

/// <summary>Stages of one kind completed in the period: how many, how many by their deadline.</summary>
public sealed record StageRate(string Stage, int Completed, int OnTime)
{
    /// <summary>"85.7%", or "—" when nothing was completed.</summary>
    public string Rate => BulletinMath.Percent(OnTime, Completed);
}

/// <summary>A stage still open past its deadline at the cut-off, with its owners.</summary>
public sealed record OverdueItem(string Key, string CaseNumber, string Village, string Stage, string Owners, DateTimeOffset DueAt, int WorkingDaysLate);

/// <summary>One township's month.</summary>
public sealed record TownshipMonth(
    string Code,
    string Name,
    int NewCases,
    IReadOnlyList<ChannelCount> NewByChannel,
    IReadOnlyList<StageRate> Stages,
    int AssistanceStarted,
    int AssistanceWithinMonth,
    int RiskEliminated,
    IReadOnlyList<OverdueItem> Overdue)
{
    public int OverdueTotal => Overdue.Count;
    public int Completed => Stages.Sum(s => s.Completed);
    public int OnTime => Stages.Sum(s => s.OnTime);
    public string Rate => BulletinMath.Percent(OnTime, Completed);
}

/// <summary>A problem named in this and the two previous bulletins without rectification (云龙: 连续通报3次以上 → 移交纪委监委).</summary>
public sealed record ReferralCandidate(string Key, string What, int Times);

/// <summary>A stage listed for supervision (列入督办) by overdue level 3 during the period; it counts towards its unit's 约谈 problems.</summary>
public sealed record InterviewEntry(string CaseNumber, string Township, string Village, string Stage, DateTimeOffset DueAt, DateTimeOffset ListedAt);

/// <summary>A department that did not report by the due day.</summary>
public sealed record MissingReport(string Code, string Name);

/// <summary>Every figure of a 通报 (DESIGN §3) — monthly, or bimonthly by the profile — computed as of the end of its period.</summary>
public sealed record MonthlyFigures(
    BulletinPeriod Period,
    DateTimeOffset AsOf,
    IReadOnlyList<TownshipMonth> Townships,
    MonthPeriod ReportPeriod,
    IReadOnlyList<MissingReport> MissingReports,
    IReadOnlyList<InterviewEntry> Supervised,
    IReadOnlyList<ReferralCandidate> Referrals)
{
    /// <summary>The months whose department reports fell due in the period (one for a monthly 通报, two for a bimonthly one).</summary>
    public IReadOnlyList<MonthPeriod> ReportMonths { get; init; } = [];
    /// <summary>Every township's and department's problems this period (the 约谈 count).</summary>
    public IReadOnlyList<UnitProblems> UnitProblems { get; init; } = [];
    /// <summary>The 约谈 list (云龙 四(三)).</summary>
    public IReadOnlyList<InterviewCandidate> InterviewUnits { get; init; } = [];
    /// <summary>The township evaluation of the period (沈丘 五(四)); null when the profile hides rankings.</summary>
    public TownshipEvaluation? Evaluation { get; init; }
    /// <summary>In the 通报 whose period ends in December: the year total of the evaluations.</summary>
    public TownshipEvaluation? YearTotal { get; init; }

    public int NewCases => Townships.Sum(t => t.NewCases);
    public int Completed => Townships.Sum(t => t.Completed);
    public int OnTime => Townships.Sum(t => t.OnTime);
    public string Rate => BulletinMath.Percent(OnTime, Completed);
    public int OverdueTotal => Townships.Sum(t => t.OverdueTotal);
}

public static class BulletinMath
{
    public static string Percent(int part, int whole) =>
        whole == 0 ? "—" : (100.0 * part / whole).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
