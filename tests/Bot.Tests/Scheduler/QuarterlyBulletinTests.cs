using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Scoring;
using RapidResponse.Scheduler;
using static RapidResponse.Bot.Tests.Scheduler.Seed;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>
/// The quarterly bulletin for 2026-Q3, posted by the real scheduler on the first working day of October at the bulletin time.
/// 2026 calendar (国办发明电〔2025〕7号): 10-01…10-07 National Day off, so the first working day is Thursday 10-08.
/// </summary>
[Collection(SchedulerRuns.Collection)]
public sealed class QuarterlyBulletinTests
{
    private const string T3 = "532929103", T4 = "532929104", V3 = "532929103201", V4 = "532929104201";

    /// <summary>
    /// Four townships' stages completed in Q3 (the township evaluation is monthly now and must not appear here). Score events,
    /// verified: 民政 +10 (B2C), 教体 −2 (D1); 住建 +5 (B3C).
    /// </summary>
    private static async Task SeedQ3Async(BotFactory h)
    {
        await RosterAsync(h);
        await using var scope = h.Scope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        db.Regions.AddRange(
            new Region { Code = T3, Name = "长新乡", ParentCode = County, Level = RegionLevel.Township },
            new Region { Code = T4, Name = "白石镇", ParentCode = County, Level = RegionLevel.Township },
            new Region { Code = V3, Name = "大达村", ParentCode = T3, Level = RegionLevel.Village },
            new Region { Code = V4, Name = "顺荡村", ParentCode = T4, Level = RegionLevel.Village });
        var n = 0;
        void Add(string village, params bool[] late)
        {
            var c = new Case
            {
                Number = $"YL-2026-{++n:000000}", VillageCode = village, Channel = Channel.SelfReport, CreatedAt = Bj(8, 3, 9),
                RiskTypes = ["因学"], ProfileName = "yunlong", ProfileVersion = 1,
            };
            for (var i = 0; i < late.Length; i++)
                c.Stages.Add(new CaseStage
                {
                    Kind = i == 0 ? StageKind.Intake : StageKind.Decision, Sequence = i + 1, StartedAt = Bj(8, 3, 9), DueAt = Bj(8, 10, 17),
                    CompletedAt = late[i] ? Bj(8, 12, 9) : Bj(8, 7, 9), CompletedLate = late[i],
                });
            db.Cases.Add(c);
        }
        Add(V1, false, false);
        Add(V3, false);
        Add(V2, false, true);
        Add(V4, true);
        db.ScoreEvents.AddRange(
            new ScoreEvent { DepartmentCode = "MZ", Quarter = "2026-Q3", RuleCode = "B2C", Points = 10, Reason = "低保工作经验被市里宣传推介", EnteredBy = "孙办公室", At = Bj(9, 10, 9) },
            new ScoreEvent { DepartmentCode = "JT", Quarter = "2026-Q3", RuleCode = "D1", Points = -2, Reason = "暗访发现控辍保学问题未主动报告", EnteredBy = "孙办公室", At = Bj(9, 11, 9) },
            new ScoreEvent { DepartmentCode = "ZJ", Quarter = "2026-Q3", RuleCode = "B3C", Points = 5, Reason = "在市危房改造会议上做典型发言", EnteredBy = "孙办公室", At = Bj(9, 12, 9) });
        await db.SaveChangesAsync();
    }

    private static async Task<List<OutboxMessage>> QuarterlyRowsAsync(BotFactory h) =>
        [.. (await h.OutboxAsync()).Where(o => o.MediaId == null && o.DedupeKey!.StartsWith("bulletin:quarterly:2026-Q3:"))];

    private static string Text(OutboxMessage m) => OutboundPayload.Deserialize<MarkdownBody>(m.Payload).Content;

