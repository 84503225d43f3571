using System.Globalization;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Domain.Tests;

/// <summary>Shared fixtures: the shipped calendar and profiles, and Shanghai wall-clock parsing.</summary>
internal static class T
{
    public static readonly WorkingCalendar Cal = WorkingCalendar.LoadDefault();
    public static readonly TimelineProfile Yunlong = ProfileLoader.Load("yunlong");
    public static readonly TimelineProfile Fengdu = ProfileLoader.Load("fengdu");

    public static TimelineProfile Profile(string name) => name switch
    {
        "yunlong" => Yunlong,
        "fengdu" => Fengdu,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>"2026-02-13" → date.</summary>
    public static DateOnly D(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"2026-02-13 17:30" (Shanghai wall clock) → instant; "2026-02-13 17:30:00.0000001" also accepted.</summary>
    public static DateTimeOffset L(string local)
    {
        string[] formats = ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.fffffff"];
        var dt = DateTime.ParseExact(local, formats, CultureInfo.InvariantCulture, DateTimeStyles.None);
        return new DateTimeOffset(dt, TimeSpan.FromHours(8));
    }

    /// <summary>The last tick of a Shanghai day, written out by hand (not through ChinaTime.EndOfDay).</summary>
    public static DateTimeOffset Eod(string date) => L(date + " 23:59:59.9999999");

    public static CaseClock Clock(string local, TimelineProfile? profile = null) => new(profile ?? Yunlong, Cal, L(local));

    public static readonly Actor Cadre = new("gm1", "GridMonitor", "msg-1");
    public static readonly Actor Township = new("twp1", "TownshipOfficer", "msg-2");
    public static readonly Actor County = new("cty1", "CountyOffice", "msg-3");

    public static Assignee Staff(string id) => new(AssigneeKind.Staff, id);
    public static Assignee Dept(string code) => new(AssigneeKind.Department, code);
}
