using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Bulletins;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Reports;
using RapidResponse.Scheduler;
using RapidResponse.Scheduler.Bulletins;
using static RapidResponse.Bot.Tests.Scheduler.Seed;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>The monthly bulletin of a seeded October 2026 against hand-computed figures, posted once by the real scheduler.</summary>
[Collection(SchedulerRuns.Collection)]
public sealed class BulletinTests
{
    private static DateTimeOffset End(int m, int d) => ChinaTime.EndOfDay(new DateOnly(2026, m, d));

    private static Case NewCase(string number, string village, Channel channel, DateTimeOffset created) =>
        new() { Number = number, VillageCode = village, Channel = channel, CreatedAt = created, RiskTypes = ["因学"], ProfileName = "yunlong", ProfileVersion = 1 };

    private static CaseStage Stage(StageKind kind, int seq, DateTimeOffset started, DateTimeOffset due, DateTimeOffset? completed) => new()
    {
        Kind = kind, Sequence = seq, StartedAt = started, DueAt = due, CompletedAt = completed, CompletedLate = completed > due,
    };

    private static StageAssignment Task(AssigneeKind kind, string id, DateTimeOffset? done = null) =>
        new() { AssigneeKind = kind, AssigneeId = id, TaskId = Guid.NewGuid().ToString("N"), CompletedAt = done, Result = done is null ? TaskResult.None : TaskResult.Done };

    /// <summary>
    /// October 2026. 诺邓镇: A (self-report 10-12; intake on time; comparison due 10-14, 教体 still open → overdue 12 working days),
    /// B (cadre visit 10-20; intake late). 功果桥镇: C (Sept case; assistance started on time 10-10; risk eliminated 10-25),
    /// D (Sept case; assistance started late 10-20), E (self-report 10-31 23:00, intake due 11-02: not overdue).
    /// September reports: 教体 on time, 民政 late (10-06), 住建 none. A's comparison was named in the August and September bulletins.
    /// </summary>
    private static async Task<long> SeedOctoberAsync(BotFactory h)
    {
        await RosterAsync(h);
        await using var scope = h.Scope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var a = NewCase("YL-2026-000101", V1, Channel.SelfReport, Bj(10, 12, 9));
        a.Stages.Add(Stage(StageKind.Intake, 1, Bj(10, 12, 9), End(10, 12), Bj(10, 12, 11)));
        var cmp = Stage(StageKind.Comparison, 2, Bj(10, 12, 11), End(10, 14), null);
        cmp.Assignments.AddRange([Task(AssigneeKind.Department, "JT"), Task(AssigneeKind.Department, "MZ", Bj(10, 13, 10))]);
        cmp.Steps.Add(new LadderStep { Kind = LadderStepKind.Overdue3, FireAt = Bj(10, 20, 8, 30), DoneAt = Bj(10, 20, 8, 30) });
        a.Stages.Add(cmp);
        var b = NewCase("YL-2026-000102", V1, Channel.CadreVisit, Bj(10, 20, 9));
        b.Stages.Add(Stage(StageKind.Intake, 1, Bj(10, 20, 9), End(10, 20), Bj(10, 21, 9)));
        var c = NewCase("YL-2026-000090", V2, Channel.Petition, Bj(9, 15, 9));
        c.Stages.Add(Stage(StageKind.AssistanceStart, 5, Bj(9, 30, 9), End(10, 30), Bj(10, 10, 9)));
        c.RiskEliminatedAt = Bj(10, 25, 9);
        var d = NewCase("YL-2026-000091", V2, Channel.Petition, Bj(9, 1, 9));
        d.Stages.Add(Stage(StageKind.AssistanceStart, 5, Bj(9, 10, 9), End(10, 10), Bj(10, 20, 9)));
        var e = NewCase("YL-2026-000103", V2, Channel.SelfReport, Bj(10, 31, 23));
        e.Stages.Add(Stage(StageKind.Intake, 1, Bj(10, 31, 23), End(11, 2), null));
        db.Cases.AddRange(a, b, c, d, e);
        db.DepartmentReports.AddRange(
            new DepartmentReport { DepartmentCode = "JT", Period = "2026-09", SubmittedAt = Bj(10, 3, 9), SubmittedBy = "jt1", Content = "自查问题0条" },
            new DepartmentReport { DepartmentCode = "MZ", Period = "2026-09", SubmittedAt = Bj(10, 6, 9), SubmittedBy = "mz1", Content = "自查问题1条" });
        await db.SaveChangesAsync();
        foreach (var p in new[] { "2026-08", "2026-09" })
            db.BulletinItems.Add(new BulletinItem { Bulletin = "monthly", Period = p, ItemKey = MonthlyBulletinQuery.StageKey(cmp.Id), Description = "A 信息比对", PostedAt = Bj(9, 1, 9) });
        db.BulletinItems.Add(new BulletinItem { Bulletin = "monthly", Period = "2026-09", ItemKey = MonthlyBulletinQuery.ReportKey("ZJ"), Description = "住建", PostedAt = Bj(10, 8, 9) });
        await db.SaveChangesAsync();
        return cmp.Id;
    }

