using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Timelines;
using Microsoft.Extensions.Options;

namespace RapidResponse.Scheduler;

/// <summary>Group bindings keyed by region and purpose (a small table, read once per run).</summary>
public static class GroupBindings
{
    public static async Task<Dictionary<(string Region, GroupPurpose Purpose), GroupBinding>> ByRegionAsync(BotDb db, CancellationToken ct) =>
        (await db.Groups.AsNoTracking().ToListAsync(ct)).GroupBy(g => (g.RegionCode, g.Purpose)).ToDictionary(g => g.Key, g => g.First());
}

/// <summary>When nags, escalations and reminders may go out: working hours on a working day, never in quiet hours.</summary>
public sealed class SendWindow(IOptions<SchedulerOptions> options, WorkingCalendar calendar)
{
    public WorkingHours HoursFor(TimelineProfile profile)
    {
        var o = options.Value;
        return o.WorkingHoursStart is { } s && o.WorkingHoursEnd is { } e
            ? profile.Hours with { Start = s, End = e }
            : profile.Hours;
    }

    public bool IsOpen(DateTimeOffset now, WorkingHours hours) =>
        LadderPlanner.IsWithinWorkingHours(now, hours, calendar) && !IsQuiet(now);

    public bool IsQuiet(DateTimeOffset now) => options.Value.IsQuiet(ChinaTime.TimeOf(now));

    /// <summary>
    /// For a daily job with its own time of day (bulletins, duty reminders): open in working hours on a working day, and also in
    /// the ten minutes from <paramref name="slot"/> on a working day (so a slot configured outside working hours still posts);
    /// never in quiet hours. A run outside this — a start-up at 03:40 — leaves the work to the next slot.
    /// </summary>
    public bool IsOpenForSlot(DateTimeOffset now, WorkingHours hours, TimeOnly slot)
    {
        if (IsQuiet(now)) return false;
        if (LadderPlanner.IsWithinWorkingHours(now, hours, calendar)) return true;
        var t = ChinaTime.TimeOf(now);
        return calendar.IsWorkingDay(ChinaTime.DateOf(now)) && t >= slot && t < slot.AddMinutes(10);
    }
}
