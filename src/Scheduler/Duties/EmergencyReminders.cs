using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Templates;
using RapidResponse.Scheduler.Escalation;

namespace RapidResponse.Scheduler.Duties;

/// <summary>
/// 方城: an emergency (突发) must be reported within 48 hours. While an emergency case is not yet accepted (still in intake),
/// its open assignees and the county office are reminded at 24 h and 44 h after the report (configurable). Runs inside the
/// deadline sweep. Working days do not matter (48 hours run on through weekends and holidays); quiet hours hold a reminder
/// until they end — even when that is past the 48 hours (a report at 02:00 has its 44 h reminder due at 22:00, sent at
/// 07:30, and the text then says the time is up). After downtime only the latest due reminder goes out, and none once the
/// 48 hours and a quiet-hours span have passed (the ladder's escalation of the intake stage carries on from there).
/// </summary>
public sealed class EmergencyReminders(BotDb db, SendWindow window, TemplateRenderer templates, IOptions<SchedulerOptions> options)
{
    private const string Prefix = "emergency:";
    private static readonly TimeSpan Limit = TimeSpan.FromHours(48);
    /// <summary>Slack after the end of quiet hours for a held reminder (the host may be restarting just then).</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromHours(1);

    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var o = options.Value;
        var hours = (o.EmergencyReminderHours ?? []).Distinct().Order().ToArray();
        if (hours.Length == 0 || window.IsQuiet(now)) return 0;
        var hold = QuietSpan(o);
        var earliest = now - Limit - hold - Slack;
        var latest = now - TimeSpan.FromHours(hours[0]);
        var cases = await db.Cases
            .Where(c => c.Channel == Channel.Emergency && c.State == CaseState.Intake && c.CreatedAt > earliest && c.CreatedAt <= latest)
            .Include(c => c.Stages).ThenInclude(s => s.Assignments)
            .AsSplitQuery().ToListAsync(ct);
        if (cases.Count == 0) return 0;
        var sent = (await db.Outbox.AsNoTracking().Where(m => m.DedupeKey!.StartsWith(Prefix) && m.CreatedAt > earliest)
                .Select(m => m.DedupeKey!).ToListAsync(ct))
            .Select(k => string.Join(':', k.Split(':').Take(3))).ToHashSet();
        var groups = await Outbound.GroupsAsync(db, ct);
        var ctx = await LadderContext.LoadAsync(db, [.. cases.SelectMany(c => c.Stages)], groups, ct);
        var rows = 0;
        foreach (var c in cases)
        {
            var h = hours.Last(x => c.CreatedAt + TimeSpan.FromHours(x) <= now);
            var dueAt = c.CreatedAt + TimeSpan.FromHours(h);
            var deadline = c.CreatedAt + Limit;
            // Within the 48 hours, or held only by quiet hours; not after a long outage.
            if (now > deadline && now > dueAt + hold + Slack) continue;
            var key = $"{Prefix}{c.Id}:{h}";
            if (sent.Contains(key)) continue;
            var (_, township, county) = ctx.ChainOf(c.VillageCode);
            var users = c.Stages.Where(s => s.IsOpen).SelectMany(s => s.Assignments).Where(a => a.IsOpen)
                .SelectMany(a => a.AssigneeKind == AssigneeKind.Department ? ctx.OfficersOf(a.AssigneeId) : [a.AssigneeId])
                .Concat(ctx.CountyOffice(county)).Distinct().ToList();
            var text = Mask.Text(templates.Render("duty.emergency", new Dictionary<string, object?>
            {
                ["case_number"] = c.Number,
                ["village"] = ctx.RegionName(c.VillageCode),
                ["township"] = ctx.RegionName(township),
                ["reported_at"] = c.CreatedAt,
                ["hours"] = (int)((now - c.CreatedAt).TotalHours),
                ["reminder_hours"] = h,
                ["hours_left"] = Math.Max(0, (int)Math.Floor((deadline - now).TotalHours)),
                ["overdue"] = now > deadline,
                ["deadline"] = DueText.Of(deadline),
            }));
            foreach (var u in users) { db.Outbox.Add(Outbound.Text(Target.User(u), text, null, $"{key}:{u}", now)); rows++; }
        }
        await db.SaveChangesAsync(ct);
        return rows;
    }

    /// <summary>How long the quiet hours last (they may wrap midnight); zero when there are none.</summary>
    private static TimeSpan QuietSpan(SchedulerOptions o)
    {
        if (o.QuietHoursStart == o.QuietHoursEnd) return TimeSpan.Zero;
        var span = o.QuietHoursEnd.ToTimeSpan() - o.QuietHoursStart.ToTimeSpan();
        return span < TimeSpan.Zero ? span + TimeSpan.FromHours(24) : span;
    }
}
