namespace RapidResponse.Domain.Calendar;

/// <summary>The one time zone of the product: Asia/Shanghai (UTC+8, no daylight saving).</summary>
public static class ChinaTime
{
    public static readonly TimeZoneInfo Zone = FindZone();

    private static TimeZoneInfo FindZone()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time"); }
    }

    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The local (Shanghai) wall-clock time of an instant.</summary>
    public static DateTimeOffset ToLocal(DateTimeOffset instant) => instant.ToOffset(Offset);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    public static TimeOnly TimeOf(DateTimeOffset instant) => TimeOnly.FromDateTime(ToLocal(instant).DateTime);

    /// <summary>The instant a local date and time denote in Shanghai.</summary>
    public static DateTimeOffset At(DateOnly date, TimeOnly time) => new(date.ToDateTime(time), Offset);

    /// <summary>The last tick of a local day: a deadline "by the end of day D" is met at this instant and missed one tick later.</summary>
    public static DateTimeOffset EndOfDay(DateOnly date) => new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), Offset).AddTicks(-1);

    public static DateTimeOffset StartOfDay(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>The current local time from the injected clock.</summary>
    public static DateTimeOffset Now(TimeProvider time) => ToLocal(time.GetUtcNow());
}