    [Fact]
    public async Task MonthlyFigures_ShouldMatchHandComputedFigures_WhenOctoberIsSeeded()
    {
        await using var h = await SchedulerRuns.StartAsync(SchedulerRuns.NewDirectory(), Bj(11, 2, 8), new Dictionary<string, string?> { ["Scheduler:Enabled"] = "false" });
        var cmpId = await SeedOctoberAsync(h);
        await using var scope = h.Scope();
        var f = await scope.ServiceProvider.GetRequiredService<MonthlyBulletinQuery>().ComputeAsync(new MonthPeriod(2026, 10));

        Assert.Equal((3, 4, 2, "50%", 1), (f.NewCases, f.Completed, f.OnTime, f.Rate, f.OverdueTotal));
        var t1 = f.Townships.Single(t => t.Code == T1);
        Assert.Equal(["农户自主申报1", "干部走访发现1"], t1.NewByChannel.Select(c => c.Channel + c.Count));
        Assert.Equal(new StageRate("受理", 2, 1), Assert.Single(t1.Stages));
        var overdue = Assert.Single(t1.Overdue);
        // Due end of 10-14; working days 10-15 … 10-30 (weekends 17/18, 24/25 and Saturday 31 off) = 12.
        Assert.Equal(new OverdueItem($"stage:{cmpId}", "YL-2026-000101", "天池村", "信息比对", "县教体局", End(10, 14), 12), overdue);
        var t2 = f.Townships.Single(t => t.Code == T2);
        Assert.Equal((1, 2, 1, 1, 0, "50%"), (t2.NewCases, t2.AssistanceStarted, t2.AssistanceWithinMonth, t2.RiskEliminated, t2.OverdueTotal, t2.Rate));
        Assert.Equal(new MonthPeriod(2026, 9), f.ReportPeriod);
        Assert.Equal(["MZ", "ZJ"], f.MissingReports.Select(m => m.Code));
        Assert.Equal("YL-2026-000101", Assert.Single(f.Supervised).CaseNumber);
        var referral = Assert.Single(f.Referrals);
        Assert.Equal(($"stage:{cmpId}", 3), (referral.Key, referral.Times));

        var text = scope.ServiceProvider.GetRequiredService<BulletinViews>().Monthly(f);
        Assert.Contains("# 2026年10月", text);
        Assert.Contains("### 诺邓镇", text);
        Assert.Contains("YL-2026-000101 天池村 信息比对，期限10-14，逾期12个工作日，责任人：县教体局", text);
        Assert.Contains("县民政局、县住建局", text);
        Assert.Contains("已连续通报3次", text);
        Assert.Contains("启动帮扶：2户，其中纳入后1个月内启动1户", text);
    }

