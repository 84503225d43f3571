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
        Assert.Null(await gm.ClickAsync(card.TaskId, "approve_deferral"));
        Assert.Contains("不由您审批", chat.LastTextTo("gm_a1"));
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
