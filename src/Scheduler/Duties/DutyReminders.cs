using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Templates;

namespace RapidResponse.Scheduler.Duties;

/// <summary>
/// Recurring duties (domain-reference §4.1): village screening by the 10th (云龙 一月一排查), department self-check by month
/// end and report by the 5th (方城). Runs daily at the duty time (and once at start-up, so a restart after the duty time
/// still sends the day's reminders). Every reminder has a dedupe key (per day and user; the missing-report list per
/// month and user), so a second run the same day, or after a restart, sends nothing twice.
/// <para>
/// A configured reminder day that is not a working day moves to the previous working day of the same month, so the
/// reminder still comes before the deadline (screening reminder on the 9th, a Saturday → Friday the 8th). When the month
/// has no working day before it (the 3rd during the National Day holiday), it moves to the next working day that is still
/// on or before the deadline; when there is none either, that reminder is skipped for the month (the missing-report list
/// on the first working day after the due day, and the monthly bulletin, still name whoever did not report).
/// </para>
/// </summary>
public sealed class DutyReminders(BotDb db, WorkingCalendar calendar, TemplateRenderer templates, IOptions<SchedulerOptions> options)
{
    private static readonly StaffRole[] VillageRoles = [StaffRole.GridMonitor, StaffRole.VillageCadre, StaffRole.WorkTeam];

    /// <summary>The screening round is due by this day of the month (云龙: 每月10日前).</summary>
    public const int ScreeningDueDay = 10;

    /// <summary>
    /// The working day on which a reminder configured for <paramref name="day"/> of the month goes out: the day itself, else the
    /// previous working day of the month, else the next working day on or before <paramref name="dueDay"/>; null when none.
    /// Days past the month's end mean its last day (31 → 30 in November).
    /// </summary>
    public static DateOnly? ReminderDate(WorkingCalendar calendar, int year, int month, int day, int dueDay)
    {
        var last = DateTime.DaysInMonth(year, month);
        var d = new DateOnly(year, month, Math.Clamp(day, 1, last));
        if (calendar.IsWorkingDay(d)) return d;
        for (var p = d.AddDays(-1); p.Month == month; p = p.AddDays(-1))
            if (calendar.IsWorkingDay(p)) return p;
        var due = new DateOnly(year, month, Math.Clamp(dueDay, 1, last));
        for (var n = d.AddDays(1); n <= due; n = n.AddDays(1))
            if (calendar.IsWorkingDay(n)) return n;
        return null;
    }

    /// <summary>True when one of <paramref name="days"/> (moved as <see cref="ReminderDate"/> says) falls on <paramref name="today"/>.</summary>
    public static bool IsReminderDay(WorkingCalendar calendar, DateOnly today, IEnumerable<int>? days, int dueDay) =>
        (days ?? []).Any(d => ReminderDate(calendar, today.Year, today.Month, d, dueDay) == today);

    /// <summary>The first working day after the report due day: the county office gets the list of departments that did not report.</summary>
    public static DateOnly MissingListDate(WorkingCalendar calendar, int year, int month, int reportDueDay) =>
        calendar.OnOrNextWorkingDay(new DateOnly(year, month, reportDueDay).AddDays(1));

    public async Task<string> RunAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var o = options.Value;
        var today = ChinaTime.DateOf(now);
        if (!calendar.IsWorkingDay(today)) return "not a working day";
        if (ChinaTime.TimeOf(now) < o.DutyReminderTime) return "not yet";
        var rows = new List<OutboxMessage>();
        var month = MonthPeriod.Of(today);
        var lastMonth = month.Previous;

