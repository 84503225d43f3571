using System.Collections.Frozen;
using System.Text.Json;

namespace RapidResponse.Domain.Calendar;

/// <summary>
/// The State Council working-day calendar: weekends off, public holidays off, adjusted Saturdays and Sundays (调休) worked.
/// Years without data fall back to plain weekends and are reported through <see cref="Warnings"/> — never silently.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly FrozenDictionary<DateOnly, HolidayDay> _days;
    private readonly FrozenSet<int> _years;
    private readonly HashSet<int> _missingYearsSeen = [];
    private readonly Lock _gate = new();

    public WorkingCalendar(IEnumerable<HolidayYear> years)
    {
        var list = years.ToList();
        _years = list.Select(y => y.Year).ToFrozenSet();
        _days = list.SelectMany(y => y.Days).ToFrozenDictionary(d => d.Date);
    }

    /// <summary>Raised the first time a date in a year without holiday data is asked about.</summary>
    public event Action<int>? MissingYear;

    /// <summary>Years that have official data.</summary>
    public IReadOnlyCollection<int> Years => _years;

    /// <summary>Years that were asked about but have no data (plain weekends assumed).</summary>
    public IReadOnlyList<int> MissingYears { get { lock (_gate) { return [.. _missingYearsSeen.Order()]; } } }

    public bool HasDataFor(int year) => _years.Contains(year);

    /// <summary>Human-readable warnings for health checks and bulletins.</summary>
    public IReadOnlyList<string> Warnings =>
        [.. MissingYears.Select(y => $"No State Council holiday data for {y}: plain weekends assumed (缺少{y}年节假日安排数据，按普通周末计算). Put {y}.json (format of Calendar/Data) in the folder named by Calendar:ExtraDirectory and restart.")];

    /// <summary>Warnings for the given years (e.g. the current and next year), whether or not they were asked about yet.</summary>
    public IReadOnlyList<string> WarningsFor(params int[] years)
    {
        foreach (var y in years) Touch(y);
        return Warnings;
    }

    public bool IsWorkingDay(DateOnly date)
    {
        if (_days.TryGetValue(date, out var day)) return !day.IsOffDay;
        Touch(date.Year);
        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>The holiday name for a listed day (off day or adjusted working day), else null.</summary>
    public string? HolidayName(DateOnly date) => _days.TryGetValue(date, out var d) ? d.Name : null;

    /// <summary>The Nth working day after <paramref name="start"/> (the start day itself is not counted).</summary>
    public DateOnly AddWorkingDays(DateOnly start, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var d = start;
        while (n > 0)
        {
            d = d.AddDays(1);
            if (IsWorkingDay(d)) n--;
        }
        return d;
    }

    /// <summary>The first working day on or after <paramref name="date"/>.</summary>
    public DateOnly OnOrNextWorkingDay(DateOnly date)
    {
        var d = date;
        while (!IsWorkingDay(d)) d = d.AddDays(1);
        return d;
    }

    /// <summary>Working days strictly after <paramref name="from"/> up to and including <paramref name="to"/>.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
            if (IsWorkingDay(d)) count++;
        return count;
    }

    /// <summary>The first working day of a month.</summary>
    public DateOnly FirstWorkingDayOfMonth(int year, int month) => OnOrNextWorkingDay(new DateOnly(year, month, 1));

    private void Touch(int year)
    {
        if (_years.Contains(year)) return;
        bool added;
        lock (_gate) added = _missingYearsSeen.Add(year);
        if (added) MissingYear?.Invoke(year);
    }

    /// <summary>The calendar shipped inside the assembly (2024–2026), plus any extra year files in <paramref name="extraDirectory"/>.</summary>
    public static WorkingCalendar LoadDefault(string? extraDirectory = null)
    {
        var years = new Dictionary<int, HolidayYear>();
        var asm = typeof(WorkingCalendar).Assembly;
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith("holidays.", StringComparison.Ordinal)))
        {
            using var s = asm.GetManifestResourceStream(name)!;
            var y = HolidayYear.Parse(s);
            years[y.Year] = y;
        }
        if (extraDirectory is not null && Directory.Exists(extraDirectory))
        {
            foreach (var file in Directory.GetFiles(extraDirectory, "*.json"))
            {
                using var s = File.OpenRead(file);
                var y = HolidayYear.Parse(s);
                years[y.Year] = y;
            }
        }
        return new WorkingCalendar(years.Values);
    }
}

/// <summary>One listed day of a State Council notice.</summary>
public sealed record HolidayDay(DateOnly Date, string Name, bool IsOffDay);

/// <summary>One year's notice in the holiday-cn JSON format (see Calendar/Data).</summary>
public sealed record HolidayYear(int Year, string Source, IReadOnlyList<HolidayDay> Days)
{
    private sealed record Dto(int Year, string? Source, List<DayDto> Days);
    private sealed record DayDto(string Date, string Name, bool IsOffDay);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static HolidayYear Parse(Stream json)
    {
        var dto = JsonSerializer.Deserialize<Dto>(json, Json) ?? throw new InvalidDataException("empty holiday file");
        var days = dto.Days.Select(d => new HolidayDay(DateOnly.ParseExact(d.Date, "yyyy-MM-dd"), d.Name, d.IsOffDay)).ToList();
        if (days.Any(d => d.Date.Year != dto.Year)) throw new InvalidDataException($"holiday file for {dto.Year} lists a date of another year");
        return new HolidayYear(dto.Year, dto.Source ?? "", days);
    }
}
