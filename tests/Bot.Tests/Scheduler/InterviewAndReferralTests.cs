using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Bulletins;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Scheduler;
using static RapidResponse.Bot.Tests.Scheduler.Seed;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>
/// 云龙 责任追溯 四(三) 通报约谈 and 四(四) 责任倒查 on the yunlong profile (双月一通报, 约谈 threshold 3), posted by the real scheduler:
/// May–June on 2026-07-01, July–August on 09-01, September–October on 11-02.
/// </summary>
[Collection(SchedulerRuns.Collection)]
public sealed class InterviewAndReferralTests
{
    /// <summary>An intake stage of 诺邓镇 (T1) or 功果桥镇 (T2) due <paramref name="due"/>, still open.</summary>
    private static async Task<long> OpenOverdueAsync(BotFactory h, string village, string number, DateTimeOffset due)
    {
        await using var scope = h.Scope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var c = new Case { Number = number, VillageCode = village, Channel = Channel.SelfReport, CreatedAt = due.AddDays(-1), RiskTypes = ["因学"], ProfileName = "yunlong", ProfileVersion = 1 };
        var s = new CaseStage { Kind = StageKind.Intake, Sequence = 1, StartedAt = due.AddDays(-1), DueAt = due };
        s.Assignments.Add(new StageAssignment { AssigneeKind = AssigneeKind.Staff, AssigneeId = village == V1 ? "gm1" : "gm2", TaskId = Guid.NewGuid().ToString("N") });
        c.Stages.Add(s);
        db.Cases.Add(c);
        await db.SaveChangesAsync();
        return s.Id;
    }

    private static async Task<string> BulletinTextAsync(BotFactory h, string period) =>
        string.Concat((await h.OutboxAsync()).Where(o => o.MediaId == null && o.Recipient == "chat-bulletin" && o.DedupeKey!.StartsWith($"bulletin:bimonthly:{period}:"))
            .Select(o => RapidResponse.Scheduler.Bulletins.BulletinSplitter.StripNumber(OutboundPayload.Deserialize<MarkdownBody>(o.Payload).Content)));

