using RapidResponse.Domain.Reports;

namespace RapidResponse.Domain.Bulletins;

/// <summary>How often the county's 通报 goes out (profile key <c>bulletinCadence</c>).</summary>
public enum BulletinCadence
{
    /// <summary>Every month, for the month before.</summary>
    Monthly = 1,
    /// <summary>云龙 责任追溯 三(一) “双月一通报”: January–February, March–April, … each posted after its second month.</summary>
    Bimonthly = 2,
}

/// <summary>
/// The span one 通报 covers: one month, or two (January–February, March–April …). "2026-10" for a month, "2026-09~10"
/// for two. Referral (“连续通报3次”) and 约谈 (“连续两次”) count these periods, not months.
/// </summary>
public readonly record struct BulletinPeriod(MonthPeriod First, int Months)
{
    public static BulletinPeriod Month(MonthPeriod m) => new(m, 1);

    /// <summary>The period of <paramref name="cadence"/> that ends with <paramref name="last"/>, or null when no period ends there.</summary>
    public static BulletinPeriod? EndingWith(MonthPeriod last, BulletinCadence cadence)
    {
        var n = cadence == BulletinCadence.Bimonthly ? 2 : 1;
        if (last.Month % n != 0) return null;
        return new BulletinPeriod(Of(last.FirstDay.AddMonths(1 - n)), n);
    }

    /// <summary>The period of <paramref name="cadence"/> that contains <paramref name="m"/>.</summary>
    public static BulletinPeriod Containing(MonthPeriod m, BulletinCadence cadence) =>
        cadence == BulletinCadence.Bimonthly ? new(m.Month % 2 == 1 ? m : m.Previous, 2) : new(m, 1);

    private static MonthPeriod Of(DateOnly d) => MonthPeriod.Of(d);

    public BulletinCadence Cadence => Months == 2 ? BulletinCadence.Bimonthly : BulletinCadence.Monthly;
    public MonthPeriod Last => Of(First.FirstDay.AddMonths(Months - 1));
    public DateOnly LastDay => Last.LastDay;
    public DateTimeOffset Start => First.Start;
    public DateTimeOffset End => Last.End;
    public BulletinPeriod Previous => new(Of(First.FirstDay.AddMonths(-Months)), Months);
    /// <summary>The months of the period, in order.</summary>
    public IEnumerable<MonthPeriod> MonthsIn
    {
        get
        {
            var first = First.FirstDay;
            return Enumerable.Range(0, Months).Select(i => Of(first.AddMonths(i)));
        }
    }
    /// <summary>"monthly" or "bimonthly": the ledger's bulletin name.</summary>
    public string Name => Months == 2 ? "bimonthly" : "monthly";
    public override string ToString() => Months == 1 ? First.ToString() : $"{First}~{Last.Month:D2}";
    /// <summary>2026年10月, 2026年9—10月</summary>
    public string ToChinese() => Months == 1 ? First.ToChinese() : $"{First.Year}年{First.Month}—{Last.Month}月";

    public static implicit operator BulletinPeriod(MonthPeriod m) => Month(m);
}
