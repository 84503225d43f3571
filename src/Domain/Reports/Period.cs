using System.Globalization;
using RapidResponse.Domain.Calendar;

namespace RapidResponse.Domain.Reports;

/// <summary>A calendar month, "2026-10", in Beijing time.</summary>
public readonly record struct MonthPeriod(int Year, int Month)
{
    public static bool TryParse(string? text, out MonthPeriod p)
    {
        p = default;
        if (text is null || !DateOnly.TryParseExact(text.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        p = new MonthPeriod(d.Year, d.Month);
        return true;
    }

    public static MonthPeriod Parse(string text) =>
        TryParse(text, out var p) ? p : throw new DomainException($"月份“{text}”格式不对，请写成 2026-10 这样的年-月");

    public static MonthPeriod Of(DateOnly d) => new(d.Year, d.Month);

    public DateOnly FirstDay => new(Year, Month, 1);
    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);
    /// <summary>Start of the month, Beijing time.</summary>
    public DateTimeOffset Start => ChinaTime.StartOfDay(FirstDay);
    /// <summary>Start of the next month (exclusive end).</summary>
    public DateTimeOffset End => ChinaTime.StartOfDay(FirstDay.AddMonths(1));
    public MonthPeriod Previous => Of(FirstDay.AddMonths(-1));
    public MonthPeriod Next => Of(FirstDay.AddMonths(1));
    public int Quarter => (Month - 1) / 3 + 1;
    public override string ToString() => $"{Year:D4}-{Month:D2}";
    /// <summary>2026年10月</summary>
    public string ToChinese() => $"{Year}年{Month}月";
}

/// <summary>A calendar quarter, "2026-Q3", in Beijing time.</summary>
public readonly record struct QuarterPeriod(int Year, int Quarter)
{
    public static bool TryParse(string? text, out QuarterPeriod q)
    {
        q = default;
        var t = text?.Trim() ?? "";
        if (t.Length != 7 || t[4] != '-' || (t[5] != 'Q' && t[5] != 'q')) return false;
        if (!int.TryParse(t.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y < 2000 || y > 2100) return false;
        if (t[6] is < '1' or > '4') return false;
        q = new QuarterPeriod(y, t[6] - '0');
        return true;
    }

    public static QuarterPeriod Parse(string text) =>
        TryParse(text, out var q) ? q : throw new DomainException($"季度“{text}”格式不对，请写成 2026-Q3 这样的年-季度");

    public static QuarterPeriod Of(DateOnly d) => new(d.Year, (d.Month - 1) / 3 + 1);

    public MonthPeriod FirstMonth => new(Year, (Quarter - 1) * 3 + 1);
    public DateTimeOffset Start => FirstMonth.Start;
    public DateTimeOffset End => FirstMonth.Next.Next.End;
    public DateOnly LastDay => FirstMonth.Next.Next.LastDay;
    public QuarterPeriod Previous => Quarter == 1 ? new(Year - 1, 4) : new(Year, Quarter - 1);
    public override string ToString() => $"{Year:D4}-Q{Quarter}";
    /// <summary>2026年第三季度</summary>
    public string ToChinese() => $"{Year}年第{"一二三四"[Quarter - 1]}季度";
}
