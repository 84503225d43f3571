using Xunit.Abstractions;
using RapidResponse.Bot.Sandbox;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Sandbox;

/// <summary>The scripted demo (`dotnet run --project src/Bot -- demo`) on a fresh database: its transcript tells the whole story.</summary>
public sealed class DemoCommandTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Demo_ShouldPrintReportThroughDecision_WhenRunOnFreshSandbox()
    {
        await using var host = await SandboxApp.StartAsync(SandboxApp.Monday);
        var output = new StringWriter();
        var code = await DemoCommand.RunAsync(host.Services, ["demo"], output);
        var t = output.ToString();
        log.WriteLine(t);
        Assert.True(code == 0, t);
        Assert.Contains("示范县沙盒演示 · 北京时间 2026年10月12日 星期一", t);
        Assert.Contains("王乙子（农户，微信客服）：申报", t);
        Assert.Contains("机器人 → 王乙子（农户，微信客服）：", t);
        Assert.Contains("YL-2026-000001", t);
        Assert.Contains("机器人 → 李树（网格监测员）：[任务卡片] 受理任务", t);
        Assert.Contains("李树（网格监测员） 点击卡片按钮「受理」→ 已受理", t);
        Assert.Contains("陈石（部门工作人员） 点击卡片按钮「比对无异常」", t);
        Assert.Contains("杨松（部门工作人员） 点击卡片按钮「比对无异常」", t);
        Assert.Contains("点击卡片按钮「已反馈到村」→ 已反馈到村", t);
        Assert.Contains("点击卡片按钮「核查符合」", t);
        // 云龙 预警机制 二(七)(八): appraisal, the village's and the township's five-day notices, the county's confirmation.
        Assert.Contains("村里入户核查符合条件。这还不是最后结果", t);
        Assert.Contains("点击卡片按钮「评议通过」→ 符合条件", t);
        Assert.Contains("时间快进：村级公示到 10月17日 23:59 期满", t);
        Assert.Contains("点击卡片按钮「公示期满无异议」→ 公示期满，已上报", t);
        Assert.Contains("时间快进：乡镇审定公示到", t);
        Assert.Contains("点击卡片按钮「审定通过，公示期满」→ 公示期满，已上报", t);
        Assert.Contains("马田（县级办公室工作人员） 点击卡片按钮「认定符合」→ 已认定符合", t);
        // By the county's confirmation (two five-day notices later) the 微信客服 farmer's 48-hour window has closed: the decision is
        // held for the farmer's next message and the village cadre is asked to tell the household; 进度 then delivers it.
        Assert.Contains("[任务卡片] 告知农户结果 · YL-2026-000001", t);
        Assert.True(t.IndexOf("已经核实认定：您家符合监测帮扶条件", StringComparison.Ordinal) > t.IndexOf("王乙子（农户，微信客服）：进度", StringComparison.Ordinal));
        Assert.Contains("正在启动帮扶", t);
        Assert.Contains("时间快进", t);
        // Privacy: the farmer typed a full ID number and phone; the transcript masks both.
        Assert.DoesNotContain("990101198904220012", t);
        Assert.DoesNotContain("13800000001", t);
        Assert.Contains("机器人 → 群「东岭镇乡镇工作群」", t);
        Assert.Contains("演示结束", t);
    }

    [Fact]
    public async Task Demo_ShouldRefuse_WhenNotInSandboxMode()
    {
        await using var app = new BotFactory(); // Sandbox:Enabled=false
        var output = new StringWriter();
        Assert.Equal(2, await DemoCommand.RunAsync(app.Services, ["demo"], output));
        Assert.Contains("只能在沙盒模式下运行", output.ToString());
    }
}