    /// <summary>云龙 三(一) 双月一通报: the yunlong profile posts September–October together on the first working day of November.</summary>
    [Fact]
    public async Task MonthlyBulletin_ShouldBePostedOnce_WhenSchedulerRunsOnFirstWorkingDayAndAfterRestart()
    {
        var dir = SchedulerRuns.NewDirectory();
        await using (var h = await SchedulerRuns.StartAsync(dir, Bj(11, 2, 9)))
        {
            await SeedOctoberAsync(h);
            // 11-01 is a Sunday: the first working day is 11-02; the bulletin goes at 09:10, not before.
            var early = await h.TriggerAtAsync(BulletinJob.Key, Bj(11, 2, 9, 9));
            Assert.Equal("not yet", early.Summary);
            Assert.DoesNotContain(await h.OutboxAsync(), o => o.DedupeKey!.StartsWith("bulletin:"));
            var run = await h.RunAtAsync(BulletinJob.Key, Bj(11, 2, 9, 10));
            Assert.Equal("posted bimonthly 2026-09~10", run.Summary);
        }
        await using var h2 = await SchedulerRuns.StartAsync(dir, Bj(11, 3, 9));
        var again = await h2.RunAtAsync(BulletinJob.Key, Bj(11, 3, 9, 10));
        Assert.Equal("nothing due", again.Summary);

        var posted = (await h2.OutboxAsync()).Where(o => o.DedupeKey!.StartsWith("bulletin:bimonthly:2026-09~10")).ToList();
        // The chart picture goes once, to the county-wide bulletin group only, after its text; township groups get text.
        var chart = Assert.Single(posted, o => o.MediaId is not null);
        Assert.Equal("chat-bulletin", chart.Recipient);
        var all = posted.Where(o => o.MediaId is null).ToList();
        Assert.True(all.Where(o => o.Recipient == "chat-bulletin").Max(o => o.Id) < chart.Id);
        Assert.All(all, r => Assert.True(Encoding.UTF8.GetByteCount(OutboundPayload.Deserialize<MarkdownBody>(r.Payload).Content) <= 2048));
        var rows = all.Where(r => r.Recipient == "chat-bulletin").ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal((OutboundChannel.AppChat, OutboundKind.Markdown), (r.Channel, r.Kind)));
        // 诺邓镇's work group gets its own section only (功果桥镇 has no work group bound).
        var township = Assert.Single(all, r => r.Recipient != "chat-bulletin");
        Assert.Equal((OutboundChannel.AppChat, "chat-t1", OutboundKind.Markdown), (township.Channel, township.Recipient, township.Kind));
        var text = OutboundPayload.Deserialize<MarkdownBody>(township.Payload).Content;
        Assert.Contains("# 2026年9—10月诺邓镇快速反应工作情况", text);
        Assert.Contains("本乡镇按时办结率**50%**（全县50%）", text);
        Assert.Contains("YL-2026-000101 天池村 信息比对，期限10-14，逾期12个工作日，责任人：县教体局", text);
        Assert.DoesNotContain("功果桥镇", text);
        Assert.DoesNotContain("YL-2026-000091", text);
        Assert.DoesNotContain("未按时报送", text);
        await using var scope = h2.Scope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        Assert.True(await db.KeyValues.AnyAsync(k => k.Key == "bulletin:bimonthly:2026-09~10"));
        // Two report months fall in the period: August's (due 09-05, nobody sent it) and September's.
        Assert.Equal(["report:JT", "report:MZ", "report:ZJ", "stage:"], (await db.BulletinItems.Where(i => i.Bulletin == "bimonthly" && i.Period == "2026-09~10").Select(i => i.ItemKey).ToListAsync())
            .Select(k => k.StartsWith("stage:") ? "stage:" : k).Order());
    }

    [Fact]
    public async Task BulletinCommand_ShouldPrintWithoutPosting_WhenPreviewAsked()
    {
        await using var h = await SchedulerRuns.StartAsync(SchedulerRuns.NewDirectory(), Bj(11, 2, 8), new Dictionary<string, string?> { ["Scheduler:Enabled"] = "false" });
        await SeedOctoberAsync(h);
        var o = new StringWriter();
        var e = new StringWriter();
        Assert.Equal(0, await BulletinCommand.RunAsync(h.Services, ["bulletin", "preview", "monthly", "2026-10"], o, e));
        Assert.Contains("逾期12个工作日", o.ToString());
        Assert.Contains("AppChat", o.ToString());
        Assert.Equal(0, await BulletinCommand.RunAsync(h.Services, ["bulletin", "preview", "quarterly", "2026-Q4"], o, e));
        // No automatic item yet (the scheduler is off here, and items are created only once past due): nothing counts.
        Assert.Contains("县教体局：100分", o.ToString());
        Assert.Equal(2, await BulletinCommand.RunAsync(h.Services, ["bulletin", "preview", "monthly", "10月"], o, e));
        Assert.Contains("monthly 2026-10", e.ToString());
        Assert.Empty(await h.OutboxAsync());
    }

    [Fact]
    public async Task ScoreEvents_ShouldFeedTheQuarterlyRanking_WhenPostedThroughTheAdminApi()
    {
        await using var h = await SchedulerRuns.StartAsync(SchedulerRuns.NewDirectory(), Bj(11, 2, 8), new Dictionary<string, string?> { ["Scheduler:Enabled"] = "false" });
        await SeedOctoberAsync(h);
        using var http = h.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", Infrastructure.BotFactory.AdminToken);

        var bad = await http.PostAsJsonAsync("/api/score-events", new { departmentCode = "XX", quarter = "2026-3", ruleCode = "Z9", reason = "", enteredBy = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        foreach (var field in new[] { "departmentCode", "quarter", "ruleCode", "reason", "enteredBy" }) Assert.Contains(field, problem);
        Assert.Contains("例如：2026-Q3", problem);

        var ok = await http.PostAsJsonAsync("/api/score-events", new { departmentCode = "ZJ", quarter = "2026-Q4", ruleCode = "b2c", reason = "危房改造经验被市里宣传推介", enteredBy = "孙办公室" });
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        await http.PostAsJsonAsync("/api/score-events", new { departmentCode = "MZ", quarter = "2026-Q4", ruleCode = "D1", reason = "暗访发现低保问题未主动报告", enteredBy = "孙办公室" });

        await using var scope = h.Scope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        // The actor is the admin token's name; who typed it is in the detail.
        Assert.Equal(2, await db.AuditEvents.CountAsync(a => a.Action == "score.entered" && a.Actor == Infrastructure.BotFactory.AdminTokenName && a.Detail.Contains("录入人：孙办公室")));
        var q = await scope.ServiceProvider.GetRequiredService<QuarterlyBulletinQuery>().ComputeAsync(new QuarterPeriod(2026, 4), showRankings: true);
        // 附件3 ①: 民政's −2 waits for its 佐证核实 (待核实) and does not count yet; 住建's bonus counts when entered.
        Assert.Equal(["1 县教体局 100", "2 县民政局 100"], q.Departments.CloseMonitoring.Select(d => $"{d.Rank} {d.Name} {d.Score}"));
        Assert.Equal(["1 县住建局 110"], q.Departments.Related.Select(d => $"{d.Rank} {d.Name} {d.Score}"));
        Assert.Equal(("MZ", -2), (Assert.Single(q.Pending).DepartmentCode, q.Pending[0].Points));
        // The department gets its card at once.
        Assert.Single(await db.Outbox.Where(o => o.Recipient == "mz1" && o.Kind == OutboundKind.Card).ToListAsync());
    }
}
