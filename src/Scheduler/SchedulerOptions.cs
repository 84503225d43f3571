using Microsoft.Extensions.Options;

namespace RapidResponse.Scheduler;

/// <summary>
/// Settings of the scheduler (section "Scheduler"); every default is here. Times of day are Beijing time, written "HH:mm"
/// in configuration; a value that is not a time stops the start naming its key.
/// </summary>
public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>Off: no Quartz scheduler runs (the bulletin preview still works).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Quartz scheduler name (its rows in the QRTZ_ tables are keyed by it); every instance of a cluster uses the same.</summary>
    public string InstanceName { get; set; } = "RapidResponseBot";

    /// <summary>Quartz instance id; unset: generated per process (PostgreSQL clusters need a distinct one per instance).</summary>
    public string? InstanceId { get; set; }

    /// <summary>PostgreSQL only: how often each instance checks in with the cluster.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>PostgreSQL only: how long past a missed check-in the others wait before taking over a silent instance's jobs.</summary>
    public TimeSpan ClusterCheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the deadline sweep looks for due nags and escalations.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Ladder steps handled per transaction.</summary>
    public int SweepBatchSize { get; set; } = 1000;

    /// <summary>Overrides the profile's working hours for nags and escalations when both are set ("08:30", "17:30").</summary>
    public TimeOnly? WorkingHoursStart { get; set; }
    public TimeOnly? WorkingHoursEnd { get; set; }

    /// <summary>Nothing is sent between these times, whatever the working hours say (may wrap midnight).</summary>
    public TimeOnly QuietHoursStart { get; set; } = new(21, 0);
    public TimeOnly QuietHoursEnd { get; set; } = new(7, 30);

    /// <summary>When bulletins go out on the first working day; never on :00 or :30, when WeCom is busiest.</summary>
    public TimeOnly BulletinTime { get; set; } = new(9, 10);
    public bool MonthlyBulletin { get; set; } = true;
    public bool QuarterlyBulletin { get; set; } = true;

    /// <summary>When the daily duty reminders go out (on working days; also at start-up when the host was down at this time).</summary>
    public TimeOnly DutyReminderTime { get; set; } = new(9, 20);
    /// <summary>
    /// Days of the month to remind village staff of the monthly screening due by the 10th. A day that is not a working day
    /// moves to the previous working day of the month (else the next one still on or before the 10th); the same rule holds
    /// for the self-check and report reminder days (see DutyReminders.ReminderDate).
    /// </summary>
    public int[] ScreeningReminderDays { get; set; } = [5, 9];
    /// <summary>Days of the month to remind departments of their self-check due by month end.</summary>
    public int[] SelfCheckReminderDays { get; set; } = [25];
    /// <summary>Days of the month to remind departments that have not yet sent last month's report.</summary>
    public int[] ReportReminderDays { get; set; } = [3];
    /// <summary>Last month's report is due by the end of this day of the month (方城: 5日前).</summary>
    public int ReportDueDay { get; set; } = 5;
    /// <summary>Hours after an emergency report at which the department and county office are reminded while it is not accepted.</summary>
    public int[] EmergencyReminderHours { get; set; } = [24, 44];

    /// <summary>True when <paramref name="t"/> lies in the quiet hours (which may wrap midnight).</summary>
    public bool IsQuiet(TimeOnly t) => QuietHoursStart == QuietHoursEnd ? false
        : QuietHoursStart < QuietHoursEnd ? t >= QuietHoursStart && t < QuietHoursEnd
        : t >= QuietHoursStart || t < QuietHoursEnd;
}

/// <summary>Checks every setting and reports all problems together.</summary>
public sealed class SchedulerOptionsValidator : IValidateOptions<SchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerOptions o)
    {
        var p = new List<string>();
        if (o.SweepInterval < TimeSpan.FromSeconds(10) || o.SweepInterval > TimeSpan.FromHours(1))
            p.Add($"Scheduler:SweepInterval must be between 00:00:10 and 01:00:00 (it is {o.SweepInterval}); nags are due to the minute.");
        if (o.ClusterCheckinInterval < TimeSpan.FromMilliseconds(500) || o.ClusterCheckinInterval > TimeSpan.FromMinutes(5))
            p.Add($"Scheduler:ClusterCheckinInterval must be between 00:00:00.5 and 00:05:00 (it is {o.ClusterCheckinInterval}).");
        if (o.ClusterCheckinMisfireThreshold < TimeSpan.FromMilliseconds(500) || o.ClusterCheckinMisfireThreshold > TimeSpan.FromMinutes(10))
            p.Add($"Scheduler:ClusterCheckinMisfireThreshold must be between 00:00:00.5 and 00:10:00 (it is {o.ClusterCheckinMisfireThreshold}).");
        if (o.SweepBatchSize is < 1 or > 5000) p.Add($"Scheduler:SweepBatchSize must be 1–5000 (it is {o.SweepBatchSize}).");
        if (string.IsNullOrWhiteSpace(o.InstanceName)) p.Add("Scheduler:InstanceName must not be empty (e.g. \"RapidResponseBot\"); it keys the QRTZ_ rows.");
        if ((o.WorkingHoursStart is null) != (o.WorkingHoursEnd is null))
            p.Add("Scheduler:WorkingHoursStart and Scheduler:WorkingHoursEnd override the profile together: set both or neither.");
        if (o.WorkingHoursStart is { } ws && o.WorkingHoursEnd is { } we && ws >= we)
            p.Add($"Scheduler:WorkingHoursStart ({ws:HH:mm}) must be before Scheduler:WorkingHoursEnd ({we:HH:mm}).");
        if (o.BulletinTime.Minute is 0 or 30)
            p.Add($"Scheduler:BulletinTime ({o.BulletinTime:HH:mm}) must not be on :00 or :30, when WeCom is busiest; use e.g. \"09:10\".");
        if (o.DutyReminderTime.Minute is 0 or 30)
            p.Add($"Scheduler:DutyReminderTime ({o.DutyReminderTime:HH:mm}) must not be on :00 or :30; use e.g. \"09:20\".");
        Days(o.ScreeningReminderDays, "ScreeningReminderDays", 1, 10, p);
        Days(o.SelfCheckReminderDays, "SelfCheckReminderDays", 1, 31, p);
        Days(o.ReportReminderDays, "ReportReminderDays", 1, o.ReportDueDay, p);
        if (o.ReportDueDay is < 1 or > 28) p.Add($"Scheduler:ReportDueDay must be 1–28 (it is {o.ReportDueDay}).");
        foreach (var h in o.EmergencyReminderHours ?? [])
            if (h is < 1 or > 47) p.Add($"Scheduler:EmergencyReminderHours: {h} must be 1–47 (the report is due within 48 hours).");
        return p.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(p);
    }

    private static void Days(int[]? days, string key, int min, int max, List<string> p)
    {
        foreach (var d in days ?? [])
            if (d < min || d > max) p.Add($"Scheduler:{key}: day {d} must be {min}–{max}.");
    }
}
