using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.Tests.Scheduler;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Scheduler;

namespace RapidResponse.Bot.Tests.Conversations;

/// <summary>Floods and duplicates (issue 12, item 3): a daily cap per sender, repeats joined to the open case, 无效/重复线索 and 重开.</summary>
public sealed class ReportTriageTests
{
    private const string Kf = "kf1";

    private static (BotFactory F, ChatDriver Chat) Start(BotFactory? f = null)
    {
        f ??= new BotFactory();
        _ = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        return (f, new ChatDriver(f));
    }

    private static Task Say(ChatDriver chat, string from, string text) => chat.SendAsync(from, text, InboundChannel.Kf, Kf);

    private static string OneShot(string id, string name, string phone, string description = "家里有人住院，花费很大") =>
        $"申报\n身份证号：{id}\n姓名：{name}\n联系电话：{phone}\n村：李树村\n困难类型：因病\n情况说明：{description}";

    private static async Task FileAsync(ChatDriver chat, string from, string id, string name = "刘一", string phone = "13800009999", string description = "家里有人住院，花费很大")
    {
        await Say(chat, from, OneShot(id, name, phone, description));
        await Say(chat, from, "确认");
    }

    [Fact]
    public async Task FourthReport_ShouldBeRefusedUntilTheNextBeijingDay_WhenOneSenderFilesFourInADay()
    {
        var (f, chat) = Start();
        using var _ = f;
        // Three people's ID numbers (none on the roster), so nothing joins: three new cases, the cap exactly reached.
        string[] ids = [ChatFlows.ValidId("53010119800101011"), ChatFlows.ValidId("53010119800101012"), ChatFlows.ValidId("53010119800101013")];
        foreach (var id in ids) await FileAsync(chat, "wm_flood", id);
        Assert.Contains("YL-2026-000003", chat.LastTextTo("wm_flood"));

        // The fourth, guided or at once, late in the same Beijing day (already the next day in UTC terms is not until 00:00 +08).
        f.Time.SetUtcNow(new DateTimeOffset(2026, 10, 12, 23, 59, 59, TimeSpan.FromHours(8)));
        await Say(chat, "wm_flood", "申报");
        var refusal = chat.LastTextTo("wm_flood");
        Assert.Contains("每人每天最多申报3次", refusal);
        Assert.Contains("联系村干部", refusal);
        await Say(chat, "wm_flood", OneShot(ChatFlows.ValidId("53010119800101014"), "刘一", "13800009999"));
        Assert.Contains("每人每天最多申报3次", chat.LastTextTo("wm_flood"));
        using (var db = f.NewDb())
        {
            Assert.Equal(3, await db.Cases.CountAsync());
            Assert.Null(await db.Conversations.FirstOrDefaultAsync(s => s.Key.EndsWith(":wm_flood")));
        }
        // Someone else is not held back by this sender's cap.
        await FileAsync(chat, "wm_other", ChatFlows.ValidId("53010119800101015"));
        Assert.Contains("YL-2026-000004", chat.LastTextTo("wm_other"));

        f.Time.SetUtcNow(new DateTimeOffset(2026, 10, 13, 0, 0, 0, TimeSpan.FromHours(8)));
        await FileAsync(chat, "wm_flood", ChatFlows.ValidId("53010119800101014"));
        Assert.Contains("YL-2026-000005", chat.LastTextTo("wm_flood"));
    }

    [Fact]
    public async Task DailyCap_ShouldFollowTheSetting_WhenConfigured()
    {
        var f = new BotFactory();
        f.Settings["Conversations:MaxReportsPerDay"] = "1";
        (f, var chat) = Start(f);
        using var _ = f;
        await FileAsync(chat, "wm_one", ChatFlows.ValidId("53010119800101011"));
        await Say(chat, "wm_one", "申报");
        Assert.Contains("每人每天最多申报1次", chat.LastTextTo("wm_one"));
    }

