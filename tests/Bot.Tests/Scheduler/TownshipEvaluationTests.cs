using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Bulletins;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Timelines;
using RapidResponse.Scheduler;
using static RapidResponse.Bot.Tests.Scheduler.Seed;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>
/// 沈丘 五(四) 严格奖惩措施: the monthly township evaluation in the 通报, on a monthly profile (the yunlong profile with
/// "bulletinCadence": "monthly", as a county file).
/// </summary>
[Collection(SchedulerRuns.Collection)]
public sealed class TownshipEvaluationTests
{
    private const string T3 = "532929103", T4 = "532929104", T5 = "532929105", V3 = "532929103201", V4 = "532929104201", V5 = "532929105201";

    /// <summary>The built-in yunlong profile written to a county file with a monthly 通报.</summary>
    public static string MonthlyProfile(string dir)
    {
        using var s = typeof(ProfileLoader).Assembly.GetManifestResourceStream("profiles.yunlong.json")!;
        var json = new StreamReader(s).ReadToEnd().Replace("\"bulletinCadence\": \"bimonthly\"", "\"bulletinCadence\": \"monthly\"");
        Assert.Contains("\"bulletinCadence\": \"monthly\"", json);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "county-profile.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static int _n;

    /// <summary>A case of <paramref name="village"/> with one stage due <paramref name="due"/>: completed at <paramref name="done"/>, or open.</summary>
    private static Case Work(string village, StageKind kind, DateTimeOffset due, DateTimeOffset? done)
    {
        var c = new Case { Number = $"YL-2026-{Interlocked.Increment(ref _n) + 500:000000}", VillageCode = village, Channel = Channel.SelfReport, CreatedAt = due.AddDays(-3), RiskTypes = ["因学"], ProfileName = "yunlong", ProfileVersion = 1 };
        c.Stages.Add(new CaseStage { Kind = kind, Sequence = 1, StartedAt = due.AddDays(-3), DueAt = due, CompletedAt = done, CompletedLate = done > due });
        return c;
    }

    private static async Task SeedTownshipsAsync(BotFactory h)
    {
        await RosterAsync(h);
        await using var scope = h.Scope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        db.Regions.AddRange(
            new Region { Code = T3, Name = "长新乡", ParentCode = County, Level = RegionLevel.Township },
            new Region { Code = T4, Name = "白石镇", ParentCode = County, Level = RegionLevel.Township },
            new Region { Code = T5, Name = "检槽乡", ParentCode = County, Level = RegionLevel.Township },
            new Region { Code = V3, Name = "大达村", ParentCode = T3, Level = RegionLevel.Village },
            new Region { Code = V4, Name = "顺荡村", ParentCode = T4, Level = RegionLevel.Village },
            new Region { Code = V5, Name = "师井村", ParentCode = T5, Level = RegionLevel.Village });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task SQ五四_MonthlyEvaluation_ShouldRankOpenOverdueWorkBelowLateWork_AndShowNoDueWorkApart()
    {
        var dir = SchedulerRuns.NewDirectory();
        await using var h = await SchedulerRuns.StartAsync(dir, Bj(11, 2, 8), new Dictionary<string, string?> { ["Timeline:Profile"] = MonthlyProfile(dir) });
        await SeedTownshipsAsync(h);
        var due = ChinaTime.EndOfDay(new DateOnly(2026, 10, 20));
        await using (var scope = h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            db.Cases.AddRange(
                // 诺邓镇: one on time, one finished late → 1/2.
                Work(V1, StageKind.Intake, due, Bj(10, 19, 9)), Work(V1, StageKind.HouseholdCheck, due, Bj(10, 23, 9)),
                // 功果桥镇: one on time, one left open past due → 1/2 (by the old rate, on time ÷ completed, it would be 100%).
                Work(V2, StageKind.Intake, due, Bj(10, 19, 9)), Work(V2, StageKind.HouseholdCheck, due, null),
                // 长新乡: two on time → 2/2.
                Work(V3, StageKind.Intake, due, Bj(10, 19, 9)), Work(V3, StageKind.ForwardToVillage, due, Bj(10, 20, 9)),
                // 白石镇: one on time, two open past due → 1/3; a department's overdue comparison does not count against it, nor does
                // the county office's own overdue step (云龙 县级确定 is the county's).
                Work(V4, StageKind.Intake, due, Bj(10, 19, 9)), Work(V4, StageKind.HouseholdCheck, due, null), Work(V4, StageKind.ForwardToVillage, due, null),
                Work(V4, StageKind.Comparison, due, null), Work(V4, StageKind.Decision, due, null),
                // 检槽乡: only a stage not yet due at the month's end.
                Work(V5, StageKind.Intake, ChinaTime.EndOfDay(new DateOnly(2026, 11, 3)), null));
            await db.SaveChangesAsync();
        }

        Assert.Equal("posted monthly 2026-10", (await h.RunAtAsync(BulletinJob.Key, Bj(11, 2, 9, 10))).Summary);
        var text = string.Concat((await h.OutboxAsync()).Where(o => o.MediaId == null && o.Recipient == "chat-bulletin" && o.DedupeKey!.StartsWith("bulletin:monthly:2026-10:"))
            .Select(o => RapidResponse.Scheduler.Bulletins.BulletinSplitter.StripNumber(OutboundPayload.Deserialize<MarkdownBody>(o.Payload).Content)));
        Assert.Contains("## 六、乡镇考评（按时办结率 = 按时办结 ÷（已办结 + 逾期未办））\n"
            + "1. 长新乡：100%（按时2/到期2，其中逾期未办0）\n"
            + "2. 诺邓镇：50%（按时1/到期2，其中逾期未办0）\n"
            + "3. 功果桥镇：50%（按时1/到期2，其中逾期未办1）\n"
            + "4. 白石镇：33.3%（按时1/到期3，其中逾期未办2）\n"
            + "- 检槽乡：无到期任务，不参加排名", text);
        Assert.Contains("前三名：长新乡、诺邓镇、功果桥镇，给予表彰和奖励。", text);
        Assert.Contains("后一名：白石镇，大会检讨发言，限期整改。", text);
        Assert.DoesNotContain("表态发言", text);
        // Not December: no year total yet.
        Assert.DoesNotContain("考评总成绩", text);
    }

    [Fact]
    public async Task SQ五四_DecemberBulletin_ShouldAddTheMonthlyResultsUpToTheYearTotal()
    {
        var dir = SchedulerRuns.NewDirectory();
        await using var h = await SchedulerRuns.StartAsync(dir, Bj(12, 31, 20), new Dictionary<string, string?>
        {
            ["Timeline:Profile"] = MonthlyProfile(dir), ["Scheduler:Enabled"] = "false",
        });
        await RosterAsync(h);
        await using var scope = h.Scope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var oct = ChinaTime.EndOfDay(new DateOnly(2026, 10, 20));
        var dec = ChinaTime.EndOfDay(new DateOnly(2026, 12, 10));
        db.Cases.AddRange(
            // October: 诺邓镇 1/1, 功果桥镇 0/1. December: 诺邓镇 0/1, 功果桥镇 2/2. Year: 诺邓镇 1/2, 功果桥镇 2/3.
            Work(V1, StageKind.Intake, oct, Bj(10, 19, 9)), Work(V2, StageKind.Intake, oct, Bj(10, 22, 9)),
            Work(V1, StageKind.Intake, dec, Bj(12, 14, 9)), Work(V2, StageKind.Intake, dec, Bj(12, 9, 9)), Work(V2, StageKind.HouseholdCheck, dec, Bj(12, 10, 9)));
        await db.SaveChangesAsync();

        var f = await scope.ServiceProvider.GetRequiredService<MonthlyBulletinQuery>().ComputeAsync(new MonthPeriod(2026, 12));
        Assert.Equal(["1 功果桥镇 100%", "2 诺邓镇 0%"], f.Evaluation!.Ranked.Select(l => $"{l.Rank} {l.Name} {l.Rate}"));
        Assert.Equal(["1 功果桥镇 66.7% 2/3", "2 诺邓镇 50% 1/2"], f.YearTotal!.Ranked.Select(l => $"{l.Rank} {l.Name} {l.Rate} {l.OnTime}/{l.Due}"));
        var text = scope.ServiceProvider.GetRequiredService<RapidResponse.Scheduler.Bulletins.BulletinViews>().Monthly(f);
        Assert.Contains("## 七、2026年乡镇考评总成绩（各期考评结果累计）\n1. 功果桥镇：66.7%（按时2/到期3）\n2. 诺邓镇：50%（按时1/到期2）", text);
        // November had no due work anywhere: the November bulletin ranks nobody first.
        var nov = await scope.ServiceProvider.GetRequiredService<MonthlyBulletinQuery>().ComputeAsync(new MonthPeriod(2026, 11));
        Assert.Empty(nov.Evaluation!.Ranked);
        Assert.Equal(["诺邓镇", "功果桥镇"], nov.Evaluation.NoDueWork.Select(l => l.Name));
        Assert.Null(nov.YearTotal);
    }
}