    [Fact]
    public async Task YL四三_Township_ShouldBeListedForItsDeputyThenItsPrincipalLeaders_WhenTwiceInARowWithManyUnrectifiedProblems()
    {
        await using var h = await SchedulerRuns.StartAsync(SchedulerRuns.NewDirectory(), Bj(9, 1, 8));
        await RosterAsync(h);
        // 诺邓镇: three intake stages overdue since July, never rectified. 功果桥镇: two — under the threshold of 3.
        for (var i = 1; i <= 3; i++) await OpenOverdueAsync(h, V1, $"YL-2026-00010{i}", ChinaTime.EndOfDay(new DateOnly(2026, 7, 10 + i)));
        for (var i = 4; i <= 5; i++) await OpenOverdueAsync(h, V2, $"YL-2026-00010{i}", ChinaTime.EndOfDay(new DateOnly(2026, 7, 10 + i)));
        // The county office's own step overdue in 功果桥镇 (县级确定) is not the township's problem: still under the threshold.
        await using (var scope = h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            var c = new Case { Number = "YL-2026-000107", VillageCode = V2, Channel = Channel.SelfReport, CreatedAt = Bj(7, 20, 9), RiskTypes = ["因学"], ProfileName = "yunlong", ProfileVersion = 1 };
            var s = new CaseStage { Kind = StageKind.Decision, Sequence = 1, StartedAt = Bj(7, 20, 9), DueAt = ChinaTime.EndOfDay(new DateOnly(2026, 7, 22)) };
            s.Assignments.Add(new StageAssignment { AssigneeKind = AssigneeKind.Staff, AssigneeId = "co1", TaskId = Guid.NewGuid().ToString("N") });
            c.Stages.Add(s);
            db.Cases.Add(c);
            await db.SaveChangesAsync();
        }
        // No department sends its monthly reports: two missed reports per 通报 each (under the threshold). 教体 also leaves a
        // comparison answer open since July: three problems → listed too.
        await using (var scope = h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            var c = new Case { Number = "YL-2026-000106", VillageCode = V2, Channel = Channel.SelfReport, CreatedAt = Bj(7, 20, 9), RiskTypes = ["因学"], ProfileName = "yunlong", ProfileVersion = 1 };
            var s = new CaseStage { Kind = StageKind.Comparison, Sequence = 2, StartedAt = Bj(7, 20, 9), DueAt = ChinaTime.EndOfDay(new DateOnly(2026, 7, 22)) };
            s.Assignments.Add(new StageAssignment { AssigneeKind = AssigneeKind.Department, AssigneeId = "JT", TaskId = Guid.NewGuid().ToString("N") });
            c.Stages.Add(s);
            db.Cases.Add(c);
            await db.SaveChangesAsync();
        }

        Assert.Equal("posted bimonthly 2026-07~08", (await h.RunAtAsync(BulletinJob.Key, Bj(9, 1, 9, 10))).Summary);
        var first = await BulletinTextAsync(h, "2026-07~08");
        Assert.Contains("## 四、约谈名单（问题较多且整改落实不到位）\n- 诺邓镇：本期问题3个，其中3个未整改。县委、县政府分管领导约谈诺邓镇分管领导", first);
        Assert.DoesNotContain("功果桥镇：本期问题", first);
        // The comparison is the department's work, not 功果桥镇's; two missed reports alone do not list 民政 or 住建.
        Assert.Contains("- 县教体局：本期问题3个，其中3个未整改。县委、县政府分管领导约谈县教体局分管领导", first);
        Assert.DoesNotContain("县民政局：本期问题", first);
        Assert.DoesNotContain("县住建局：本期问题", first);

        Assert.Equal("posted bimonthly 2026-09~10", (await h.RunAtAsync(BulletinJob.Key, Bj(11, 2, 9, 10))).Summary);
        var second = await BulletinTextAsync(h, "2026-09~10");
        Assert.Contains("- 诺邓镇：本期问题3个，其中3个未整改。县委、县政府主要领导约谈诺邓镇主要领导（连续两次问题较多且整改落实不到位）", second);
        Assert.Contains("- 县教体局：本期问题3个，其中3个未整改。县委、县政府主要领导约谈县教体局主要领导", second);

        await using (var scope = h.Scope())
        {
            var rows = await scope.ServiceProvider.GetRequiredService<BotDb>().InterviewListings.OrderBy(l => l.Id).ToListAsync();
            Assert.Equal(["2026-07~08 township 532929101 Deputy", "2026-07~08 department JT Deputy", "2026-09~10 township 532929101 Principal", "2026-09~10 department JT Principal"],
                rows.Select(l => $"{l.Period} {l.UnitKind} {l.UnitCode} {l.Level}"));
        }

        // The county office records that the interview took place; it is audited, and cannot be recorded twice.
        using var http = h.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", RapidResponse.Bot.Tests.Infrastructure.BotFactory.AdminToken);
        var list = await http.GetFromJsonAsync<List<RapidResponse.Bot.Admin.InterviewEndpoints.InterviewView>>("/api/interviews?period=2026-09~10");
        var listing = Assert.Single(list!, l => l.UnitKind == "township");
        Assert.Equal("principal", listing.Level);
        var bad = await http.PostAsJsonAsync($"/api/interviews/{listing.Id}/held", new { heldBy = "", recordedBy = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var ok = await http.PostAsJsonAsync($"/api/interviews/{listing.Id}/held", new { heldBy = "县长王某", note = "限11月底前全部整改", recordedBy = "孙办公室" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync($"/api/interviews/{listing.Id}/held", new { heldBy = "县长王某", recordedBy = "孙办公室" })).StatusCode);
        await using (var scope = h.Scope())
        {
            var audit = Assert.Single(await scope.ServiceProvider.GetRequiredService<BotDb>().AuditEvents.Where(a => a.Action == "interview.held").ToListAsync());
            Assert.Equal("孙办公室", audit.Actor);
            Assert.Contains("诺邓镇（主要领导）已约谈，约谈人：县长王某", audit.Detail);
        }
    }

    [Fact]
    public async Task YL四四_Referral_ShouldCome_AtTheThirdConsecutiveBimonthly通报_NotAtTheThirdMonth()
    {
        await using var h = await SchedulerRuns.StartAsync(SchedulerRuns.NewDirectory(), Bj(7, 1, 8));
        await RosterAsync(h);
        var stage = await OpenOverdueAsync(h, V1, "YL-2026-000201", ChinaTime.EndOfDay(new DateOnly(2026, 5, 20)));

        Assert.Equal("posted bimonthly 2026-05~06, quarterly 2026-Q2", (await h.RunAtAsync(BulletinJob.Key, Bj(7, 1, 9, 10))).Summary);
        // August is no 通报 month under 双月一通报: three months overdue, but named only once so far.
        Assert.Equal("nothing due", (await h.RunAtAsync(BulletinJob.Key, Bj(8, 3, 9, 10))).Summary);
        Assert.Equal("posted bimonthly 2026-07~08", (await h.RunAtAsync(BulletinJob.Key, Bj(9, 1, 9, 10))).Summary);
        Assert.Contains("## 五、连续3次通报仍未整改的问题（建议移交纪委监委）\n无。", await BulletinTextAsync(h, "2026-07~08"));
        Assert.Equal("posted bimonthly 2026-09~10", (await h.RunAtAsync(BulletinJob.Key, Bj(11, 2, 9, 10))).Summary);
        Assert.Contains("- YL-2026-000201 受理（李网格），已连续通报3次", await BulletinTextAsync(h, "2026-09~10"));

        await using var scope = h.Scope();
        var ledger = await scope.ServiceProvider.GetRequiredService<BotDb>().BulletinItems.Where(i => i.ItemKey == $"stage:{stage}").OrderBy(i => i.Id).ToListAsync();
        Assert.Equal(["bimonthly 2026-05~06", "bimonthly 2026-07~08", "bimonthly 2026-09~10"], ledger.Select(i => $"{i.Bulletin} {i.Period}"));
    }
}
