using System.Net;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.Tests.WeCom;

namespace RapidResponse.Bot.Tests.Reliability;

/// <summary>WeCom retries a callback it thinks was lost (§9.6): copies arriving together must act once.</summary>
public sealed class DuplicateDeliveryTests
{
    [Fact]
    public async Task Callbacks_ShouldEachHaveOneEffect_WhenFiftyDistinctMessagesAreEachDeliveredFourTimesConcurrently()
    {
        using var f = new BotFactory().WithWeCom();
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var plains = Enumerable.Range(0, 50).Select(i =>
            $"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><FromUserName><![CDATA[villager_{i}]]></FromUserName>"
            + $"<CreateTime>1790000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[进度]]></Content><MsgId>{5_000_000 + i}</MsgId></xml>").ToList();

        var sends = plains.SelectMany(p => Enumerable.Range(0, 4).Select(_ => p)).OrderBy(_ => Random.Shared.Next())
            .Select(p => new WeComUser(f, http, "x").PostAsync(p));
        var responses = await Task.WhenAll(sends);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await new ChatDriver(f).WaitIdleAsync();
        using var check = f.NewDb();
        Assert.Equal(50, await check.Inbox.CountAsync());
        var replies = await check.Outbox.AsNoTracking().GroupBy(o => o.Recipient).Select(g => new { g.Key, N = g.Count() }).ToListAsync();
        Assert.Equal(50, replies.Count);
        Assert.All(replies, r => Assert.Equal(1, r.N)); // one "进度" answer per message, not four
    }
}
