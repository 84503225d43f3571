using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Scheduler;

namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>
/// Quartz clustered on PostgreSQL: instances with one scheduler name and their own ids fire each trigger on exactly one of
/// them, and when an instance goes away another carries on within the check-in interval. Real time: Quartz's cluster
/// check-ins and recovery run on the clock.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterSchedulerTests
{
    private static readonly Dictionary<string, string?> Clustered = new()
    {
        ["Scheduler:Enabled"] = "true",
        ["Scheduler:SweepInterval"] = "00:00:10",
        ["Scheduler:ClusterCheckinInterval"] = "00:00:01",
        ["Scheduler:ClusterCheckinMisfireThreshold"] = "00:00:02",
    };

    [PostgresFact]
    public async Task DeadlineSweep_ShouldFireOnOneInstanceAndMoveOn_WhenTheInstanceRunningItGoesAway()
    {
        await using var c = await Cluster.StartAsync(1, Clustered, TimeProvider.System);
        var first = c.Nodes[0];
        // The first instance runs the sweep; then two more join the cluster.
        await Heartbeat(first).WaitForAsync(DeadlineSweepJob.Key, DateTimeOffset.MinValue, TimeSpan.FromSeconds(30));
        await c.AddNodeAsync(Clustered);
        await c.AddNodeAsync(Clustered);
        await InstancesCheckedInAsync(c, 3, TimeSpan.FromSeconds(10));
        var runs = new List<JobRun>();
        var all = c.Nodes.ToList();
        await Task.Delay(TimeSpan.FromSeconds(12));

        // The instance that ran the last sweep goes away; another one runs the next sweeps.
        var last = all.MaxBy(n => Heartbeat(n).Runs.Where(r => r.Job == DeadlineSweepJob.Key).Select(r => r.RanAt).DefaultIfEmpty().Max())!;
        var goneAt = DateTimeOffset.UtcNow;
        runs.AddRange(Heartbeat(last).Runs);
        await c.StopNodeAsync(last);
        var next = await Task.WhenAny(c.Nodes.Select(n => Heartbeat(n).WaitForAsync(DeadlineSweepJob.Key, goneAt, TimeSpan.FromSeconds(30))));
        // At most one sweep interval, plus check-in interval and threshold when the stopped instance held the next firing.
        Assert.True((await next).RanAt - goneAt < TimeSpan.FromSeconds(10 + 1 + 2 + 3), $"next sweep at {(await next).RanAt:O}, gone at {goneAt:O}");
        // Its peers noticed it is gone (its check-in row recovered and removed) within check-in interval and threshold.
        await InstancesCheckedInAsync(c, 2, TimeSpan.FromSeconds(1 + 2 + 3));

        foreach (var n in c.Nodes) runs.AddRange(Heartbeat(n).Runs);
        var sweeps = runs.Where(r => r.Job == DeadlineSweepJob.Key).ToList();
        Assert.True(sweeps.Count >= 3, $"{sweeps.Count} sweeps");
        Assert.All(sweeps, r => Assert.False(r.Failed, r.Summary));
        // Every firing ran on exactly one instance.
        Assert.Equal(sweeps.Count, sweeps.Select(r => r.ScheduledFireTime).Distinct().Count());
    }

    private static async Task InstancesCheckedInAsync(Cluster c, long expected, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        long n;
        while ((n = await c.Database.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state WHERE sched_name = 'rrb-cluster'")) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{n} instances checked in, expected {expected} within {within}");
            await Task.Delay(100);
        }
    }

    private static JobHeartbeat Heartbeat(ClusterNode n) => n.Services.GetRequiredService<JobHeartbeat>();
}

/// <summary>Bulletins on a cluster: however many instances run the bulletin job at the bulletin time, it is posted once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterBulletinTests
{
    [PostgresFact]
    public async Task MonthlyBulletin_ShouldBePostedOnce_WhenEveryInstanceRunsTheBulletinJobAtOnce()
    {
        // 2026-11-02 (Monday) is November's first working day; 09:15 is after the bulletin time. 云龙 posts September–October then.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Scheduler.Seed.Bj(11, 2, 9, 15));
        await using var c = await Cluster.StartAsync(1, time: time);
        await using (var db = c.NewDb())
        {
            db.Regions.AddRange(
                new Domain.Roster.Region { Code = Scheduler.Seed.County, Name = "云龙县", Level = Domain.Roster.RegionLevel.County },
                new Domain.Roster.Region { Code = Scheduler.Seed.T1, Name = "诺邓镇", ParentCode = Scheduler.Seed.County, Level = Domain.Roster.RegionLevel.Township });
            db.Groups.Add(new Domain.Roster.GroupBinding { RegionCode = Scheduler.Seed.County, Purpose = Domain.Roster.GroupPurpose.Bulletin, ChatId = "chatbulletin" });
            await db.SaveChangesAsync();
        }
        var settings = new Dictionary<string, string?> { ["Scheduler:Enabled"] = "true" };
        for (var i = 0; i < 3; i++) await c.AddNodeAsync(settings);
        var clustered = c.Nodes.Skip(1).ToList();

        // Each instance runs the job at start; on top, every instance fires it once more, all at the same moment.
        await Task.WhenAll(clustered.Select(async n =>
            await (await n.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler()).TriggerJob(new Quartz.JobKey(BulletinJob.Key))));
        // At least the three fired by hand (a start-up trigger replaced by the next instance's start may not fire).
        await c.WaitUntilAsync(_ => Task.FromResult(clustered.Sum(n => Runs(n).Count) >= 3), "three bulletin runs");
        await Task.Delay(500);
        await c.WaitUntilAsync(async db => await db.Outbox.Where(o => o.DedupeKey!.StartsWith("bulletin:bimonthly:2026-09~10")).AllAsync(o => o.Status == Domain.Messaging.OutboxStatus.Sent), "bulletin sent");

        var runs = clustered.SelectMany(Runs).ToList();
        Assert.All(runs, r => Assert.False(r.Failed, r.Summary));
        await using var check = c.NewDb();
        Assert.Single(await check.KeyValues.Where(k => k.Key == "bulletin:bimonthly:2026-09~10").ToListAsync());
        var rows = await check.Outbox.Where(o => o.DedupeKey!.StartsWith("bulletin:bimonthly:2026-09~10")).ToListAsync();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("chatbulletin", r.Recipient));
        // WeCom received each part exactly once.
        Assert.Equal(rows.Count, c.Bodies("/cgi-bin/appchat/send").Count);
    }

    private static List<JobRun> Runs(ClusterNode n) =>
        [.. n.Services.GetRequiredService<JobHeartbeat>().Runs.Where(r => r.Job == BulletinJob.Key)];
}
