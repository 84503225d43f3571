using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Inbox;
using RapidResponse.Bot.Tests.Outbox;
using RapidResponse.Bot.Tests.WeCom;
using RapidResponse.Bot.Kf;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Kf;

/// <summary>微信客服 pulling over WireMock (§5.3): pages, cursor, de-duplication, session state.</summary>
public sealed class KfPullerTests : IAsyncLifetime
{
    private const string Kf = OutboxTestHost.OpenKfId;
    private OutboxTestHost _host = null!;
    private readonly Dictionary<string, object> _pages = [];

    public async Task InitializeAsync()
    {
        _host = await OutboxTestHost.StartAsync(start: false);
        // sync_msg answers by cursor; an unknown cursor is an empty last page.
        _host.GivenCallback(OutboxTestHost.SyncPath, body =>
        {
            var cursor = JsonNode.Parse(body)!["cursor"]?.GetValue<string>() ?? "";
            return _pages.TryGetValue(cursor, out var page) ? page : new { errcode = 0, errmsg = "ok", next_cursor = cursor, has_more = 0, msg_list = Array.Empty<object>() };
        });
        _host.Given("/cgi-bin/kf/service_state/get", new { errcode = 0, errmsg = "ok", service_state = 0 });
        _host.Given("/cgi-bin/kf/service_state/trans", new { errcode = 0, errmsg = "ok" });
        await _host.StartAppAsync();
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private static object Page(string next, int hasMore, params object[] msgs) => new { errcode = 0, errmsg = "ok", next_cursor = next, has_more = hasMore, msg_list = msgs };

    private static object Text(string msgId, string user, string content, long time = 1791766800) =>
        new { msgid = msgId, open_kfid = Kf, external_userid = user, send_time = time, origin = 3, msgtype = "text", text = new { content } };

    private static object Enter(string msgId, string user) =>
        new { msgid = msgId, send_time = 1791766800, origin = 4, msgtype = "event", @event = new { event_type = "enter_session", open_kfid = Kf, external_userid = user, scene = "qr", scene_param = "daping" } };

    private static object Servicer(string msgId, string user) =>
        new { msgid = msgId, open_kfid = Kf, external_userid = user, send_time = 1791766800, origin = 5, servicer_userid = "zhangsan", msgtype = "text", text = new { content = "人工回复" } };

    private KfPuller Puller => _host.Services.GetRequiredService<KfPuller>();

    private List<string?> Cursors() => [.. _host.Bodies(OutboxTestHost.SyncPath).Select(b => b["cursor"]?.GetValue<string>())];

    private async Task<List<InboxMessage>> InboxAsync()
    {
        await using var db = _host.NewDb();
        return await db.Inbox.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
    }

    [Fact]
    public async Task PullAsync_ShouldFollowHasMoreThroughAnEmptyPage_WhenNotificationArrives()
    {
        _pages[""] = Page("c1", 1, Text("m1", "wmA", "我家房子漏雨"), Servicer("s1", "wmA"));
        _pages["c1"] = Page("c2", 1);
        _pages["c2"] = Page("c3", 0, Enter("e1", "wmB"), Text("m2", "wmA", "大坪村"));

        var stored = await Puller.PullAsync(Kf, "ENCApHxnGDNAVNY4", CancellationToken.None);

        Assert.Equal(3, stored);
        Assert.Equal([null, "c1", "c2"], Cursors());
        Assert.All(_host.Bodies(OutboxTestHost.SyncPath), b =>
        {
            Assert.Equal("ENCApHxnGDNAVNY4", b["token"]!.GetValue<string>());
            Assert.Equal(Kf, b["open_kfid"]!.GetValue<string>());
        });
        var inbox = await InboxAsync();
        Assert.Equal(["kfmsg|m1", "kfmsg|e1", "kfmsg|m2"], inbox.Select(x => x.DedupeKey));
        var first = System.Text.Json.JsonSerializer.Deserialize<Inbound>(inbox[0].Payload, InboxWriter.Json)!;
        Assert.Equal(new Inbound(InboundChannel.Kf, "wmA", "m1", InboundKind.Text, DateTimeOffset.FromUnixTimeSeconds(1791766800), Text: "我家房子漏雨", OpenKfId: Kf), first);
        Assert.Equal("Enter", inbox[1].Kind);
        Assert.Equal("wmB", inbox[1].SenderId);
        await using var db = _host.NewDb();
        Assert.Equal("c3", (await db.KeyValues.FirstAsync(x => x.Key == "kf:cursor:" + Kf)).Value);
    }

    [Fact]
    public async Task PullAsync_ShouldStoreOnce_WhenTheSameMsgIdIsPulledAgain()
    {
        _pages[""] = Page("c1", 0, Text("m1", "wmA", "第一次"));
        _pages["c1"] = Page("c2", 0, Text("m1", "wmA", "第一次"), Text("m3", "wmA", "新消息"));

        await Puller.PullAsync(Kf, "t1", CancellationToken.None);
        var second = await Puller.PullAsync(Kf, "t2", CancellationToken.None);

        Assert.Equal(1, second);
        Assert.Equal(["kfmsg|m1", "kfmsg|m3"], (await InboxAsync()).Select(x => x.DedupeKey));
    }

    [Fact]
    public async Task PullAsync_ShouldMoveSessionToSmartAssistantOnce_WhenOneUserSendsSeveralMessages()
    {
        _pages[""] = Page("c1", 1, Text("m1", "wmA", "一"), Text("m2", "wmA", "二"));
        _pages["c1"] = Page("c2", 0, Text("m3", "wmA", "三"));

        await Puller.PullAsync(Kf, "t1", CancellationToken.None);

        var trans = Assert.Single(_host.Bodies("/cgi-bin/kf/service_state/trans"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"open_kfid":"{{Kf}}","external_userid":"wmA","service_state":1}"""), trans));
        Assert.Single(_host.Requests("/cgi-bin/kf/service_state/get"));
    }

    [Fact]
    public async Task Puller_ShouldResumeFromSavedCursor_WhenHostRestarts()
    {
        _pages[""] = Page("c1", 1, Text("m1", "wmA", "重启前"));
        _pages["c1"] = Page("c2", 0);
        await Puller.PullAsync(Kf, "t1", CancellationToken.None);

        await _host.RestartAsync();
        _pages["c2"] = Page("c3", 0, Text("m2", "wmA", "重启后"));
        Puller.Enqueue(Kf, "t2");

        await _host.WaitUntilAsync(async db => await db.Inbox.CountAsync() == 2, "message after restart stored");
        // Start-up catch-up (no token) and the notification's pull both continue from the saved cursor; nothing is re-read from the start.
        Assert.Equal([null, "c1"], Cursors().Take(2));
        Assert.All(Cursors().Skip(2), c => Assert.True(c is "c2" or "c3", $"cursor {c}"));
        Assert.Equal("c2", Cursors()[2]);
        Assert.Equal(["kfmsg|m1", "kfmsg|m2"], (await InboxAsync()).Select(x => x.DedupeKey));
    }

    [Fact]
    public async Task KfCallback_ShouldTriggerAPullWithTheCallbackToken_WhenNotificationIsPostedToWeComKf()
    {
        _pages[""] = Page("c1", 0, Text("m1", "wmA", "经回调拉取"));
        var plaintext = $"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><CreateTime>1791766800</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                        + $"<Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[CBTOKEN1]]></Token><OpenKfId><![CDATA[{Kf}]]></OpenKfId></xml>";
        var (query, body) = CallbackTestHost.SignedPost(CallbackTestHost.KfCrypto(), plaintext);

        var response = await _host.Http.PostAsync("/wecom/kf" + query, new StringContent(body, System.Text.Encoding.UTF8, "text/xml"));

        Assert.True(response.IsSuccessStatusCode);
        await _host.WaitUntilAsync(async db => await db.Inbox.AnyAsync(x => x.DedupeKey == "kfmsg|m1"), "pulled message stored");
        Assert.Equal("CBTOKEN1", _host.Bodies(OutboxTestHost.SyncPath).Single()["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dispatch_ShouldHoldTheSixthReplyUntilTheUserWritesAgain_WhenFiveRepliesWereSent()
    {
        _host.Given("/cgi-bin/kf/send_msg", new { errcode = 0, errmsg = "ok" });
        _pages[""] = Page("c1", 0, Text("m1", "wmA", "你好", _host.Time.GetUtcNow().ToUnixTimeSeconds()));
        await Puller.PullAsync(Kf, "t1", CancellationToken.None);
        var rows = Enumerable.Range(1, 6).Select(i => { var r = OutboxTestHost.Text("wmA", $"回复{i}", OutboundChannel.Kf); r.OpenKfId = Kf; return r; }).ToArray();
        await _host.SeedAsync(rows);

        await _host.WaitUntilAsync(async db => await db.Outbox.CountAsync(x => x.Status == OutboxStatus.Sent) == 5, "five replies sent");
        await OutboxTestHost.SettleAsync();
        var held = await _host.RowAsync(rows[5].Id);
        Assert.Equal(OutboxStatus.Pending, held.Status);
        Assert.Equal(5, _host.Requests("/cgi-bin/kf/send_msg").Count);

        _host.Time.Advance(TimeSpan.FromMinutes(3));
        _pages["c1"] = Page("c2", 0, Text("m2", "wmA", "还有问题", _host.Time.GetUtcNow().ToUnixTimeSeconds()));
        await Puller.PullAsync(Kf, "t2", CancellationToken.None);

        await _host.WaitForStatusAsync(rows[5].Id, OutboxStatus.Sent);
        Assert.Equal(6, _host.Requests("/cgi-bin/kf/send_msg").Count);
    }
}
