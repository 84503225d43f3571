using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Templates;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Scheduler.Escalation;

/// <summary>
/// The ladder of a 告知农户结果 task (a result the bot could not send through 微信客服, see the Bot's FarmerNotices): a reminder
/// to the village cadre on the due day's morning, and at breach a message in the township work group that @-mentions the
/// cadre and the township lead — each once, only inside working hours, never in quiet hours.
/// </summary>
public sealed class FarmerNoticeSweep(BotDb db, ProfileRegistry profiles, SendWindow window, TemplateRenderer templates)
{
    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var hours = window.HoursFor(profiles.Current);
        if (!window.IsOpen(now, hours)) return 0;
        var today = ChinaTime.DateOf(now);
        var dayEnd = ChinaTime.EndOfDay(today);
        var open = await OpenAsync(now, dayEnd, ct);
        if (open.Count == 0) return 0;
        var groups = await GroupBindings.ByRegionAsync(db, ct);
        // The township and its lead of every notice due for escalation, in three queries for the whole batch.
        var breached = open.Where(n => n.EscalatedAt is null && n.DueAt < now).Select(n => n.CaseId).Distinct().ToList();
        var villageOf = breached.Count == 0 ? new() : await db.Cases.AsNoTracking().Where(x => breached.Contains(x.Id))
            .Select(x => new { x.Id, x.VillageCode }).ToDictionaryAsync(x => x.Id, x => x.VillageCode, ct);
        var villages = villageOf.Values.Distinct().ToList();
        var townshipOf = villages.Count == 0 ? new() : await db.Regions.AsNoTracking().Where(r => villages.Contains(r.Code))
            .Select(r => new { r.Code, r.ParentCode }).ToDictionaryAsync(r => r.Code, r => r.ParentCode, ct);
        var townships = townshipOf.Values.OfType<string>().Distinct().ToList();
        var leadOf = townships.Count == 0 ? new() : (await db.Staff.AsNoTracking()
                .Where(s => s.Active && s.Role == StaffRole.TownshipLead && townships.Contains(s.RegionCode))
                .OrderBy(s => s.UserId).Select(s => new { s.RegionCode, s.UserId }).ToListAsync(ct))
            .GroupBy(s => s.RegionCode).ToDictionary(g => g.Key, g => g.First().UserId);
        var fired = 0;
        foreach (var n in open)
        {
            var model = new Dictionary<string, object?> { ["case_number"] = n.CaseNumber, ["due"] = ChinaTime.ToLocal(n.DueAt).ToString("M月d日 HH:mm") };
            if (n.NaggedAt is null)
            {
                db.Outbox.Add(Outbound.Text(Target.User(n.AssigneeId), Mask.Text(templates.Render("nag.farmer_notice", model)), null, $"farmer-notice:{n.Id}:nag", now));
                n.NaggedAt = now;
                fired++;
            }

            if (n.EscalatedAt is null && n.DueAt < now && villageOf.TryGetValue(n.CaseId, out var village))
            {
                var township = townshipOf.GetValueOrDefault(village);
                var lead = township is null ? null : leadOf.GetValueOrDefault(township);
                var target = township is null ? null : Target.Of(groups.GetValueOrDefault((township, GroupPurpose.TownshipWork)));
                n.EscalatedAt = now;
                if (target is not null)
                {
                    var mentions = new List<string> { n.AssigneeId };
                    if (lead is not null) mentions.Add(lead);
                    db.Outbox.Add(Outbound.Text(target, Mask.Text(templates.Render("escalation.farmer_notice", model)), mentions, $"farmer-notice:{n.Id}:overdue", now));
                    fired++;
                }
            }
        }

        await db.SaveChangesAsync(ct);
        return fired;
    }

    /// <summary>The start-up warm-up (see <see cref="DeadlineSweep.WarmUpAsync"/>): the per-minute query at an instant before any data.</summary>
    public Task WarmUpAsync(DateTimeOffset before, CancellationToken ct = default) => OpenAsync(before, before, ct);

    private Task<List<FarmerNotice>> OpenAsync(DateTimeOffset now, DateTimeOffset dayEnd, CancellationToken ct) =>
        db.FarmerNotices.Where(n => n.ToldAt == null && ((n.NaggedAt == null && n.DueAt <= dayEnd) || (n.EscalatedAt == null && n.DueAt < now)))
            .OrderBy(n => n.Id).Take(500).ToListAsync(ct);
}
