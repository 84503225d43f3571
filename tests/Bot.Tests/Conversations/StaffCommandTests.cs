using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Cases;

namespace RapidResponse.Bot.Tests.Conversations;

public sealed class StaffCommandTests
{
    private static async Task<(BotFactory F, HttpClient Http, ChatDriver Chat, string Number)> WithReportedCase()
    {
        var f = new BotFactory().WithWeCom();
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var farmer = new WeComUser(f, http, "villager_liu");
        await farmer.SayAsync($"申报\n姓名：刘一\n身份证号：{TestRoster.IdUnknown}\n村：李树\n困难类型：因病\n情况说明：住院花费大\n联系电话：13800009999");
        await farmer.SayAsync("确认");
        return (f, http, new ChatDriver(f), "YL-2026-000001");
    }

    [Fact]
    public async Task MyTasksAndCase_ShouldListOpenWorkAndMaskIds_WhenCadreAsks()
    {
        var (f, http, chat, number) = await WithReportedCase();
        using var _ = f;
        var gm = new WeComUser(f, http, "gm_a1");
        await gm.SayAsync("我的任务");
        Assert.Contains($"{number} 受理", chat.LastTextTo("gm_a1"));
        Assert.Contains("还剩", chat.LastTextTo("gm_a1"));
        await gm.SayAsync($"案件 {number.ToLowerInvariant()}");
        var detail = chat.LastTextTo("gm_a1");
        Assert.Contains("1101**********7774", detail);
        Assert.DoesNotContain(TestRoster.IdUnknown, detail);
        await gm.SayAsync("案件 12345");
        Assert.Contains("我的任务", chat.LastTextTo("gm_a1"));
    }