    [Fact]
    public async Task SecondReport_ShouldJoinTheOpenCase_WhenTheHouseholdAlreadyHasOne()
    {
        var (f, chat) = Start();
        using var _ = f;
        await FileAsync(chat, "wm_zhang", TestRoster.IdZhang, "张大山", "13800000001", "户主住院，自付医疗费三万元");
        Assert.Contains("YL-2026-000001", chat.LastTextTo("wm_zhang"));
        var cardsBefore = chat.CardsTo("vc_a1").Count;

        // His wife, on her own WeChat, proves the same household: joined, told the number, no second case or cards.
        await FileAsync(chat, "wm_zhang_wife", TestRoster.IdZhang, "张大山", "13800000001", "孩子今年考上大学，学费凑不齐");
        var joined = chat.LastTextTo("wm_zhang_wife");
        Assert.Contains("已有正在办理的申报，编号 YL-2026-000001", joined);
        Assert.Contains("补充", joined);
        Assert.Equal(cardsBefore, chat.CardsTo("vc_a1").Count);
        Assert.Contains("孩子今年考上大学", chat.LastTextTo("vc_a1"));
        using (var db = f.NewDb())
        {
            var c = await db.Cases.Include(x => x.Audit).SingleAsync();
            Assert.Contains("户主住院，自付医疗费三万元", c.Description);
            Assert.Contains("再次申报（因病）】孩子今年考上大学，学费凑不齐", c.Description);
            var audit = Assert.Single(c.Audit, a => a.Action == SelfReports.Joined);
            Assert.Equal("wm_zhang_wife", audit.Actor);
        }
        // The joined report is hers to follow with 进度.
        await Say(chat, "wm_zhang_wife", "进度");
        Assert.Contains("YL-2026-000001", chat.LastTextTo("wm_zhang_wife"));

        // The same sender sending the same unlisted ID again joins their own case; a stranger with 张大山's ID and a wrong
        // name is not told of his case: a case of their own, unlinked.
        await FileAsync(chat, "wm_liu", TestRoster.IdUnknown);
        await FileAsync(chat, "wm_liu", TestRoster.IdUnknown, description: "又查出糖尿病，每月药费八百元");
        Assert.Contains("编号 YL-2026-000002", chat.LastTextTo("wm_liu"));
        await FileAsync(chat, "wm_probe", TestRoster.IdZhang, "王五", "13800000001");
        Assert.Contains("申报已收到！您的编号是 YL-2026-000003", chat.LastTextTo("wm_probe"));
        Assert.DoesNotContain("YL-2026-000001", string.Join("\n", chat.TextsTo("wm_probe")));
        using var check = f.NewDb();
        Assert.Equal(3, await check.Cases.CountAsync());
        Assert.Null((await check.Cases.SingleAsync(c => c.Number == "YL-2026-000003")).HouseholdId);
    }

    [Fact]
    public async Task InvalidClue_ShouldCloseTheCaseAndBeReopenedOnlyByTheCountyOffice_WhenTheIntakeCardSetsItAside()
    {
        var (f, chat) = Start();
        using var _ = f;
        await FileAsync(chat, "wm_liu", TestRoster.IdUnknown);
        var intake = chat.CardsTo("gm_a1").Single();
        Assert.Contains(intake.Buttons, b => b.Key == "invalid" && b.Text == "无效/重复线索");

        // The button asks for the reason in chat, like the other buttons that need words.
        await chat.ClickAsync("gm_a1", intake.TaskId, "invalid");
        Assert.Contains("请回复无效或重复的理由", chat.LastTextTo("gm_a1"));
        using (var db = f.NewDb()) Assert.True((await db.Cases.SingleAsync()).IsOpen);
        await chat.SendAsync("gm_a1", "电话核实，该户并无此事，系误报");
        Assert.Contains("已标记无效/重复", chat.LastTextTo("gm_a1"));
        using (var db = f.NewDb())
        {
            var c = await db.Cases.Include(x => x.Audit).Include(x => x.Stages).ThenInclude(s => s.Steps).SingleAsync();
            Assert.Equal((CaseState.Closed, CaseOutcome.Invalid), (c.State, c.Outcome));
            Assert.Contains(c.Audit, a => a.Action == "case.invalid" && a.Actor == "gm_a1" && a.Detail.Contains("系误报"));
            Assert.All(c.Stages.SelectMany(s => s.Steps), s => Assert.True(s.Cancelled));
        }
        // The farmer (not verified) hears there is a result, not the cadre's words.
        Assert.Contains("已有办理结果", chat.LastTextTo("wm_liu"));

        // A township officer may not reopen; the county office may, and intake starts again with a fresh card.
        await chat.SendAsync("to_a", "重开 YL-2026-000001 农户再次来电反映");
        Assert.Contains("由县级办公室办理", chat.LastTextTo("to_a"));
        using (var db = f.NewDb()) Assert.Equal(CaseState.Closed, (await db.Cases.SingleAsync()).State);
        await chat.SendAsync("co_1", "重开 YL-2026-000001");
        Assert.Contains("重开 编号 理由", chat.LastTextTo("co_1"));
        await chat.SendAsync("co_1", "重开 YL-2026-000001 农户再次来电反映，确有困难");
        Assert.Contains("已重开", chat.LastTextTo("co_1"));
        using (var db = f.NewDb())
        {
            var c = await db.Cases.Include(x => x.Audit).Include(x => x.Stages).SingleAsync();
            Assert.Equal((CaseState.Intake, CaseOutcome.None), (c.State, c.Outcome));
            Assert.Contains(c.Audit, a => a.Action == "case.reopened" && a.Actor == "co_1" && a.ActorRole == "CountyOffice");
            Assert.Single(c.Stages, s => s.Kind == StageKind.Intake && s.CompletedAt == null);
        }
        var again = chat.CardsTo("gm_a1");
        Assert.Equal(2, again.Count);
        await chat.ClickAsync("gm_a1", again[^1].TaskId, "accept");
        using var check = f.NewDb();
        Assert.Equal(CaseState.Comparison, (await check.Cases.SingleAsync()).State);
        // Reopening an open case, or one closed for another reason, is refused.
        await chat.SendAsync("co_1", "重开 YL-2026-000001 再试一次");
        Assert.Contains("正在办理，不需要重开", chat.LastTextTo("co_1"));
    }