        if (IsReminderDay(calendar, today, o.ScreeningReminderDays, ScreeningDueDay))
        {
            var staff = await db.Staff.AsNoTracking().Where(s => s.Active && VillageRoles.Contains(s.Role)).OrderBy(s => s.UserId).ToListAsync(ct);
            var names = await db.Regions.AsNoTracking().Where(r => r.Level == RegionLevel.Village).ToDictionaryAsync(r => r.Code, r => r.Name, ct);
            var due = new DateOnly(today.Year, today.Month, ScreeningDueDay);
            foreach (var s in staff)
                rows.Add(Outbound.Text(Target.User(s.UserId), templates.Render("duty.screening", new Dictionary<string, object?>
                {
                    ["name"] = s.Name, ["village"] = names.GetValueOrDefault(s.RegionCode, ""), ["month"] = today.Month,
                    ["due"] = $"{today.Month}月{ScreeningDueDay}日", ["days_left"] = calendar.WorkingDaysBetween(today, due),
                }), null, $"duty:screening:{today:yyyy-MM-dd}:{s.UserId}", now));
        }
        if (IsReminderDay(calendar, today, o.SelfCheckReminderDays, month.LastDay.Day))
        {
            var officers = await DepartmentOfficersAsync(null, ct);
            foreach (var (s, dept) in officers)
                rows.Add(Outbound.Text(Target.User(s.UserId), templates.Render("duty.selfcheck", new Dictionary<string, object?>
                {
                    ["name"] = s.Name, ["department"] = dept, ["month"] = today.Month, ["period_code"] = month.ToString(),
                    ["due"] = $"{today.Month}月{month.LastDay.Day}日", ["report_due"] = $"{month.Next.Month}月{o.ReportDueDay}日",
                }), null, $"duty:selfcheck:{today:yyyy-MM-dd}:{s.UserId}", now));
        }
        if (IsReminderDay(calendar, today, o.ReportReminderDays, o.ReportDueDay))
        {
            // Only departments with no report for last month yet.
            var missing = await DepartmentReports.MissingAsync(db, lastMonth, now, o.ReportDueDay, ct);
            var officers = await DepartmentOfficersAsync([.. missing.Select(d => d.Code)], ct);
            foreach (var (s, dept) in officers)
                rows.Add(Outbound.Text(Target.User(s.UserId), templates.Render("duty.report", new Dictionary<string, object?>
                {
                    ["name"] = s.Name, ["department"] = dept, ["period"] = lastMonth.ToChinese(), ["period_code"] = lastMonth.ToString(),
                    ["due"] = $"{today.Month}月{o.ReportDueDay}日",
                }), null, $"duty:report:{today:yyyy-MM-dd}:{s.UserId}", now));
        }
        if (today == MissingListDate(calendar, today.Year, today.Month, o.ReportDueDay))
        {
            var missing = await DepartmentReports.MissingAsync(db, lastMonth, now, o.ReportDueDay, ct);
            if (missing.Count > 0)
            {
                var office = await db.Staff.AsNoTracking().Where(s => s.Active && s.Role == StaffRole.CountyOffice).OrderBy(s => s.UserId).ToListAsync(ct);
                var text = templates.Render("duty.report-missing", new Dictionary<string, object?>
                {
                    ["period"] = lastMonth.ToChinese(), ["due"] = $"{today.Month}月{o.ReportDueDay}日",
                    ["departments"] = missing.Select(d => d.Name).ToList(), ["count"] = missing.Count,
                });
                foreach (var s in office) rows.Add(Outbound.Text(Target.User(s.UserId), text, null, $"duty:report-missing:{lastMonth}:{s.UserId}", now));
            }
        }
        if (rows.Count == 0) return "nothing due";
        var keys = rows.Select(r => r.DedupeKey!).ToList();
        var existing = (await db.Outbox.AsNoTracking().Where(m => keys.Contains(m.DedupeKey!)).Select(m => m.DedupeKey!).ToListAsync(ct)).ToHashSet();
        var fresh = rows.Where(r => !existing.Contains(r.DedupeKey!)).ToList();
        if (fresh.Count == 0) return "0 reminder(s)";
        db.Outbox.AddRange(fresh);
        await db.SaveChangesAsync(ct);
        return $"{fresh.Count} reminder(s)";
    }

    private async Task<List<(Staff Staff, string Department)>> DepartmentOfficersAsync(IReadOnlyList<string>? only, CancellationToken ct)
    {
        var depts = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var q = db.Staff.AsNoTracking().Where(s => s.Active && s.DepartmentCode != null);
        if (only is not null) q = q.Where(s => only.Contains(s.DepartmentCode!));
        var staff = await q.OrderBy(s => s.UserId).ToListAsync(ct);
        return [.. staff.Where(s => depts.ContainsKey(s.DepartmentCode!)).Select(s => (s, depts[s.DepartmentCode!]))];
    }
}
