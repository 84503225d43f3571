using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using static RapidResponse.Bot.Tests.Scheduler.Seed;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>
/// The deadline sweep on the real Quartz scheduler (persistent store in the bot's SQLite file), driven by a FakeTimeProvider:
/// Quartz 4.7 takes the app's TimeProvider from the container and its scheduling loop waits on a timer of that clock, so
/// setting the fake clock makes the due trigger fire (a jump past several minutes is a misfire and fires once, now).
/// </summary>
[Collection(SchedulerRuns.Collection)]
public sealed class DeadlineSweepTests
{
    private sealed record Row(string At, OutboundChannel Channel, string To, string Key, string Mentions, string Text);

    /// <summary>Nag and escalation rows only (the duty job also runs on these days), oldest first.</summary>
    private static async Task<List<Row>> RowsAsync(BotFactory h, int skip = 0) =>
        [.. (await h.OutboxAsync()).Where(o => o.DedupeKey!.StartsWith("ladder:")).Skip(skip).Select(o =>
        {
            var body = OutboundPayload.Deserialize<TextBody>(o.Payload);
            return new Row(RapidResponse.Domain.Calendar.ChinaTime.ToLocal(o.CreatedAt).ToString("MM-dd HH:mm"), o.Channel, o.Recipient,
                o.DedupeKey!.Split(':')[0], string.Join(",", body.Mentions ?? []), body.Content);
        })];

    [Fact]
    public async Task WarmUp_ShouldRunEveryQueryAndTextWithoutSendingOrMarking_WhenStepsArePending()
    {
        var dir = SchedulerRuns.NewDirectory();
        await using var h = await SchedulerRuns.StartAsync(dir, Bj(9, 29, 10));
        await RosterAsync(h);
        var number = await OpenCaseAsync(h);

        // A fresh warm-up (the host's own ran at start): it succeeds (Took is set only then) and leaves no trace.
        var warmUp = ActivatorUtilities.CreateInstance<RapidResponse.Scheduler.Escalation.SweepWarmUp>(h.Services);
        await warmUp.RunAsync();
        Assert.NotNull(warmUp.Took);
        Assert.True(warmUp.Done.IsCompletedSuccessfully);
        Assert.DoesNotContain(await h.OutboxAsync(), o => o.DedupeKey!.StartsWith("ladder:") || o.DedupeKey.StartsWith("warmup:"));
        await using (var scope = h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapidResponse.Domain.Persistence.BotDb>();
            Assert.False(db.AuditEvents.Any(a => a.Action == "warmup"));
            Assert.True(db.LadderSteps.Any(s => s.DoneAt == null && s.FireAt <= Bj(9, 29, 17, 0))); // the 50% nag, still pending
        }

        // The real sweep after it fires the due nag once.
        await h.SweepAtAsync(Bj(9, 29, 17, 0));
        var nag = Assert.Single(await RowsAsync(h));
        Assert.Contains(number, nag.Text);
    }

