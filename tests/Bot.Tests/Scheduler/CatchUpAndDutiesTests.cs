using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Scoring;
using RapidResponse.Scheduler;
using static RapidResponse.Bot.Tests.Scheduler.Seed;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>Quiet hours for catch-up, the automatic late-comparison items (方城 附件3 ②) and the monthly screening list (沈丘 二(一)).</summary>
[Collection(SchedulerRuns.Collection)]
public sealed class CatchUpAndDutiesTests
{
    [Fact]
    public async Task CatchUp_ShouldPostTheMissedBulletinAtTheNextWorkingHoursSlot_WhenTheHostStartsAt0340()
    {
        var dir = SchedulerRuns.NewDirectory();
        // Down over Monday 11-02, the bulletin day; back on Tuesday at 03:40.
        await using var h = await SchedulerRuns.StartAsync(dir, Bj(11, 3, 3, 40));
        Assert.Equal("held until working hours", (await h.Heartbeat().WaitForAsync(BulletinJob.Key, Bj(11, 3, 3, 40), SchedulerRuns.Wait)).Summary);
        await RosterAsync(h);
        Assert.Equal("held until working hours", (await h.TriggerAtAsync(BulletinJob.Key, Bj(11, 3, 3, 41))).Summary);
        Assert.Equal("held until working hours", (await h.TriggerAtAsync(BulletinJob.Key, Bj(11, 3, 8, 29))).Summary);
        Assert.DoesNotContain(await h.OutboxAsync(), o => o.DedupeKey!.StartsWith("bulletin:"));
        // At the bulletin time it goes out (the summary of the run we wait for may be a second run's "nothing due" when the
        // clock jump fires the daily trigger twice, so the outbox is what is checked).
        await h.RunAtAsync(BulletinJob.Key, Bj(11, 3, 9, 10));
        var rows = (await h.OutboxAsync()).Where(o => o.DedupeKey!.StartsWith("bulletin:")).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(Bj(11, 3, 9, 10), r.CreatedAt));
        Assert.All(rows, r => Assert.StartsWith("bulletin:bimonthly:2026-09~10:", r.DedupeKey));
        // Duty reminders hold the same way after hours.
        Assert.Equal("held until working hours", (await h.TriggerAtAsync(DutyReminderJob.Key, Bj(11, 3, 21, 5))).Summary);
    }

    [Fact]
    public async Task FC附件3二_LateComparison_ShouldBeOnePendingItemPerCase_VerifiedOnlyAfterTwoWorkingDaysWithoutContest()
    {
        await using var h = await SchedulerRuns.StartAsync(SchedulerRuns.NewDirectory(), Bj(10, 12, 8));
        await RosterAsync(h);
        await using (var scope = h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            db.Staff.Add(new Staff { UserId = "jt2", Name = "许教体", Role = StaffRole.DepartmentOfficer, RegionCode = County, DepartmentCode = "JT" });
            await db.SaveChangesAsync();
        }
        await h.SweepAtAsync(Bj(10, 12, 9));
        var number = await OpenCaseAsync(h);
        await CompleteAsync(h, number, "gm1");   // intake done 10-12 → comparison (教体) due end of 10-14

        async Task<List<ScoreEvent>> ItemsAsync()
        {
            await using var s = h.Scope();
            return await s.ServiceProvider.GetRequiredService<BotDb>().ScoreEvents.AsNoTracking().ToListAsync();
        }
        async Task<int> JtScoreAsync()
        {
            await using var s = h.Scope();
            var q = await s.ServiceProvider.GetRequiredService<Domain.Bulletins.QuarterlyBulletinQuery>().ComputeAsync(new QuarterPeriod(2026, 4), true);
            return q.Departments.CloseMonitoring.Single(d => d.Code == "JT").Score;
        }

        await h.SweepAtAsync(Bj(10, 14, 17));
        Assert.Empty(await ItemsAsync());                     // not yet due: a preview counts nothing
        await h.SweepAtAsync(Bj(10, 15, 0, 1));
        Assert.Empty(await ItemsAsync());                     // past due, but night: the item and its card wait for working hours
        await h.SweepAtAsync(Bj(10, 15, 9));
        // The case went to 教体 and 民政 (民政 compares every case: Routing:AlwaysCompare), neither answered: one item per department for the
        // case — 教体 has two officers and still one item, its card to both.
        var all = await ItemsAsync();
        Assert.Equal(["JT", "MZ"], all.Select(x => x.DepartmentCode).Order());
        var item = all.Single(x => x.DepartmentCode == "JT");
        Assert.Equal(("D2b", -3, ScoreStatus.Pending, number), (item.RuleCode, item.Points, item.Status, item.CaseNumber));
        // One card send per item to all its holders (WeCom: a task_id once per app).
        Assert.Equal(["jt1|jt2", "mz1"], (await h.OutboxAsync()).Where(o => o.Kind == OutboundKind.Card && o.DedupeKey!.StartsWith("card:SCORE-")).Select(o => o.Recipient).Order());
        Assert.Equal(100, await JtScoreAsync());              // 待核实 does not count

        // 2 working days after 10-15: Friday 10-16 and Monday 10-19, end of day.
        await h.SweepAtAsync(Bj(10, 19, 23, 59));
        Assert.All(await ItemsAsync(), x => Assert.Equal(ScoreStatus.Pending, x.Status));
        await h.SweepAtAsync(Bj(10, 20, 0, 0));
        var verified = (await ItemsAsync()).Single(x => x.DepartmentCode == "JT");
        Assert.Equal((ScoreStatus.Verified, "deadline"), (verified.Status, verified.VerifiedHow));
        Assert.Equal(97, await JtScoreAsync());
        // The stage is still open; no second item however long it stays so.
        await h.SweepAtAsync(Bj(10, 21, 9));
        Assert.Equal(2, (await ItemsAsync()).Count);
    }

    [Fact]
    public async Task SQ二一_ScreeningList_ShouldSendEachVillageItsUnmonitoredHouseholdsUnderTheIncomeLine_Monthly()
    {
        var dir = SchedulerRuns.NewDirectory();
        await using var h = await SchedulerRuns.StartAsync(dir, Bj(11, 5, 8), new Dictionary<string, string?> { ["Screening:IncomeLine"] = "7000" });
        await RosterAsync(h);
        await using (var scope = h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            Household H(string no, string name, decimal income, HouseholdCategory cat = HouseholdCategory.Ordinary, string village = V1) =>
                new() { HouseholdNo = no, HeadName = name, IdNumber = "53292919800101" + no[^4..], VillageCode = village, Members = 3, IncomePerCapita = income, Category = cat };
            var withCase = H("H-0004", "赵有案", 5000);
            db.Households.AddRange(
                H("H-0001", "张低收", 6950),                                    // under the configured 7,000: listed
                H("H-0002", "李监测", 5000, HouseholdCategory.MarginalAtRisk),   // already monitored
                H("H-0003", "王够线", 7000),                                    // at the line, not under it
                withCase,                                                      // has an open case
                H("H-0005", "陈旧州", 4000, village: V2));                      // 旧州村's list
            await db.SaveChangesAsync();
            db.Cases.Add(new Case { Number = "YL-2026-000900", VillageCode = V1, HouseholdId = withCase.Id, Channel = Channel.CadreVisit, CreatedAt = Bj(11, 1, 9), RiskTypes = ["因病"], ProfileName = "yunlong", ProfileVersion = 1 });
            await db.SaveChangesAsync();
        }
        await h.RunAtAsync(DutyReminderJob.Key, Bj(11, 5, 9, 20));
        var lists = (await h.OutboxAsync()).Where(o => o.DedupeKey!.StartsWith("duty:screening-list:2026-11:")).ToList();
        Assert.Equal(["gm1", "gm2", "vc1"], lists.Select(o => o.Recipient).Order());
        var v1 = OutboundPayload.Deserialize<TextBody>(lists.First(o => o.Recipient == "gm1").Payload).Content;
        Assert.Contains("【11月排查清单】天池村", v1);
        Assert.Contains("低于7000元、尚未纳入监测的农户共1户", v1);
        Assert.Contains("H-0001 张低收，3人，人均6950元", v1);
        foreach (var absent in new[] { "李监测", "王够线", "赵有案", "陈旧州" }) Assert.DoesNotContain(absent, v1);
        Assert.Contains("H-0005 陈旧州", OutboundPayload.Deserialize<TextBody>(lists.First(o => o.Recipient == "gm2").Payload).Content);

        // The 9th's reminder does not repeat the list; next month it comes again.
        await h.RunAtAsync(DutyReminderJob.Key, Bj(11, 9, 9, 20));
        Assert.Equal(3, (await h.OutboxAsync()).Count(o => o.DedupeKey!.StartsWith("duty:screening-list:")));
    }
}
