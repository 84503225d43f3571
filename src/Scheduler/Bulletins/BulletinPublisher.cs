using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RapidResponse.Domain.Bulletins;
using RapidResponse.Domain.Bulletins.Charts;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Scheduler.Bulletins;

/// <summary>
/// A rendered bulletin: its ledger key and the parts each target gets; <see cref="Chart"/> is the picture that follows the
/// text in the county-wide groups (<see cref="ChartTargets"/>), null when no picture goes (why: <see cref="ChartProblem"/>).
/// </summary>
public sealed record BulletinDraft(string LedgerKey, string Markdown, IReadOnlyList<(Target To, IReadOnlyList<string> Parts)> Posts)
{
    public ChartLayout? Layout { get; init; }
    public byte[]? Chart { get; init; }
    public string? ChartProblem { get; init; }
    public IReadOnlyList<Target> ChartTargets { get; init; } = [];
}

/// <summary>
/// Posts the 通报 on the first working day of the month after its period (monthly: the month before; bimonthly, 云龙 双月一通报:
/// the two months before, in March, May, July …) and the quarterly one at a quarter's start, at the configured time. Each is
/// posted once per period across restarts: the ledger entry ("bulletin:monthly:2026-10", "bulletin:bimonthly:2026-09~10"), the
/// outbox rows, the named-problem rows and the 约谈 listings are saved in one transaction. A catch-up after downtime posts only
/// inside working hours on a working day, never in quiet hours: a host started at 03:40 posts at the next bulletin time.
/// </summary>
public sealed class BulletinPublisher(BotDb db, MonthlyBulletinQuery monthly, QuarterlyBulletinQuery quarterly, BulletinViews views,
    WorkingCalendar calendar, ProfileRegistry profiles, SendWindow window, IOptions<SchedulerOptions> options, IChartPainter painter,
    ILogger<BulletinPublisher> log)
{
    public static string MonthlyKey(BulletinPeriod p) => $"bulletin:{p.Name}:{p}";

    /// <summary>The 通报 period of the running profile's cadence that contains <paramref name="m"/>.</summary>
    public BulletinPeriod PeriodOf(MonthPeriod m) => BulletinPeriod.Containing(m, profiles.Current.BulletinCadence);
    public static string QuarterlyKey(QuarterPeriod q) => $"bulletin:quarterly:{q}";

    /// <summary>Posts whatever is due and not yet posted: this month's monthly bulletin (for last month) once its time has come; likewise the quarterly.</summary>
    public async Task<string> RunDueAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var o = options.Value;
        var today = ChinaTime.DateOf(now);
        var postAt = ChinaTime.At(calendar.FirstWorkingDayOfMonth(today.Year, today.Month), o.BulletinTime);
        if (now < postAt) return "not yet";
        // Quiet hours for catch-up: a start-up run at night, or after hours, leaves it to the next bulletin time.
        if (!window.IsOpenForSlot(now, window.HoursFor(profiles.Current), o.BulletinTime)) return "held until working hours";
        var done = new List<string>();
        var month = MonthPeriod.Of(today).Previous;
        if (o.MonthlyBulletin && BulletinPeriod.EndingWith(month, profiles.Current.BulletinCadence) is { } period && await PostMonthlyAsync(period, now, ct))
            done.Add($"{period.Name} {period}");
        if (o.QuarterlyBulletin && today.Month % 3 == 1)
        {
            var quarter = QuarterPeriod.Of(today).Previous;
            if (await PostQuarterlyAsync(quarter, now, ct)) done.Add($"quarterly {quarter}");
        }
        return done.Count == 0 ? "nothing due" : "posted " + string.Join(", ", done);
    }

    public async Task<BulletinDraft> DraftMonthlyAsync(BulletinPeriod period, CancellationToken ct = default) =>
        await DraftMonthlyAsync(period, await monthly.ComputeAsync(period, ct), ct);

    /// <summary>
    /// The county-wide text to the bulletin group(s), and to each township's work group only that township's section
    /// (bulletin.township), under the same ledger key; a township group that is also a bulletin target gets the county text only.
    /// </summary>
    private async Task<BulletinDraft> DraftMonthlyAsync(BulletinPeriod period, MonthlyFigures f, CancellationToken ct)
    {
        var draft = WithChart(await DraftAsync(MonthlyKey(period), views.Monthly(f), ct), BulletinCharts.Monthly(f));
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
        return WithChart(await DraftAsync(QuarterlyKey(quarter), views.Quarterly(f), ct), BulletinCharts.Quarterly(f));
    }

    /// <summary>
    /// The chart painted for the county-wide targets. A picture that cannot be painted never holds the bulletin back: the
    /// text goes alone, and the reason is logged (and shown by /health/ready when it is the font).
    /// </summary>
    private BulletinDraft WithChart(BulletinDraft draft, ChartLayout layout)
    {
        var targets = draft.Posts.Select(p => p.To).ToList();
        if (painter.Problem is { } problem) return draft with { Layout = layout, ChartProblem = problem };
        try
        {
            return draft with { Layout = layout, Chart = painter.Png(layout), ChartTargets = targets };
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Bulletin {Key}: the chart could not be painted; the text goes alone", draft.LedgerKey);
            return draft with { Layout = layout, ChartProblem = "图表绘制失败：" + e.Message };
        }
    }

    /// <summary>Posts the 通报 of <paramref name="period"/> unless its ledger entry exists. True when posted now.</summary>
    public async Task<bool> PostMonthlyAsync(BulletinPeriod period, DateTimeOffset now, CancellationToken ct = default)
    {
        var key = MonthlyKey(period);
        if (await db.KeyValues.AnyAsync(k => k.Key == key, ct)) return false;
        var f = await monthly.ComputeAsync(period, ct);
        var draft = await DraftMonthlyAsync(period, f, ct);
        if (draft.Posts.Count == 0) { log.LogWarning("Monthly bulletin {Period}: no bulletin or county leaders group is bound; not posted", period); return false; }
        db.BulletinItems.AddRange(MonthlyBulletinQuery.LedgerRows(f, BulletinViews.ListedPerTownship, now));
        db.InterviewListings.AddRange(MonthlyBulletinQuery.InterviewRows(f, now));
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
        // After the text: a recipient's rows leave in id order. One stored picture for every group (one upload while it lives).
        if (draft.Chart is { } png && draft.ChartTargets.Count > 0)
        {
            var media = await OutboundMedia.StoreAsync(db, MediaKind.Image, draft.LedgerKey.Replace(':', '-') + ".png", png, now, ct);
            foreach (var to in draft.ChartTargets)
                db.Outbox.Add(Outbound.Media(to, media, $"{draft.LedgerKey}:{to.Channel}:{to.Recipient}:chart", now));
        }
        else if (draft.ChartProblem is { } why)
        {
            log.LogWarning("Bulletin {Key} goes without its chart: {Why}", draft.LedgerKey, why);
        }

        db.KeyValues.Add(new KeyValueEntry
        {
            Key = draft.LedgerKey, UpdatedAt = now,
            Value = JsonSerializer.Serialize(new { postedAt = now, groups = draft.Posts.Count, parts = draft.Posts.Sum(p => p.Parts.Count), chart = draft.Chart is not null ? "sent" : draft.ChartProblem }),
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