    [Fact]
    public async Task InvalidClue_ShouldTellTheReason_OnlyWhenTheReporterProvedTheHousehold()
    {
        var (f, chat) = Start();
        using var _ = f;
        await FileAsync(chat, "wm_li", TestRoster.IdLi, "李小花", "13800000002");
        var intake = chat.CardsTo("gm_a1").Single();
        // Someone outside the village may not set it aside.
        await chat.ClickAsync("gm_b1", intake.TaskId, "invalid");
        Assert.Contains("不由您办理", chat.LastTextTo("gm_b1"));
        await chat.ClickAsync("gm_a1", intake.TaskId, "invalid");
        await chat.SendAsync("gm_a1", "同一件事上周已由村里上报");
        var told = chat.LastTextTo("wm_li");
        Assert.Contains("作为无效或重复线索办结", told);
        Assert.Contains("理由：同一件事上周已由村里上报", told);
        await Say(chat, "wm_li", "进度");
        Assert.Contains("无效或重复线索，已办结", chat.LastTextTo("wm_li"));
    }
}

/// <summary>无效/重复线索 against the real Quartz deadline sweep: the set-aside case is never nagged or escalated, its neighbour is.</summary>
[Collection(SchedulerRuns.Collection)]
public sealed class InvalidClueLadderTests
{
    [Fact]
    public async Task Sweep_ShouldNeverNagOrEscalate_WhenTheClueWasSetAsideAsInvalid()
    {
        var start = new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));
        using var f = new BotFactory(start);
        f.Settings["Scheduler:Enabled"] = "true";
        f.Settings["Scheduler:InstanceName"] = "invalid-clue-ladder-test";
        _ = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var chat = new ChatDriver(f);
        var heartbeat = f.Services.GetRequiredService<JobHeartbeat>();
        await heartbeat.WaitForAsync(DeadlineSweepJob.Key, start, SchedulerRuns.Wait);

        foreach (var (who, id) in new[] { ("wm_a", TestRoster.IdUnknown), ("wm_b", ChatFlows.ValidId("53010119800101011")) })
        {
            await chat.SendAsync(who, $"申报\n身份证号：{id}\n姓名：刘一\n联系电话：13800009999\n村：李树村\n困难类型：因病\n情况说明：家里有人住院，花费很大", InboundChannel.Kf, "kf1");
            await chat.SendAsync(who, "确认", InboundChannel.Kf, "kf1");
        }
        var first = chat.CardsTo("gm_a1").First(c => c.Title.Contains("YL-2026-000001"));
        await chat.ClickAsync("gm_a1", first.TaskId, "invalid");
        await chat.SendAsync("gm_a1", "与YL-2026-000002重复，同一件事");

        // Past the same-day intake deadline and two working days on: nags, level 1 and level 2 are all due.
        foreach (var at in new[] { start.AddHours(7), start.AddDays(1), start.AddDays(2).AddHours(1), start.AddDays(3) })
        {
            f.Time.SetUtcNow(at);
            await SweepAsync(f, heartbeat, at);
        }

        using var check = f.NewDb();
        var stepsOf = async (string number) => await check.LadderSteps.Where(s => s.Stage!.Case!.Number == number).Select(s => s.Id).ToListAsync();
        var keys = await check.Outbox.Where(o => o.DedupeKey != null && o.DedupeKey.StartsWith("ladder:")).Select(o => o.DedupeKey!).ToListAsync();
        bool Fired(List<long> steps) => keys.Any(k => steps.Any(id => k == $"ladder:{id}" || k.StartsWith($"ladder:{id}:", StringComparison.Ordinal)));
        Assert.True(Fired(await stepsOf("YL-2026-000002")), "the case left open is nagged and escalated");
        Assert.False(Fired(await stepsOf("YL-2026-000001")), "the clue set aside is not");
    }

    private static async Task SweepAsync(BotFactory f, JobHeartbeat heartbeat, DateTimeOffset at)
    {
        try { await heartbeat.WaitForAsync(DeadlineSweepJob.Key, at, TimeSpan.FromSeconds(3)); }
        catch (TimeoutException)
        {
            // As SchedulerRuns.RunAtAsync: Quartz may have armed its wait just before the clock jumped; fire the sweep by hand.
            var scheduler = await f.Services.GetRequiredService<Quartz.ISchedulerFactory>().LookupScheduler("invalid-clue-ladder-test")
                            ?? await f.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
            await scheduler.TriggerJob(new Quartz.JobKey(DeadlineSweepJob.Key));
            await heartbeat.WaitForAsync(DeadlineSweepJob.Key, at, SchedulerRuns.Wait);
        }
    }
}
