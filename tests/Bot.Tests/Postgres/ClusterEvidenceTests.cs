using System.Net;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.Tests.WeCom;
using RapidResponse.Domain.Evidence;

namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>Evidence on a PostgreSQL deployment: <c>Media:Store=Database</c>, several instances, each download done once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterEvidenceTests
{
    [PostgresFact]
    public async Task Photo_ShouldBeFetchedOnceAndKeptInTheDatabase_WhenTwoInstancesWorkTheDownloads()
    {
        await using var c = await Cluster.StartAsync(2, new Dictionary<string, string?> { ["Media:Store"] = "Database" });
        await using (var db = c.NewDb()) TestRoster.Seed(db);
        var report = $"申报\n姓名：刘一\n身份证号：{TestRoster.IdUnknown}\n村：李树村\n困难类型：因病\n情况说明：丈夫住院，自付医疗费三万元\n联系电话：13800009999";
        await c.Nodes[0].PostCallbackAsync(ClusterNode.TextCallback("villager_liu", report, 8_300_001, c.Time.GetUtcNow()));
        await c.Nodes[1].PostCallbackAsync(ClusterNode.TextCallback("villager_liu", "确认", 8_300_002, c.Time.GetUtcNow()));
        await c.WaitInboxIdleAsync();
        var photo = Evidence.Media.Png(21);
        var mediaId = c.Simulator.AddInboundMedia(photo, "image/jpeg", "house.jpg");

        var r = await c.Nodes[1].PostCallbackAsync(
            $"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><FromUserName><![CDATA[villager_liu]]></FromUserName>"
            + $"<CreateTime>{c.Time.GetUtcNow().ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[image]]></MsgType>"
            + $"<PicUrl><![CDATA[https://wework.qpic.cn/x]]></PicUrl><MediaId><![CDATA[{mediaId}]]></MediaId><MsgId>8300003</MsgId><AgentID>1000002</AgentID></xml>");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await c.WaitInboxIdleAsync();
        await c.WaitUntilAsync(db => db.Evidence.AnyAsync(e => e.Status == EvidenceStatus.Stored), "photo stored");
        await c.WaitUntilAsync(async db => (await AnswersAsync(db)).Any(t => t.Contains("已收到照片")), "answered");

        await using var check = c.NewDb();
        var e = await check.Evidence.SingleAsync();
        Assert.Equal((await check.Cases.SingleAsync()).Id, e.CaseId);
        Assert.Equal(photo, (await check.MediaBlobs.SingleAsync(b => b.Sha256 == e.Sha256)).Bytes);
        Assert.Equal(1, c.Count("/cgi-bin/media/get"));
        Assert.Single(await AnswersAsync(check), t => t.Contains("已收到照片，已附在 YL-2026-000001 上"));
    }

    private static async Task<List<string>> AnswersAsync(RapidResponse.Domain.Persistence.BotDb db) =>
        [.. (await db.Outbox.AsNoTracking().Where(o => o.Recipient == "villager_liu" && o.Kind == RapidResponse.Domain.Messaging.OutboundKind.Text).ToListAsync())
            .Select(o => RapidResponse.Domain.Messaging.OutboundPayload.Deserialize<RapidResponse.Domain.Messaging.TextBody>(o.Payload).Content)];
}