    [Fact]
    public async Task QuarterlyBulletin_ShouldBePostedOnceOnTheFirstWorkingDayAfterNationalDay_WhenRankingsShown()
    {
        var dir = SchedulerRuns.NewDirectory();
        await using (var h = await SchedulerRuns.StartAsync(dir, Bj(9, 30, 18)))
        {
            // The start-up run of the bulletin job (August's monthly bulletin is still due) before the clock moves on.
            await h.Heartbeat().WaitForAsync(BulletinJob.Key, Bj(9, 30, 18), SchedulerRuns.Wait);
            await SeedQ3Async(h);
            // 10-01 is in the holiday: the first working day of October is 10-08, so nothing goes on 10-01 … 10-07.
            Assert.Equal("not yet", (await h.RunAtAsync(BulletinJob.Key, Bj(10, 1, 9, 10))).Summary);
            Assert.Equal("not yet", (await h.RunAtAsync(BulletinJob.Key, Bj(10, 7, 9, 10))).Summary);
            Assert.Empty(await QuarterlyRowsAsync(h));
            // 云龙 posts its 通报 every two months (Jul–Aug went in September): October has only the quarterly bulletin.
            Assert.Equal("posted quarterly 2026-Q3", (await h.RunAtAsync(BulletinJob.Key, Bj(10, 8, 9, 10))).Summary);
        }
        // Restarts, the same day and the next: posted once.
        await using (var h = await SchedulerRuns.StartAsync(dir, Bj(10, 8, 11)))
            Assert.Equal("nothing due", (await h.Heartbeat().WaitForAsync(BulletinJob.Key, Bj(10, 8, 11), SchedulerRuns.Wait)).Summary);
        await using var h2 = await SchedulerRuns.StartAsync(dir, Bj(10, 9, 9));
        Assert.Equal("nothing due", (await h2.RunAtAsync(BulletinJob.Key, Bj(10, 9, 9, 10))).Summary);

        var row = Assert.Single(await QuarterlyRowsAsync(h2));
        Assert.Equal((OutboundChannel.AppChat, "chat-bulletin", OutboundKind.Markdown), (row.Channel, row.Recipient, row.Kind));
        Assert.Equal(Bj(10, 8, 9, 10), row.CreatedAt);
        var text = Text(row);
        Assert.Contains("# 2026年第三季度“5+2”联动部门评分排序通报", text);
        // Two separate department rankings: 民政 110 before 教体 98 among the close-monitoring units; 住建 alone among the related.
        Assert.Contains("## 一、防返贫动态监测紧密型单位\n1. 县民政局：110分（扣0分，加10分）", text);
        Assert.Contains("2. 县教体局：98分（扣2分，加0分）", text);
        Assert.Contains("## 二、巩固拓展脱贫攻坚成果相关单位\n1. 县住建局：105分", text);
        // The township evaluation is monthly (沈丘 五(四)), in the 通报, not here.
        Assert.DoesNotContain("乡镇", text);
        await using var scope = h2.Scope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<BotDb>().KeyValues.AnyAsync(k => k.Key == "bulletin:quarterly:2026-Q3"));
    }

    [Fact]
    public async Task QuarterlyBulletin_ShouldCarryNoRanking_WhenTheProfileHidesRankings()
    {
        // 丰都's profile has showRankings false.
        await using var h = await SchedulerRuns.StartAsync(SchedulerRuns.NewDirectory(), Bj(10, 8, 9), new Dictionary<string, string?> { ["Timeline:Profile"] = "fengdu" });
        Assert.Equal("not yet", (await h.Heartbeat().WaitForAsync(BulletinJob.Key, Bj(10, 8, 9), SchedulerRuns.Wait)).Summary);
        await SeedQ3Async(h);
        Assert.Equal("posted monthly 2026-09, quarterly 2026-Q3", (await h.RunAtAsync(BulletinJob.Key, Bj(10, 8, 9, 10))).Summary);

        var text = Text(Assert.Single(await QuarterlyRowsAsync(h)));
        Assert.Contains("# 2026年第三季度“5+2”联动部门评分通报", text);
        // Scores are listed by department, without rank numbers or order by score; no township ranking at all.
        Assert.Contains("## 一、防返贫动态监测紧密型单位\n- 县教体局：98分（扣2分，加0分）", text);
        Assert.Contains("- 县民政局：110分（扣0分，加10分）", text);
        Assert.True(text.IndexOf("县教体局", StringComparison.Ordinal) < text.IndexOf("县民政局", StringComparison.Ordinal));
        foreach (var absent in new[] { "排序", "1. ", "乡镇", "诺邓镇", "白石镇", "前三名", "末位" })
            Assert.DoesNotContain(absent, text);
    }
}