    [Fact]
    public async Task Deferral_ShouldMoveDeadlineAfterApproval_WhenTownshipLeadApproves()
    {
        var (f, http, chat, number) = await WithReportedCase();
        using var _ = f;
        var gm = new WeComUser(f, http, "gm_a1");
        await gm.SayAsync($"延期 {number} 2 户主外出务工，周三返回");
        Assert.Contains("已送上一级审批", chat.LastTextTo("gm_a1"));
        var card = Assert.Single(chat.CardsTo("tl_a"));
        Assert.StartsWith("DEF-", card.TaskId);
        // A village cadre cannot approve their own request; the township lead can.
        // Refused clicks get no passive reply (the button stays live) and a message that says why.
        Assert.Null(await gm.ClickAsync(card.TaskId, "approve_deferral"));
        Assert.Contains("不能审批自己提出的延期申请", chat.LastTextTo("gm_a1"));
        Assert.Null(await new WeComUser(f, http, "gm_a2").ClickAsync(card.TaskId, "approve_deferral"));
        Assert.Contains("不由您审批", chat.LastTextTo("gm_a2"));
        Assert.Equal("已同意延期", await new WeComUser(f, http, "tl_a").ClickAsync(card.TaskId, "approve_deferral"));
        Assert.Contains("新期限", chat.LastTextTo("gm_a1"));
        using var db = f.NewDb();
        var stage = await db.Stages.SingleAsync(s => s.CompletedAt == null);
        // Intake due Monday 2026-10-12 end of day, +2 working days → Wednesday 10-14 end of day.
        Assert.Equal(new DateTimeOffset(2026, 10, 15, 0, 0, 0, TimeSpan.FromHours(8)).AddTicks(-1), stage.DueAt);
        Assert.Equal(1, stage.Deferrals);
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "stage.deferred" && a.Actor == "tl_a"));
    }

    [Fact]
    public async Task Deferral_ShouldGoToTheCountyOfficeAndRefuseSelfApproval_WhenTheTownshipLeadAsks()
    {
        var (f, http, chat, number) = await WithReportedCase();
        using var _ = f;
        // The township lead may act on the village's intake, and is the township's only lead: one level up is the county office.
        var lead = new WeComUser(f, http, "tl_a");
        await lead.SayAsync($"延期 {number} 2 村干部外出培训，周三返回");
        Assert.Contains("已送上一级审批", chat.LastTextTo("tl_a"));
        Assert.DoesNotContain(chat.CardsTo("tl_a"), c => c.TaskId.StartsWith("DEF-", StringComparison.Ordinal));
        var card = Assert.Single(chat.CardsTo("co_1"), c => c.TaskId.StartsWith("DEF-", StringComparison.Ordinal));
        Assert.Null(await lead.ClickAsync(card.TaskId, "approve_deferral"));
        Assert.Contains("不能审批自己提出的延期申请", chat.LastTextTo("tl_a"));
        using (var db = f.NewDb())
        {
            Assert.Equal(0, (await db.Stages.SingleAsync(s => s.CompletedAt == null)).Deferrals);
            Assert.Equal(["co_1"], (await db.DeferralRequests.SingleAsync()).ApproverIds);
        }
        Assert.Equal("已同意延期", await new WeComUser(f, http, "co_1").ClickAsync(card.TaskId, "approve_deferral"));
        using var after = f.NewDb();
        Assert.True(await after.AuditEvents.AnyAsync(a => a.Action == "stage.deferred" && a.Actor == "co_1"));
    }

    [Theory]
    [InlineData("我的任务", false)]
    [InlineData("帮助", false)]
    [InlineData("案件 YL-2026-000001", false)]
    [InlineData("预警", false)]
    [InlineData("my_tasks", true)]
    public async Task NotePrompt_ShouldRefuseCommandsAndMenuClicksAsTheReason_WhenNotQualifiesWaitsForWords(string said, bool menu)
    {
        var (f, http, chat, number) = await WithReportedCase();
        using var _ = f;
        await ToDecisionAsync(f, http, chat);
        var township = new WeComUser(f, http, "to_a");
        var decision = chat.CardsTo("to_a").Last(c => c.Title.StartsWith("研判认定", StringComparison.Ordinal)).TaskId;
        Assert.Null(await township.ClickAsync(decision, "not_qualifies")); // needs words: no passive reply yet
        Assert.Contains("不符合的理由", chat.LastTextTo("to_a"));

        if (menu) await township.MenuAsync(said); else await township.SayAsync(said);
        var answer = chat.LastTextTo("to_a");
        Assert.Contains("请直接写原因，例如", answer);
        Assert.Contains("不能当作不符合的理由", answer);
        using (var db = f.NewDb())
        {
            var c = await db.Cases.SingleAsync();
            Assert.Equal(CaseState.Decision, c.State);
            Assert.Null(c.DecisionReason);
        }
        // The prompt is still open: the next words are the reason.
        await township.SayAsync("家庭年人均纯收入1.2万元，高于监测范围");
        using var after = f.NewDb();
        var decided = await after.Cases.SingleAsync();
        Assert.Equal(CaseOutcome.NotQualified, decided.Outcome);
        Assert.Equal("家庭年人均纯收入1.2万元，高于监测范围", decided.DecisionReason);
    }

    [Fact]
    public async Task NotePrompt_ShouldRefuseACommandAsTheProblem_WhenADepartmentFoundOne()
    {
        var (f, http, chat, number) = await WithReportedCase();
        using var _ = f;
        Assert.Equal("已受理", await new WeComUser(f, http, "gm_a1").ClickAsync(chat.CardsTo("gm_a1").Last(c => c.Title.StartsWith("受理", StringComparison.Ordinal)).TaskId, "accept"));
        var yb = new WeComUser(f, http, "d_yb");
        await yb.ClickAsync(chat.CardsTo("d_yb").Last(c => c.Title.StartsWith("信息比对", StringComparison.Ordinal)).TaskId, "problem");
        await yb.SayAsync("我的任务");
        Assert.Contains("不能当作发现的问题", chat.LastTextTo("d_yb"));
        using var db = f.NewDb();
        Assert.DoesNotContain(await db.Assignments.ToListAsync(), a => a.Note == "我的任务");
    }

    /// <summary>Intake, comparison (all departments: no anomaly), forward, household check: the township's decision card is out.</summary>
    private static async Task ToDecisionAsync(BotFactory f, HttpClient http, ChatDriver chat)
    {
        string TaskFor(string user, string title) => chat.CardsTo(user).Last(c => c.Title.StartsWith(title, StringComparison.Ordinal)).TaskId;
        Assert.Equal("已受理", await new WeComUser(f, http, "gm_a1").ClickAsync(TaskFor("gm_a1", "受理"), "accept"));
        foreach (var d in new[] { "d_wj", "d_yb", "d_mz" })
            Assert.Equal("已比对无异常", await new WeComUser(f, http, d).ClickAsync(TaskFor(d, "信息比对"), "no_anomaly"));
        Assert.Equal("已反馈到村", await new WeComUser(f, http, "to_a").ClickAsync(TaskFor("to_a", "反馈到村"), "forward"));
        Assert.Equal("符合条件", await new WeComUser(f, http, "gm_a1").ClickAsync(TaskFor("gm_a1", "入户核查"), "qualifies"));
    }

    [Fact]
    public async Task Visit_ShouldNeedTheRightToAct_WhenTheCountyOfficeOnlyMayRead()
    {
        var (f, http, chat, number) = await WithReportedCase();
        using var _ = f;
        // The county office and the county leader read every case of the county, but do not visit households.
        await new WeComUser(f, http, "co_1").SayAsync($"案件 {number}");
        Assert.Contains(number, chat.LastTextTo("co_1"));
        await new WeComUser(f, http, "co_1").SayAsync($"走访 {number} 电话了解了一下");
        Assert.Contains("走访不由您记录", chat.LastTextTo("co_1"));
        await new WeComUser(f, http, "cl_1").SayAsync($"走访 {number} 看了看");
        Assert.Contains("只能查看", chat.LastTextTo("cl_1"));
        // Another village's grid monitor neither.
        await new WeComUser(f, http, "gm_b1").SayAsync($"走访 {number} 路过");
        Assert.DoesNotContain("走访已记录", chat.LastTextTo("gm_b1"));
        using (var db = f.NewDb()) Assert.Equal(0, await db.Visits.CountAsync());
        // The township's officer may.
        await new WeComUser(f, http, "to_a").SayAsync($"走访 {number} 已电话核实住院情况");
        Assert.Contains("走访已记录", chat.LastTextTo("to_a"));
    }

    [Fact]
    public async Task Visit_ShouldBeRecordedForVillageStaffAndRefusedForDepartments_WhenCaseIsOpen()
    {
        var (f, http, chat, number) = await WithReportedCase();
        using var _ = f;
        await new WeComUser(f, http, "gm_a1").SayAsync($"走访 {number} 已落实医疗救助");
        using var db = f.NewDb();
        Assert.Equal(1, await db.Visits.CountAsync());
        Assert.Contains("走访已记录", chat.LastTextTo("gm_a1"));
        await new WeComUser(f, http, "d_wj").SayAsync($"走访 {number} 看了看");
        Assert.DoesNotContain("走访已记录", chat.LastTextTo("d_wj"));
    }

    [Fact]
    public async Task MonthlyReport_ShouldBeRecordedForDepartments_AndRefusedForOthers()
    {
        var (f, http, chat, _) = await WithReportedCase();
        using var __ = f;
        await new WeComUser(f, http, "d_wj").SayAsync("月报 2026-09 自查发现问题2条，已整改1条");
        Assert.Contains("2026-09月报已收到", chat.LastTextTo("d_wj"));
        await new WeComUser(f, http, "d_wj").SayAsync("月报 2026-09 自查发现问题2条，已全部整改");
        Assert.Contains("已更新", chat.LastTextTo("d_wj"));
        await new WeComUser(f, http, "gm_a1").SayAsync("月报 2026-09 无");
        Assert.Contains("不是部门账号", chat.LastTextTo("gm_a1"));
        using var db = f.NewDb();
        Assert.Equal(1, await db.Set<RapidResponse.Domain.Reports.DepartmentReport>().CountAsync());
    }
}
