using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Inbox;
using RapidResponse.Bot.Tests.Outbox;
using RapidResponse.Bot.Tests.WeCom;
using RapidResponse.Bot.Kf;
using RapidResponse.Domain.Messaging;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.WeCom.Simulator;

namespace RapidResponse.Bot.Tests.Kf;

/// <summary>
/// 微信客服 pulling (§5.3) from the simulated WeCom: real customers write into the simulator, which pages kf/sync_msg as
/// WeCom does (a window of the corp's message stream per call, so pages may be short or empty with has_more = 1), and the
/// bot follows has_more and the cursor, stores each message once and moves the session to the smart assistant.
/// </summary>
public sealed class KfPullerTests : IAsyncLifetime
{
    private const string Kf = OutboxRows.OpenKfId;

    /// <summary>Another 微信客服 account of the corp: its customers' messages share WeCom's stream with <see cref="Kf"/>'s.</summary>
    private const string OtherKf = "wkAJ2GCAAAOtherAccount000000000";

    private BotFactory _host = null!;

    public async Task InitializeAsync()
    {
        _host = await OutboxRows.StartAsync();
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private WeComSimulator Sim => _host.WeCom!.Simulator;

    private KfPuller Puller => _host.Services.GetRequiredService<KfPuller>();

    /// <summary>The cursors the bot sent, oldest first (null: from the start).</summary>
    private List<string?> Cursors() => [.. _host.Bodies(OutboxRows.SyncPath).Select(b => b["cursor"]?.GetValue<string>())];

    /// <summary>The pages the simulated WeCom answered, oldest first.</summary>
    private List<JsonNode> Pages() => [.. _host.Answers(OutboxRows.SyncPath).Select(e => JsonNode.Parse(e.ResponseBody)!)];

    private async Task<List<InboxMessage>> InboxAsync()
    {
        await using var db = _host.NewDb();
        return await db.Inbox.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
    }

    [Fact]
    public async Task PullAsync_ShouldFollowHasMoreThroughAnEmptyPage_WhenNotificationArrives()
    {
        // WeCom reads two entries of its stream per call here: a customer's message and the human servicer's reply, then two
        // messages of another account (read, not returned: an empty page with has_more = 1), then a new customer's entry and
        // the first customer's next message.
        Sim.Settings.KfSyncPageSize = 2;
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(_host.Time.GetUtcNow().ToUnixTimeSeconds());
        var (m1, _) = Sim.CustomerWrites(Kf, "wmA", "我家房子漏雨");
        Sim.ServicerWrites(Kf, "wmA", "zhangsan", "人工回复");
        Sim.CustomerWrites(OtherKf, "wmC", "别的账号的消息");
        Sim.CustomerWrites(OtherKf, "wmC", "别的账号的第二条");
        var (enter, _) = Sim.CustomerEnters(Kf, "wmB", "qr", "daping");
        var (m2, token) = Sim.CustomerWrites(Kf, "wmA", "大坪村");

        var stored = await Puller.PullAsync(Kf, token, CancellationToken.None);

        Assert.Equal(3, stored);
        var pages = Pages();
        Assert.Equal([2, 0, 2], pages.Select(p => p["msg_list"]!.AsArray().Count));
        Assert.Equal([1, 1, 0], pages.Select(p => p["has_more"]!.GetValue<int>()));
        Assert.Equal([null, pages[0]["next_cursor"]!.GetValue<string>(), pages[1]["next_cursor"]!.GetValue<string>()], Cursors());
        Assert.All(_host.Bodies(OutboxRows.SyncPath), b =>
        {
            Assert.Equal(token, b["token"]!.GetValue<string>());
            Assert.Equal(Kf, b["open_kfid"]!.GetValue<string>());
        });
        var inbox = await InboxAsync();
        Assert.Equal([$"kfmsg|{m1}", $"kfmsg|{enter.MsgId}", $"kfmsg|{m2}"], inbox.Select(x => x.DedupeKey));
        var first = System.Text.Json.JsonSerializer.Deserialize<Inbound>(inbox[0].Payload, InboxWriter.Json)!;
        Assert.Equal(new Inbound(InboundChannel.Kf, "wmA", m1, InboundKind.Text, sentAt, Text: "我家房子漏雨", OpenKfId: Kf), first);
        Assert.Equal("Enter", inbox[1].Kind);
        Assert.Equal("wmB", inbox[1].SenderId);
        await using var db = _host.NewDb();
        Assert.Equal(pages[2]["next_cursor"]!.GetValue<string>(), (await db.KeyValues.FirstAsync(x => x.Key == "kf:cursor:" + Kf)).Value);
    }

    [Fact]
    public async Task PullAsync_ShouldStoreOnce_WhenTheSameMsgIdIsPulledAgain()
    {
        // WeCom's cursor never hands out a message twice in normal traffic, so the redelivery is scripted on top of the
        // simulator: the page after the first pull's cursor repeats m1 (as a platform retry or a restored cursor would).
        var pages = new Dictionary<string, object>
        {
            [""] = Page("c1", 0, Text("m1", "wmA", "第一次")),
            ["c1"] = Page("c2", 0, Text("m1", "wmA", "第一次"), Text("m3", "wmA", "新消息")),
        };
        _host.WeCom!.Fault(OutboxRows.SyncPath, body => pages.GetValueOrDefault(JsonNode.Parse(body)!["cursor"]?.GetValue<string>() ?? ""));
        // The customer really writes (so WeCom opens the reply window and issues the callback Tokens); the pages are scripted.
        var (_, t1) = Sim.CustomerWrites(Kf, "wmA", "第一次");
        var (_, t2) = Sim.CustomerWrites(Kf, "wmA", "新消息");

        await Puller.PullAsync(Kf, t1, CancellationToken.None);
        var second = await Puller.PullAsync(Kf, t2, CancellationToken.None);

        Assert.Equal(1, second);
        Assert.Equal(["kfmsg|m1", "kfmsg|m3"], (await InboxAsync()).Select(x => x.DedupeKey));
    }

    private static object Page(string next, int hasMore, params object[] msgs) => new { errcode = 0, errmsg = "ok", next_cursor = next, has_more = hasMore, msg_list = msgs };

    private static object Text(string msgId, string user, string content) =>
        new { msgid = msgId, open_kfid = Kf, external_userid = user, send_time = 1791766800, origin = 3, msgtype = "text", text = new { content } };

    [Fact]
    public async Task PullAsync_ShouldMoveSessionToSmartAssistantOnce_WhenOneUserSendsSeveralMessages()
    {
        Sim.Settings.KfSyncPageSize = 2;
        Sim.CustomerWrites(Kf, "wmA", "一");
        Sim.CustomerWrites(Kf, "wmA", "二");
        var (_, token) = Sim.CustomerWrites(Kf, "wmA", "三");

        await Puller.PullAsync(Kf, token, CancellationToken.None);

        Assert.Equal(2, Pages().Count); // three messages on two pages
        var trans = Assert.Single(_host.Bodies("/cgi-bin/kf/service_state/trans"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"open_kfid":"{{Kf}}","external_userid":"wmA","service_state":1}"""), trans));
        Assert.Single(_host.Requests("/cgi-bin/kf/service_state/get"));
        Assert.Equal(1, Sim.KfStateOf(Kf, "wmA"));
    }

    [Fact]
    public async Task Puller_ShouldResumeFromSavedCursor_WhenHostRestarts()
    {
        Sim.Settings.KfSyncPageSize = 1;
        var (m1, _) = Sim.CustomerWrites(Kf, "wmA", "重启前");
        var (m2, t1) = Sim.CustomerWrites(Kf, "wmA", "重启前第二条");
        await Puller.PullAsync(Kf, t1, CancellationToken.None);
        var before = Pages();
        Assert.Equal([null, before[0]["next_cursor"]!.GetValue<string>()], Cursors());
        var saved = before[^1]["next_cursor"]!.GetValue<string>();

        _host = _host.Restart();
        _host.StartServer();
        var (m3, t2) = Sim.CustomerWrites(Kf, "wmA", "重启后");
        Puller.Enqueue(Kf, t2);

        await _host.WaitUntilAsync(async db => await db.Inbox.CountAsync() == 3, "message after restart stored");
        // Start-up catch-up (no token) and the notification's pull both continue from the saved cursor; nothing is re-read
        // from the start (whichever of them found the new message, the other read from the cursor after it).
        var after = Cursors().Skip(2).ToList();
        var last = Pages()[^1]["next_cursor"]!.GetValue<string>();
        Assert.Equal(saved, after[0]);
        Assert.All(after, c => Assert.True(c == saved || c == last, $"cursor {c}"));
        Assert.Equal([$"kfmsg|{m1}", $"kfmsg|{m2}", $"kfmsg|{m3}"], (await InboxAsync()).Select(x => x.DedupeKey));
    }

    [Fact]
    public async Task KfCallback_ShouldTriggerAPullWithTheCallbackToken_WhenNotificationIsPostedToWeComKf()
    {
        var (m1, token) = Sim.CustomerWrites(Kf, "wmA", "经回调拉取");
        var plaintext = $"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><CreateTime>1791766800</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                        + $"<Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[{token}]]></Token><OpenKfId><![CDATA[{Kf}]]></OpenKfId></xml>";
        var (query, body) = Callbacks.SignedPost(Callbacks.KfCrypto(), plaintext);

        var response = await _host.Http.PostAsync("/wecom/kf" + query, new StringContent(body, System.Text.Encoding.UTF8, "text/xml"));

        Assert.True(response.IsSuccessStatusCode);
        await _host.WaitUntilAsync(async db => await db.Inbox.AnyAsync(x => x.DedupeKey == $"kfmsg|{m1}"), "pulled message stored");
        Assert.Equal(token, _host.Bodies(OutboxRows.SyncPath).Single()["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dispatch_ShouldHoldTheSixthReplyUntilTheUserWritesAgain_WhenFiveRepliesWereSent()
    {
        // The customer writes to the simulated WeCom (which then allows five replies) and the bot pulls it from there.
        var (_, t1) = _host.WeCom!.Simulator.CustomerWrites(Kf, "wmA", "你好");
        await Puller.PullAsync(Kf, t1, CancellationToken.None);
        var rows = Enumerable.Range(1, 6).Select(i => { var r = OutboxRows.Text("wmA", $"回复{i}", OutboundChannel.Kf); r.OpenKfId = Kf; return r; }).ToArray();
        await _host.SeedAsync(rows);

        await _host.WaitUntilAsync(async db => await db.Outbox.CountAsync(x => x.Status == OutboxStatus.Sent) == 5, "five replies sent");
        await OutboxRows.SettleAsync();
        var held = await _host.RowAsync(rows[5].Id);
        Assert.Equal(OutboxStatus.Pending, held.Status);
        Assert.Equal(5, _host.Requests("/cgi-bin/kf/send_msg").Count);
        Assert.Equal(5, _host.WeCom.Simulator.DeliveredTo("wmA").Count); // WeCom's limit: five replies per customer message
        Assert.DoesNotContain(_host.WeCom.Simulator.DeliveredTo("wmA"), d => d.Json.Contains("回复6"));

        _host.Time.Advance(TimeSpan.FromMinutes(3));
        var (_, t2) = _host.WeCom.Simulator.CustomerWrites(Kf, "wmA", "还有问题");
        await Puller.PullAsync(Kf, t2, CancellationToken.None);

        await _host.WaitForStatusAsync(rows[5].Id, OutboxStatus.Sent);
        // The held sixth reply reached the customer after they wrote again (the bot may also answer what they wrote).
        Assert.Contains(_host.WeCom.Simulator.DeliveredTo("wmA"), d => d.Json.Contains("回复6"));
    }
}
