using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Inbox;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.Tests.WeCom;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>
/// A card click received by one instance and processed by another (wecom-protocol notes §12): the receiving instance has
/// no answer within WeCom's 5 s, so no passive reply; every holder's card — the clicker's too — still ends final through
/// update_template_card from whichever instance works the outbox, against the rule-keeping fake WeCom.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterCardTests
{
    private static long _msgId = 8_700_000;

    [PostgresFact]
    public async Task Click_ShouldEndEveryHoldersCardFinal_WhenReceivedByOneInstanceAndProcessedByAnother()
    {
        await using var c = await Cluster.StartAsync(2);
        await using (var db = c.NewDb())
        {
            TestRoster.Seed(db);
            db.Staff.Add(new RapidResponse.Domain.Roster.Staff { UserId = "d_wj2", Name = "二号卫健", Role = RapidResponse.Domain.Roster.StaffRole.DepartmentOfficer, RegionCode = TestRoster.County, DepartmentCode = "WJ" });
            await db.SaveChangesAsync();
        }
        var now = c.Time.GetUtcNow();
        var sim = c.Simulator;
        async Task Post(ClusterNode node, string xml)
        {
            Assert.Equal(HttpStatusCode.OK, (await node.PostCallbackAsync(xml)).StatusCode);
            await c.WaitInboxIdleAsync();
            await c.WaitUntilAsync(async db => !await db.Outbox.AnyAsync(o => o.Status == OutboxStatus.Pending || o.Status == OutboxStatus.Sending), "outbox drained");
        }
        string Click(string from, string taskId, string key) =>
            $"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><FromUserName><![CDATA[{from}]]></FromUserName>"
            + $"<CreateTime>{now.ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            + $"<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[{key}]]></EventKey><TaskId><![CDATA[{taskId}]]></TaskId>"
            + $"<CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[{sim.Click(from, taskId, key)!.ResponseCode}]]></ResponseCode><AgentID>1000002</AgentID></xml>";
        async Task<string> OpenTask(StageKind kind, string assignee)
        {
            await using var db = c.NewDb();
            return await db.Assignments.Where(a => a.CompletedAt == null && a.Stage!.Kind == kind && a.AssigneeId == assignee).Select(a => a.TaskId).SingleAsync();
        }

        var farmer = c.Nodes[0];
        await Post(farmer, ClusterNode.TextCallback("villager_liu", $"申报\n姓名：刘一\n身份证号：{TestRoster.IdUnknown}\n村：李树村\n困难类型：因病\n情况说明：住院花费大\n联系电话：13800009999", Interlocked.Increment(ref _msgId), now));
        await Post(farmer, ClusterNode.TextCallback("villager_liu", "确认", Interlocked.Increment(ref _msgId), now));
        await Post(farmer, Click("gm_a1", await OpenTask(StageKind.Intake, "gm_a1"), "accept"));
        var task = await OpenTask(StageKind.Comparison, "WJ");
        Assert.Equal(["d_wj", "d_wj2"], sim.HoldersOf(task));

        // Node 2 only receives: its inbox processor is stopped, so node 1 works the click.
        var receiver = c.Nodes[1];
        await receiver.Services.GetRequiredService<InboxProcessor>().StopAsync(CancellationToken.None);
        var answer = await receiver.PostCallbackAsync(Click("d_wj2", task, "no_anomaly"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("", await answer.Content.ReadAsStringAsync()); // no passive reply: the answer was not there in time
        await c.WaitInboxIdleAsync();
        await c.WaitUntilAsync(async db => !await db.Outbox.AnyAsync(o => o.Status == OutboxStatus.Pending || o.Status == OutboxStatus.Sending), "outbox drained");

        foreach (var holder in new[] { "d_wj", "d_wj2" })
            Assert.Equal("已比对无异常（二号卫健）", sim.CardOf(holder, task)!.ReplaceName);
        Assert.DoesNotContain(sim.Exchanges, e => e.Refused);
    }
}
