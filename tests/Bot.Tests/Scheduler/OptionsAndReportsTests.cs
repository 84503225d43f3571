using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Reports;
using RapidResponse.Scheduler;
using static RapidResponse.Bot.Tests.Scheduler.Seed;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Scheduler;

[Collection(SchedulerRuns.Collection)]
public sealed class OptionsAndReportsTests
{
    [Fact]
    public void Validate_ShouldListEveryProblem_WhenSeveralSettingsAreWrong()
    {
        var o = new SchedulerOptions
        {
            SweepInterval = TimeSpan.FromSeconds(1), BulletinTime = new(9, 30), DutyReminderTime = new(9, 0), InstanceName = " ",
            WorkingHoursStart = new(8, 30), ScreeningReminderDays = [5, 12],
            ClusterCheckinInterval = TimeSpan.FromMinutes(6), ClusterCheckinMisfireThreshold = TimeSpan.Zero, SweepBatchSize = 0,
            SelfCheckReminderDays = [32], ReportReminderDays = [0], ReportDueDay = 29,
        };
        var r = new SchedulerOptionsValidator().Validate(null, o);
        Assert.True(r.Failed);
        foreach (var key in new[] { "SweepInterval", "BulletinTime", "DutyReminderTime", "InstanceName", "WorkingHoursStart and Scheduler:WorkingHoursEnd", "ScreeningReminderDays",
            "ClusterCheckinInterval", "ClusterCheckinMisfireThreshold", "SweepBatchSize", "SelfCheckReminderDays", "ReportReminderDays", "ReportDueDay" })
            Assert.Contains(r.Failures!, f => f.Contains(key));
        Assert.True(new SchedulerOptionsValidator().Validate(null, new SchedulerOptions()).Succeeded);
        var late = new SchedulerOptionsValidator().Validate(null, new SchedulerOptions { WorkingHoursStart = new(17, 0), WorkingHoursEnd = new(9, 0) });
        Assert.Contains(late.Failures!, f => f.Contains("17:00") && f.Contains("before"));
    }

    [Fact]
    public void Bind_ShouldReadTimesOfDayAndNameTheKey_WhenAValueIsNotATime()
    {
        var good = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Scheduler:BulletinTime"] = "09:40", ["Scheduler:WorkingHoursStart"] = "08:00", ["Scheduler:WorkingHoursEnd"] = "18:00",
        }).Build().GetSection(SchedulerOptions.Section).Get<SchedulerOptions>()!;
        Assert.Equal(new TimeOnly(9, 40), good.BulletinTime);
        Assert.Equal(new TimeOnly(8, 0), good.WorkingHoursStart);
        Assert.Equal(new TimeOnly(21, 0), good.QuietHoursStart); // the default, from the class
        var days = RapidResponse.Bot.Hosting.ValidatedOptions.Read<SchedulerOptions>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Scheduler:ScreeningReminderDays:0"] = "3" }).Build(), SchedulerOptions.Section);
        Assert.Equal([3], days.ScreeningReminderDays); // configured days replace the defaults, not add to them
        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Scheduler:DutyReminderTime"] = "9点" }).Build();
        var e = Assert.Throws<InvalidOperationException>(() => { _ = bad.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>(); });
        Assert.Contains("Scheduler:DutyReminderTime", e.Message);
    }

    [Fact]
    public async Task SubmitAsync_ShouldRecordOnTimeThenKeepFirstTime_WhenResubmitted()
    {
        await using var h = await SchedulerRuns.StartAsync(SchedulerRuns.NewDirectory(), Bj(11, 3, 9), new Dictionary<string, string?> { ["Scheduler:Enabled"] = "false" });
        await RosterAsync(h);
        await using var scope = h.Scope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();

        var first = await DepartmentReports.SubmitAsync(db, "JT", "2026-10", "jt1", "自查发现问题2条，已整改1条", Bj(11, 3, 9));
        await db.SaveChangesAsync();
        Assert.False(first.Late);
        Assert.Equal(Bj(11, 6, 0).AddTicks(-1), first.DueAt);
        var again = await DepartmentReports.SubmitAsync(db, "JT", "2026-10", "jt1", "更正：已整改2条", Bj(11, 6, 10));
        await db.SaveChangesAsync();
        Assert.True(again.Replaced);
        Assert.False(again.Late);
        Assert.Equal(Bj(11, 3, 9), (await db.DepartmentReports.SingleAsync()).SubmittedAt);

        var missing = await DepartmentReports.MissingAsync(db, new MonthPeriod(2026, 10), Bj(11, 9, 9));
        Assert.Equal(["MZ", "ZJ"], missing.Select(d => d.Code));
        var e = await Assert.ThrowsAsync<DomainException>(() => DepartmentReports.SubmitAsync(db, "JT", "10月", "jt1", "x", Bj(11, 3, 9)));
        Assert.Contains("2026-10", e.Message);
        await Assert.ThrowsAsync<DomainException>(() => DepartmentReports.SubmitAsync(db, "XX", "2026-10", "jt1", "x", Bj(11, 3, 9)));
        Assert.Equal(2, await db.AuditEvents.CountAsync(a => a.Action.StartsWith("report.")));
    }

    [Fact]
    public async Task Sweep_ShouldHoldAStepUntilTheNextOpeningAndFireItOnce_WhenItComesDueOutsideHours()
    {
        // The county narrows the hours to 09:00–17:00: steps the profile placed at 08:30 wait until 09:00.
        await using var h = await SchedulerRuns.StartAsync(SchedulerRuns.NewDirectory(), Bj(9, 29, 10),
            new Dictionary<string, string?> { ["Scheduler:WorkingHoursStart"] = "09:00", ["Scheduler:WorkingHoursEnd"] = "17:00" });
        await RosterAsync(h);
        var number = await OpenCaseAsync(h);
        await h.SweepAtAsync(Bj(9, 29, 17, 10));
        await CompleteAsync(h, number, "gm1");
        await h.SweepAtAsync(Bj(10, 9, 8, 30));
        await h.SweepAtAsync(Bj(10, 9, 8, 59));
        // Only the escalation is in question here: the September and Q3 bulletins, due during the jump over National Day, may post at once.
        Assert.DoesNotContain(await h.OutboxAsync(), o => o.Channel == RapidResponse.Domain.Messaging.OutboundChannel.AppChat && o.DedupeKey!.StartsWith("ladder:", StringComparison.Ordinal));
        await h.SweepAtAsync(Bj(10, 9, 9, 0));
        await h.SweepAtAsync(Bj(10, 9, 9, 1));
        await h.SweepAtAsync(Bj(10, 9, 9, 2));
        var l1 = Assert.Single(await h.OutboxAsync(), o => o.Channel == RapidResponse.Domain.Messaging.OutboundChannel.AppChat && o.DedupeKey!.StartsWith("ladder:", StringComparison.Ordinal));
        Assert.Equal(Bj(10, 9, 9, 0), l1.CreatedAt);
    }
}
