using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RapidResponse.Domain.Bulletins;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Scheduler.Bulletins;

/// <summary>A rendered bulletin: its ledger key and the parts each target gets.</summary>
public sealed record BulletinDraft(string LedgerKey, string Markdown, IReadOnlyList<(Target To, IReadOnlyList<string> Parts)> Posts);

/// <summary>
/// Posts the monthly bulletin on the first working day of the month (for the month before) and the quarterly one at a
/// quarter's start, at the configured time. Each is posted once per period across restarts: the ledger entry
/// ("bulletin:monthly:2026-10"), the outbox rows and the named-problem rows are saved in one transaction.
/// </summary>
public sealed class BulletinPublisher(BotDb db, MonthlyBulletinQuery monthly, QuarterlyBulletinQuery quarterly, BulletinViews views,
    WorkingCalendar calendar, ProfileRegistry profiles, IOptions<SchedulerOptions> options, ILogger<BulletinPublisher> log)
{
    public static string MonthlyKey(MonthPeriod p) => $"bulletin:monthly:{p}";
    public static string QuarterlyKey(QuarterPeriod q) => $"bulletin:quarterly:{q}";

    /// <summary>Posts whatever is due and not yet posted: this month's monthly bulletin (for last month) once its time has come; likewise the quarterly.</summary>
    public async Task<string> RunDueAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var o = options.Value;
        var today = ChinaTime.DateOf(now);
        var postAt = ChinaTime.At(calendar.FirstWorkingDayOfMonth(today.Year, today.Month), o.BulletinTime);
        if (now < postAt) return "not yet";
        var done = new List<string>();
        var month = MonthPeriod.Of(today).Previous;
        if (o.MonthlyBulletin && await PostMonthlyAsync(month, now, ct)) done.Add($"monthly {month}");
        if (o.QuarterlyBulletin && today.Month % 3 == 1)
        {
            var quarter = QuarterPeriod.Of(today).Previous;
            if (await PostQuarterlyAsync(quarter, now, ct)) done.Add($"quarterly {quarter}");
        }
        return done.Count == 0 ? "nothing due" : "posted " + string.Join(", ", done);
    }

    public async Task<BulletinDraft> DraftMonthlyAsync(MonthPeriod period, CancellationToken ct = default) =>
        await DraftMonthlyAsync(period, await monthly.ComputeAsync(period, ct), ct);

    /// <summary>
    /// The county-wide text to the bulletin group(s), and to each township's work group only that township's section
    /// (bulletin.township), under the same ledger key; a township group that is also a bulletin target gets the county text only.
    /// </summary>
    private async Task<BulletinDraft> DraftMonthlyAsync(MonthPeriod period, MonthlyFigures f, CancellationToken ct)
    {
        var draft = await DraftAsync(MonthlyKey(period), views.Monthly(f), ct);
        var townshipGroups = (await db.Groups.AsNoTracking().Where(g => g.Purpose == GroupPurpose.TownshipWork).OrderBy(g => g.Id).ToListAsync(ct))
            .GroupBy(g => g.RegionCode).ToDictionary(g => g.Key, g => g.First());
        var posts = draft.Posts.ToList();
        foreach (var t in f.Townships)
        {
            if (Target.Of(townshipGroups.GetValueOrDefault(t.Code)) is not { } to || posts.Any(p => p.To == to)) continue;
            posts.Add((to, BulletinSplitter.Split(views.Township(f, t), to.MarkdownLimitBytes)));
        }
        return draft with { Posts = posts };
    }

    public async Task<BulletinDraft> DraftQuarterlyAsync(QuarterPeriod quarter, CancellationToken ct = default)
    {
        var f = await quarterly.ComputeAsync(quarter, profiles.Current.ShowRankings, ct);
        return await DraftAsync(QuarterlyKey(quarter), views.Quarterly(f), ct);
    }

    /// <summary>Posts the monthly bulletin of <paramref name="period"/> unless its ledger entry exists. True when posted now.</summary>
    public async Task<bool> PostMonthlyAsync(MonthPeriod period, DateTimeOffset now, CancellationToken ct = default)
    {
        var key = MonthlyKey(period);
        if (await db.KeyValues.AnyAsync(k => k.Key == key, ct)) return false;
        var f = await monthly.ComputeAsync(period, ct);
        var draft = await DraftMonthlyAsync(period, f, ct);
        if (draft.Posts.Count == 0) { log.LogWarning("Monthly bulletin {Period}: no bulletin or county leaders group is bound; not posted", period); return false; }
        db.BulletinItems.AddRange(MonthlyBulletinQuery.LedgerRows(f, BulletinViews.ListedPerTownship, now));
        return await SaveAsync(draft, now, ct);
    }

    /// <summary>Posts the quarterly bulletin of <paramref name="quarter"/> unless its ledger entry exists. True when posted now.</summary>
    public async Task<bool> PostQuarterlyAsync(QuarterPeriod quarter, DateTimeOffset now, CancellationToken ct = default)
    {
        var key = QuarterlyKey(quarter);
        if (await db.KeyValues.AnyAsync(k => k.Key == key, ct)) return false;
        var draft = await DraftQuarterlyAsync(quarter, ct);
        if (draft.Posts.Count == 0) { log.LogWarning("Quarterly bulletin {Quarter}: no bulletin or county leaders group is bound; not posted", quarter); return false; }
        return await SaveAsync(draft, now, ct);
    }

    private async Task<bool> SaveAsync(BulletinDraft draft, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var (to, parts) in draft.Posts)
            for (var i = 0; i < parts.Count; i++)
                db.Outbox.Add(Outbound.Markdown(to, parts[i], $"{draft.LedgerKey}:{to.Channel}:{to.Recipient}:{i + 1}", now));
        db.KeyValues.Add(new KeyValueEntry
        {
            Key = draft.LedgerKey, UpdatedAt = now,
            Value = JsonSerializer.Serialize(new { postedAt = now, groups = draft.Posts.Count, parts = draft.Posts.Sum(p => p.Parts.Count) }),
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            // Another instance posted it first (ledger key or dedupe key taken): nothing of ours was saved.
            log.LogWarning(e, "Bulletin {Key} was not saved; already posted?", draft.LedgerKey);
            db.ChangeTracker.Clear();
            return false;
        }
        log.LogInformation("Bulletin {Key} posted to {Groups} group(s)", draft.LedgerKey, draft.Posts.Count);
        return true;
    }

    /// <summary>Every bulletin group (falls back to the county leaders' groups), each with the text split to its channel's limit.</summary>
    private async Task<BulletinDraft> DraftAsync(string key, string markdown, CancellationToken ct)
    {
        var groups = await db.Groups.AsNoTracking().Where(g => g.Purpose == GroupPurpose.Bulletin).OrderBy(g => g.Id).ToListAsync(ct);
        if (groups.Count == 0) groups = await db.Groups.AsNoTracking().Where(g => g.Purpose == GroupPurpose.CountyLeaders).OrderBy(g => g.Id).ToListAsync(ct);
        var posts = groups.Select(Target.Of).OfType<Target>().Distinct()
            .Select(t => (t, BulletinSplitter.Split(markdown, t.MarkdownLimitBytes))).ToList();
        return new BulletinDraft(key, markdown, posts);
    }
}
