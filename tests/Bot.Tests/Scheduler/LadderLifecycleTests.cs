using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using static RapidResponse.Bot.Tests.Scheduler.Seed;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>Completion, deferral, restart and downtime against the real Quartz scheduler and SQLite file.</summary>
[Collection(SchedulerRuns.Collection)]
public sealed class LadderLifecycleTests
{
    private sealed record Row(string At, OutboundChannel Channel, string To, string Text);

    private static async Task<List<Row>> LadderRowsAsync(BotFactory h) =>
        [.. (await h.OutboxAsync()).Where(o => o.DedupeKey!.StartsWith("ladder:")).Select(o =>
            new Row(ChinaTime.ToLocal(o.CreatedAt).ToString("MM-dd HH:mm"), o.Channel, o.Recipient, OutboundPayload.Deserialize<TextBody>(o.Payload).Content))];

    /// <summary>A case whose comparison stage (JT + MZ) started 09-29 17:10, due at the end of 10-08.</summary>
    private static async Task<string> ComparisonCaseAsync(BotFactory h)
    {
        await RosterAsync(h);
        var number = await OpenCaseAsync(h);
        await h.SweepAtAsync(Bj(9, 29, 17, 10));
        await CompleteAsync(h, number, "gm1");
        return number;
    }

    [Fact]
    public async Task Sweep_ShouldStopTheLadder_WhenStageCompletes()
    {
        await using var h = await SchedulerRuns.StartAsync(SchedulerRuns.NewDirectory(), Bj(9, 29, 10));
        var number = await ComparisonCaseAsync(h);
        await h.SweepAtAsync(Bj(10, 9, 8, 30));
        Assert.Single(await LadderRowsAsync(h), r => r.Text.Contains("逾期提醒·一级"));

        await h.SweepAtAsync(Bj(10, 9, 10));
        await CompleteAsync(h, number, "JT", TaskResult.NoAnomaly);
        await CompleteAsync(h, number, "MZ", TaskResult.NoAnomaly);
        foreach (var day in new[] { 10, 12, 13, 14, 15, 16, 19, 20 }) await h.SweepAtAsync(Bj(10, day, 9));

        var rows = await LadderRowsAsync(h);
        // The comparison stage never escalated again…
        Assert.Single(rows, r => r.Text.Contains("信息比对") && r.Channel != OutboundChannel.AppUser);
        Assert.DoesNotContain(rows, r => r.Text.Contains("信息比对") && string.CompareOrdinal(r.At, "10-09 10:00") > 0);
        // …and the next stage (forward to village, township, 2 working days → due end of 10-12) runs its own ladder.
        Assert.Contains(rows, r => r.Text.Contains("反馈到村") && r.To == "to1" && r.At == "10-12 09:00");
        Assert.Contains(rows, r => r.Text.Contains("反馈到村") && r.Text.Contains("逾期提醒·一级") && r.At == "10-13 09:00");
    }

    [Fact]
    public async Task Sweep_ShouldFollowTheNewDeadline_WhenDeferralApproved()
    {
        await using var h = await SchedulerRuns.StartAsync(SchedulerRuns.NewDirectory(), Bj(9, 29, 10));
        var number = await ComparisonCaseAsync(h);
        await h.SweepAtAsync(Bj(10, 8, 9));
        await DeferAsync(h, number, ChinaTime.EndOfDay(new DateOnly(2026, 10, 14)), "部门系统升级，数据10月13日恢复");

        await h.SweepAtAsync(Bj(10, 9, 8, 30));
        Assert.DoesNotContain(await LadderRowsAsync(h), r => r.Text.Contains("逾期"));
        foreach (var (d, hh, mm) in new[] { (10, 9, 0), (12, 8, 30), (13, 8, 30), (14, 8, 30), (14, 17, 29), (15, 8, 29) }) await h.SweepAtAsync(Bj(10, d, hh, mm));
        Assert.DoesNotContain(await LadderRowsAsync(h), r => r.Text.Contains("逾期"));
        await h.SweepAtAsync(Bj(10, 15, 8, 30));

        var rows = await LadderRowsAsync(h);
        var l1 = Assert.Single(rows, r => r.Text.Contains("逾期"));
        Assert.Equal(("10-15 08:30", "chat-t1"), (l1.At, l1.To));
        Assert.Contains("10月14日", l1.Text);
        // Nags re-planned in the new window: 50% moved off Sunday 10-11 to Monday 10-12; the due-day morning nag on 10-14.
        Assert.Equal(["10-08 09:00", "10-12 08:30", "10-14 08:30"], rows.Where(r => r.To == "jt1").Select(r => r.At));
        await using var s = h.Scope();
        var audit = await s.ServiceProvider.GetRequiredService<BotDb>().AuditEvents.Where(a => a.Action == "stage.deferred").ToListAsync();
        Assert.Equal("tl1", Assert.Single(audit).Actor);
    }

