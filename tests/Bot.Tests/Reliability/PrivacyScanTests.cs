using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Tests.Sandbox;
using RapidResponse.Bot.Tests.WeCom;
using RapidResponse.Domain.Persistence;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Reliability;

/// <summary>
/// DESIGN §6: full ID and phone numbers never appear in a group chat, a log line or a bulletin. A whole story — report,
/// intake, overdue escalation, monthly bulletin — is played in the sandbox and everything sent and logged is scanned.
/// </summary>
public sealed partial class PrivacyScanTests
{
    private const string FarmerId = "990101198904220012";
    private const string FarmerPhone = "13800000001";

    [GeneratedRegex(@"(?<![\d])\d{17}[\dXx](?![\d])")] private static partial Regex FullId();
    [GeneratedRegex(@"(?<![\d])1[3-9]\d{9}(?![\d])")] private static partial Regex FullMobile();

    [Fact]
    public async Task EverythingSentAndLogged_ShouldCarryNoFullIdOrPhone_WhenAFarmerStoryRunsToEscalationAndBulletin()
    {
        await using var host = await SandboxApp.StartAsync(SandboxApp.Monday, configure: f => f.CaptureLogs());
        var logs = host.Logs!;
        await host.PostAsync("/sandbox/send", new { from = "wm_demo_farmer_1", text = $"申报\n姓名：王乙子\n身份证号：{FarmerId}\n村：桃园村\n困难类型：因病\n情况说明：丈夫住院，电话{FarmerPhone}，自付医疗费三万元\n联系电话：{FarmerPhone}" });
        await host.PostAsync("/sandbox/send", new { from = "wm_demo_farmer_1", text = "确认" });
        await host.PostAsync("/sandbox/send", new { from = "gm_lishu", text = "我的任务" });
        await host.PostAsync("/sandbox/clock", new { advance = "P7D" });
        await host.PostAsync("/sandbox/clock", new { now = "2026-11-02T09:30:00+08:00" });

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        // Wait for the escalation and the September–October 通报 (posted 11-02) to be delivered to the mailbox; the quarterly
        // bulletin posted at start-up also says 通报, so wait for the 通报 that lists overdue work.
        for (var i = 0; i < 200 && !(await db.SandboxMailbox.AnyAsync(m => m.WeComJson.Contains("逾期提醒"))
                 && await db.SandboxMailbox.AnyAsync(m => m.WeComJson.Contains("快速反应工作通报"))); i++) await Task.Delay(100);
        var sent = await db.SandboxMailbox.AsNoTracking().ToListAsync();
        var outbox = await db.Outbox.AsNoTracking().ToListAsync();

        Assert.Contains(sent, m => m.WeComJson.Contains("逾期提醒"));
        Assert.Contains(sent, m => m.WeComJson.Contains("快速反应工作通报"));
        var texts = sent.Select(m => $"mailbox to {m.To}: {m.WeComJson}")
            .Concat(outbox.Select(o => $"outbox to {o.Recipient}: {o.Payload}"))
            .Concat(logs.Entries.Select(e => $"log {e.Category}: {e.Message}"))
            .ToList();
        Assert.True(texts.Count > 5, $"only {texts.Count} texts scanned");
        var leaks = texts.Where(t => FullId().IsMatch(t) || FullMobile().IsMatch(t)).ToList();
        Assert.True(leaks.Count == 0, "full ID or phone number found in:\n" + string.Join("\n", leaks.Select(l => l.Length > 600 ? l[..600] : l)));
    }
}
