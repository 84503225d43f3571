using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;

namespace RapidResponse.Domain.Timelines;

/// <summary>
/// Plans the nags and overdue levels of a stage (DESIGN §3). Every step lands inside working hours on a working day:
/// a nag that would fall outside moves to the next opening (and is dropped if that is past the deadline);
/// level 1 fires at the first opening after the breach, level N that many working days after level 1.
/// </summary>
public static class LadderPlanner
{
    public static IReadOnlyList<(LadderStepKind Kind, DateTimeOffset FireAt)> Plan(
        DateTimeOffset start, DateTimeOffset due, EscalationLadder ladder, WorkingHours hours, WorkingCalendar calendar)
    {
        var steps = new List<(LadderStepKind, DateTimeOffset)>();
        var span = due - start;
        LadderStepKind[] nagKinds = [LadderStepKind.Nag50, LadderStepKind.Nag75];
        for (var i = 0; i < ladder.NagAtFractions.Count && i < nagKinds.Length; i++)
        {
            var at = NextOpening(CeilingToMinute(start + span * ladder.NagAtFractions[i]), hours, calendar);
            if (at <= start || at > due) continue;
            // Across a long holiday both fractions can move to the same opening: send one nag, the later (more urgent) one.
            if (steps.Count > 0 && steps[^1].Item2 == at) steps[^1] = (nagKinds[i], at);
            else steps.Add((nagKinds[i], at));
        }
        if (ladder.NagOnDueMorning)
        {
            var dueDay = ChinaTime.DateOf(due);
            var morning = ChinaTime.At(dueDay, hours.DueMorningNagAt);
            if (calendar.IsWorkingDay(dueDay) && morning > start && morning <= due && steps.All(s => s.Item2 != morning))
                steps.Add((LadderStepKind.NagDueMorning, morning));
        }
        var level1 = NextOpening(due.AddTicks(1), hours, calendar);
        foreach (var level in ladder.Levels)
        {
            var kind = level.Level switch { 1 => LadderStepKind.Overdue1, 2 => LadderStepKind.Overdue2, _ => LadderStepKind.Overdue3 };
            var at = level.AfterWorkingDays == 0
                ? level1
                : ChinaTime.At(calendar.AddWorkingDays(ChinaTime.DateOf(level1), level.AfterWorkingDays), hours.Start);
            steps.Add((kind, at));
        }
        return steps;
    }

    /// <summary>The first instant at or after <paramref name="t"/> inside working hours on a working day.</summary>
    public static DateTimeOffset NextOpening(DateTimeOffset t, WorkingHours hours, WorkingCalendar calendar)
    {
        var local = ChinaTime.ToLocal(t);
        var day = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (calendar.IsWorkingDay(day))
        {
            if (time < hours.Start) return ChinaTime.At(day, hours.Start);
            if (time < hours.End) return local;
        }
        return ChinaTime.At(calendar.AddWorkingDays(day, 1), hours.Start);
    }

    // A fraction of a span ending at 23:59:59.9999999 is a tick short of a round time; nags go out on whole minutes.
    private static DateTimeOffset CeilingToMinute(DateTimeOffset t)
    {
        var rem = t.UtcTicks % TimeSpan.TicksPerMinute;
        return rem == 0 ? t : t.AddTicks(TimeSpan.TicksPerMinute - rem);
    }

    public static bool IsWithinWorkingHours(DateTimeOffset t, WorkingHours hours, WorkingCalendar calendar)
    {
        var local = ChinaTime.ToLocal(t);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return calendar.IsWorkingDay(DateOnly.FromDateTime(local.DateTime)) && time >= hours.Start && time < hours.End;
    }
}