    [Fact]
    public async Task Sweep_ShouldNeitherRepeatNorLose_WhenHostRestartsOnTheSameDatabase()
    {
        var dir = SchedulerRuns.NewDirectory();
        await using (var h1 = await SchedulerRuns.StartAsync(dir, Bj(9, 29, 10)))
        {
            await ComparisonCaseAsync(h1);
            await h1.SweepAtAsync(Bj(10, 9, 8, 30));
            // The intake nag (due 17:00, sent at 17:10) and level 1; the 10-08 nags were stale by the time the clock got there.
            Assert.Equal(2, (await LadderRowsAsync(h1)).Count);
        }
        await using var h2 = await SchedulerRuns.StartAsync(dir, Bj(10, 9, 8, 31));
        await h2.SweepAtAsync(Bj(10, 9, 8, 31));
        Assert.Equal(2, (await LadderRowsAsync(h2)).Count);
        await h2.SweepAtAsync(Bj(10, 10, 8, 30));
        var rows = await LadderRowsAsync(h2);
        Assert.Equal(3, rows.Count);
        Assert.Equal(("10-10 08:30", "hook-county"), (rows[^1].At, rows[^1].To));

        // Quartz keeps its schedule in the same SQLite file: one row per job, not one per start.
        await using var conn = new SqliteConnection($"Data Source={Path.Combine(dir, "bot.db")}");
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM QRTZ_JOB_DETAILS";
        Assert.Equal(3L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Sweep_ShouldSendEachLevelOnce_WhenHostWasDownAcrossTheBreach()
    {
        var dir = SchedulerRuns.NewDirectory();
        await using (var h1 = await SchedulerRuns.StartAsync(dir, Bj(9, 29, 10)))
        {
            await ComparisonCaseAsync(h1);
            await h1.SweepAtAsync(Bj(9, 30, 9));
        }
        // Down from 09-30 to 10-14 09:00: the due-day nag is stale, levels 1–3 are all due.
        await using var h2 = await SchedulerRuns.StartAsync(dir, Bj(10, 14, 9));
        await h2.SweepAtAsync(Bj(10, 14, 9));
        await h2.SweepAtAsync(Bj(10, 14, 9, 1));
        await h2.SweepAtAsync(Bj(10, 14, 10));

        var rows = (await LadderRowsAsync(h2)).Where(r => r.Text.Contains("信息比对")).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal("10-14 09:00", r.At));
        Assert.Equal(["一级", "二级", "三级"], rows.Select(r => r.Text[(r.Text.IndexOf('·') + 1)..(r.Text.IndexOf('·') + 3)]));
        Assert.Equal(["chat-t1", "hook-county", "hook-county"], rows.Select(r => r.To));
        await using var s = h2.Scope();
        var nags = await s.ServiceProvider.GetRequiredService<BotDb>().LadderSteps
            .Where(x => x.Stage!.Kind == StageKind.Comparison && !x.Kind.Equals(LadderStepKind.Overdue1) && x.Kind < LadderStepKind.Overdue1).ToListAsync();
        Assert.NotEmpty(nags);
        Assert.All(nags, n => Assert.True(n.Cancelled && n.DoneAt is not null));
    }

    [Fact]
    public async Task RestartAfterDowntime_ShouldSendEachLevelOnceAndOneBulletin_WhenDownAcrossADeadlineAndAMonthBoundary()
    {
        var dir = SchedulerRuns.NewDirectory();
        await using (var h1 = await SchedulerRuns.StartAsync(dir, Bj(9, 29, 10)))
        {
            await ComparisonCaseAsync(h1);
            await h1.SweepAtAsync(Bj(9, 30, 9));
        }
        // Down from 09-30 to 11-03 09:30: the comparison deadline (end of 10-08) and the September–October 通报 (11-02 09:10) passed.
        int bulletinRows;
        await using (var h2 = await SchedulerRuns.StartAsync(dir, Bj(11, 3, 9, 30)))
        {
            await h2.RunAtAsync(RapidResponse.Scheduler.BulletinJob.Key, Bj(11, 3, 9, 30));
            await h2.SweepAtAsync(Bj(11, 3, 9, 30));
            await h2.SweepAtAsync(Bj(11, 3, 9, 31));
            var levels = (await LadderRowsAsync(h2)).Where(r => r.Text.Contains("信息比对") && r.Channel != OutboundChannel.AppUser).ToList();
            Assert.Equal(3, levels.Count);
            Assert.All(levels, r => Assert.Equal("11-03 09:30", r.At));
            bulletinRows = (await h2.OutboxAsync()).Count(o => o.DedupeKey!.StartsWith("bulletin:bimonthly:2026-09~10", StringComparison.Ordinal));
            Assert.True(bulletinRows > 0);
        }
        // Another restart the same morning: nothing is sent again.
        await using var h3 = await SchedulerRuns.StartAsync(dir, Bj(11, 3, 10));
        await h3.RunAtAsync(RapidResponse.Scheduler.BulletinJob.Key, Bj(11, 3, 10));
        await h3.SweepAtAsync(Bj(11, 3, 10, 1));
        Assert.Equal(3, (await LadderRowsAsync(h3)).Count(r => r.Text.Contains("信息比对") && r.Channel != OutboundChannel.AppUser));
        Assert.Equal(bulletinRows, (await h3.OutboxAsync()).Count(o => o.DedupeKey!.StartsWith("bulletin:bimonthly:2026-09~10", StringComparison.Ordinal)));
    }
}
