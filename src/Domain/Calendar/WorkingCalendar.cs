using System.Collections.Frozen;
using System.Text.Json;

namespace RapidResponse.Domain.Calendar;

/// <summary>
/// The State Council working-day calendar: weekends off, public holidays off, adjusted Saturdays and Sundays (调休) worked.
/// Years without data fall back to plain weekends and are reported through <see cref="Warnings"/> — never silently.
/// The year table can be swapped while the bot runs (<see cref="Reload"/>, a year uploaded on the console): each question
/// reads one table, so a computation never mixes the old and the new data; what was computed before keeps its answer.
/// </summary>
public sealed class WorkingCalendar
{
    private sealed record Table(FrozenDictionary<DateOnly, HolidayDay> Days, FrozenSet<int> Years);

    private volatile Table _table;
    private readonly HashSet<int> _missingYearsSeen = [];
    private readonly Lock _gate = new();

    public WorkingCalendar(IEnumerable<HolidayYear> years) => _table = Build(years);

    private static Table Build(IEnumerable<HolidayYear> years)
    {
        var list = years.ToList();
        return new(list.SelectMany(y => y.Days).ToFrozenDictionary(d => d.Date), list.Select(y => y.Year).ToFrozenSet());
    }

    /// <summary>Raised the first time a date in a year without holiday data is asked about.</summary>
    public event Action<int>? MissingYear;

    /// <summary>Replaces the year table at once (thread-safe); a year that now has data stops being reported missing.</summary>
    public void Reload(IEnumerable<HolidayYear> years)
    {
        var t = Build(years);
        _table = t;
        lock (_gate) _missingYearsSeen.RemoveWhere(t.Years.Contains);
    }

    /// <summary>Years that have official data.</summary>
    public IReadOnlyCollection<int> Years => _table.Years;

    /// <summary>Years that were asked about but have no data (plain weekends assumed).</summary>
    public IReadOnlyList<int> MissingYears
    {
        get
        {
            var t = _table;
            lock (_gate) { return [.. _missingYearsSeen.Where(y => !t.Years.Contains(y)).Order()]; }
        }
    }

    public bool HasDataFor(int year) => _table.Years.Contains(year);

    /// <summary>Human-readable warnings for health checks and bulletins.</summary>
    public IReadOnlyList<string> Warnings =>
        [.. MissingYears.Select(y => $"No State Council holiday data for {y}: plain weekends assumed (缺少{y}年节假日安排数据，按普通周末计算). Upload {y}.json (format of Calendar/Data) on the console's 节假日数据 page, or put it in the folder named by Calendar:ExtraDirectory; it counts without a restart.")];

    /// <summary>Warnings for the given years (e.g. the current and next year), whether or not they were asked about yet.</summary>
    public IReadOnlyList<string> WarningsFor(params int[] years)
    {
        var t = _table;
        foreach (var y in years) Touch(t, y);
        return Warnings;
    }

    public bool IsWorkingDay(DateOnly date) => IsWorkingDay(_table, date);

    private bool IsWorkingDay(Table t, DateOnly date)
    {
        if (t.Days.TryGetValue(date, out var day)) return !day.IsOffDay;
        Touch(t, date.Year);
        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>The holiday name for a listed day (off day or adjusted working day), else null.</summary>
    public string? HolidayName(DateOnly date) => _table.Days.TryGetValue(date, out var d) ? d.Name : null;

    /// <summary>The Nth working day after <paramref name="start"/> (the start day itself is not counted).</summary>
    public DateOnly AddWorkingDays(DateOnly start, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var t = _table;
        var d = start;
        while (n > 0)
        {
            d = d.AddDays(1);
            if (IsWorkingDay(t, d)) n--;
        }
        return d;
    }

    /// <summary>The first working day on or after <paramref name="date"/>.</summary>
    public DateOnly OnOrNextWorkingDay(DateOnly date)
    {
        var t = _table;
        var d = date;
        while (!IsWorkingDay(t, d)) d = d.AddDays(1);
        return d;
    }

    /// <summary>Working days strictly after <paramref name="from"/> up to and including <paramref name="to"/>.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var t = _table;
        var count = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
            if (IsWorkingDay(t, d)) count++;
        return count;
    }

    /// <summary>The first working day of a month.</summary>
    public DateOnly FirstWorkingDayOfMonth(int year, int month) => OnOrNextWorkingDay(new DateOnly(year, month, 1));

    private void Touch(Table t, int year)
    {
        if (t.Years.Contains(year)) return;
        bool added;
        lock (_gate) added = _missingYearsSeen.Add(year);
        if (added) MissingYear?.Invoke(year);
    }

    /// <summary>The calendar shipped inside the assembly (2024–2026), plus any extra year files in <paramref name="extraDirectory"/>.</summary>
    public static WorkingCalendar LoadDefault(string? extraDirectory = null) => new(Compose(BuiltInYears(), ReadDirectory(extraDirectory)));

    /// <summary>The years shipped inside the assembly (Calendar/Data).</summary>
    public static IReadOnlyList<HolidayYear> BuiltInYears()
    {
        var asm = typeof(WorkingCalendar).Assembly;
        var years = new List<HolidayYear>();
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith("holidays.", StringComparison.Ordinal)))
        {
            using var s = asm.GetManifestResourceStream(name)!;
            years.Add(HolidayYear.Parse(s));
        }
        return years;
    }

    /// <summary>The <c>*.json</c> year files of a folder (none when it is unset or missing).</summary>
    public static IReadOnlyList<HolidayYear> ReadDirectory(string? directory)
    {
        if (directory is null || !Directory.Exists(directory)) return [];
        var years = new List<HolidayYear>();
        foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            using var s = File.OpenRead(file);
            years.Add(HolidayYear.Parse(s));
        }
        return years;
    }

    /// <summary>One table from several sources; for a year found in more than one, the later source wins.</summary>
    public static IReadOnlyList<HolidayYear> Compose(params IEnumerable<HolidayYear>[] sources)
    {
        var years = new Dictionary<int, HolidayYear>();
        foreach (var source in sources)
            foreach (var y in source) years[y.Year] = y;
        return [.. years.Values.OrderBy(y => y.Year)];
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