    [Fact]
    public async Task Sweep_ShouldNagAndEscalateOnWorkingDaysOnly_WhenCaseRunsAcrossNationalDayHolidays()
    {
        var dir = SchedulerRuns.NewDirectory();
        await using var h = await SchedulerRuns.StartAsync(dir, Bj(9, 29, 10));
        await RosterAsync(h);
        var number = await OpenCaseAsync(h);

        // Intake (same day): the 50% nag lands at 17:00 on the day.
        await h.SweepAtAsync(Bj(9, 29, 16, 59));
        Assert.Empty(await RowsAsync(h));
        await h.SweepAtAsync(Bj(9, 29, 17, 0));
        var rows = await RowsAsync(h);
        var nag = Assert.Single(rows);
        Assert.Equal(("09-29 17:00", OutboundChannel.AppUser, "gm1"), (nag.At, nag.Channel, nag.To));
        Assert.Contains(number, nag.Text);
        Assert.Contains("受理", nag.Text);
        Assert.DoesNotContain("13900001111", nag.Text);

        // Intake done at 17:10: comparison (2 working days) is due at the end of 10-08 — 09-30, then the holiday, then 10-08.
        await h.SweepAtAsync(Bj(9, 29, 17, 10));
        await CompleteAsync(h, number, "gm1");
        for (var day = 30; day <= 37; day++)
            await h.SweepAtAsync(Bj(9, 29, 9).AddDays(day - 29));
        await h.SweepAtAsync(Bj(10, 8, 8, 29));
        Assert.Single(await RowsAsync(h));

        // 10-08 08:30: the 50% and 75% nags both moved past the holiday collapse into one nag per department officer.
        await h.SweepAtAsync(Bj(10, 8, 8, 30));
        rows = await RowsAsync(h, 1);
        Assert.Equal(["jt1", "mz1"], rows.Select(r => r.To).Order());
        Assert.All(rows, r => Assert.Equal(("10-08 08:30", OutboundChannel.AppUser), (r.At, r.Channel)));
        Assert.All(rows, r => Assert.Contains("今天到期", r.Text));

        // 民政 answers on time; 教体 does not.
        await h.SweepAtAsync(Bj(10, 8, 10));
        await h.Heartbeat().WaitForAsync(RapidResponse.Scheduler.DutyReminderJob.Key, Bj(10, 8, 9, 20), SchedulerRuns.Wait);
        await CompleteAsync(h, number, "MZ", TaskResult.NoAnomaly);

        // Level 1 at the first opening after the breach, in the township work group, @ the open assignee's officer and the township lead.
        await h.SweepAtAsync(Bj(10, 9, 8, 29));
        Assert.Equal(3, (await RowsAsync(h)).Count);
        await h.SweepAtAsync(Bj(10, 9, 8, 30));
        var l1 = Assert.Single(await RowsAsync(h, 3));
        Assert.Equal(new Row("10-09 08:30", OutboundChannel.AppChat, "chat-t1", "ladder", "jt1,tl1", l1.Text), l1);
        Assert.Contains("一级", l1.Text);
        Assert.Contains("县教体局", l1.Text);
        Assert.DoesNotContain("县民政局", l1.Text);
        Assert.Contains("钱分管", l1.Text);

        // Level 2 one working day later: Saturday 10-10 is an adjusted working day.
        await h.SweepAtAsync(Bj(10, 10, 8, 30));
        var l2 = Assert.Single(await RowsAsync(h, 4));
        Assert.Equal(("10-10 08:30", OutboundChannel.Webhook, "hook-county", ""), (l2.At, l2.Channel, l2.To, l2.Mentions));
        Assert.Contains("二级", l2.Text);

        // Level 3 three working days after level 1: 10-10, (Sunday 10-11 off), 10-12, 10-13.
        await h.SweepAtAsync(Bj(10, 11, 9));
        await h.SweepAtAsync(Bj(10, 12, 9));
        await h.SweepAtAsync(Bj(10, 13, 8, 29));
        Assert.Equal(5, (await RowsAsync(h)).Count);
        await h.SweepAtAsync(Bj(10, 13, 8, 30));
        var l3 = Assert.Single(await RowsAsync(h, 5));
        Assert.Equal(("10-13 08:30", OutboundChannel.Webhook, "hook-county"), (l3.At, l3.Channel, l3.To));
        // 云龙 四(三): one stage's level 3 is 列入督办; 约谈 is for units with many problems, per 通报 (InterviewTests).
        Assert.Contains("列入督办", l3.Text);
        Assert.DoesNotContain("列入约谈名单", l3.Text);

        // Nothing more, however long it stays open.
        await h.SweepAtAsync(Bj(10, 20, 9));
        Assert.Equal(6, (await RowsAsync(h)).Count);
        Assert.All(await RowsAsync(h), r => Assert.DoesNotContain("13812345678", r.Text));
        // The duty job ran on the same clock: 10-08 is the first working day after the 5th (holiday), so the county office got the missing-report list once.
        var duty = (await h.OutboxAsync()).Where(o => o.DedupeKey!.StartsWith("duty:report-missing:")).ToList();
        Assert.Equal(("co1", "duty:report-missing:2026-09:co1"), (Assert.Single(duty).Recipient, duty[0].DedupeKey));
    }
}
