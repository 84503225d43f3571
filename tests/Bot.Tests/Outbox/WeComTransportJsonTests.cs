using System.Text.Json.Nodes;
using RapidResponse.Domain.Messaging;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Outbox;

/// <summary>The exact JSON WeCom receives for each outbox kind (protocol notes §4–5).</summary>
public sealed class WeComTransportJsonTests : IAsyncLifetime
{
    private BotFactory _host = null!;

    public async Task InitializeAsync() => _host = await OutboxRows.StartAsync();

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private async Task<JsonNode> SendAsync(OutboxMessage row, string path)
    {
        var id = (await _host.SeedAsync(row))[0].Id;
        await _host.WaitForStatusAsync(id, OutboxStatus.Sent);
        return Assert.Single(_host.Bodies(path));
    }

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual.ToJsonString()}");

    [Fact]
    public async Task SendAsync_ShouldPostAppText_WhenRowIsAppUserText()
    {
        var body = await SendAsync(OutboxRows.Text("zhangsan", "您好，已收到。"), "/cgi-bin/message/send");

        AssertJson("""
            {"touser":"zhangsan","msgtype":"text","agentid":1000002,"enable_duplicate_check":1,"duplicate_check_interval":1800,
             "text":{"content":"您好，已收到。"}}
            """, body);
    }

    [Fact]
    public async Task SendAsync_ShouldNotAskForDuplicateCheck_WhenRowAnswersWhatThePersonWrote()
    {
        // "我的任务" asked twice within 30 min gets the same text twice: WeCom's duplicate check would swallow the second.
        var row = OutboxRows.Text("zhangsan", "您目前没有待办任务。");
        row.Payload = OutboundPayload.Serialize(new TextBody("您目前没有待办任务。", Answer: true));
        var body = await SendAsync(row, "/cgi-bin/message/send");

        AssertJson("""
            {"touser":"zhangsan","msgtype":"text","agentid":1000002,"enable_duplicate_check":0,"duplicate_check_interval":1800,
             "text":{"content":"您目前没有待办任务。"}}
            """, body);
    }

    [Fact]
    public async Task SendAsync_ShouldPostAppMarkdownAndKeepMsgId_WhenRowIsAppUserMarkdown()
    {
        var row = new OutboxMessage { Channel = OutboundChannel.AppUser, Recipient = "lisi", Kind = OutboundKind.Markdown, Payload = OutboundPayload.Serialize(new MarkdownBody("**逾期** 1 件")) };

        var body = await SendAsync(row, "/cgi-bin/message/send");

        AssertJson("""
            {"touser":"lisi","msgtype":"markdown","agentid":1000002,"enable_duplicate_check":1,"duplicate_check_interval":1800,
             "markdown":{"content":"**逾期** 1 件"}}
            """, body);
        var answer = System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(_host.Answers("/cgi-bin/message/send")).ResponseBody)!;
        Assert.Equal(answer["msgid"]!.GetValue<string>(), (await _host.RowAsync(row.Id)).PlatformMessageId);
    }

    [Fact]
    public async Task SendAsync_ShouldPostButtonInteractionCard_WhenRowIsCard()
    {
        var card = new CardBody("task_42_20261012_ab", "入户核查任务 · YL-2026-000042", "因病支出骤增",
            [new CardField("村", "大坪村"), new CardField("户主", "张三")],
            [new CardButton("accept", "受理", 1), new CardButton("defer", "申请延期", 2)],
            "还剩2天", "距办理期限");
        var row = new OutboxMessage { Channel = OutboundChannel.AppUser, Recipient = "wangwu", Kind = OutboundKind.Card, Payload = OutboundPayload.Serialize(card) };

        var body = await SendAsync(row, "/cgi-bin/message/send");

        AssertJson("""
            {"touser":"wangwu","msgtype":"template_card","agentid":1000002,"enable_duplicate_check":1,"duplicate_check_interval":1800,
             "template_card":{
               "card_type":"button_interaction",
               "main_title":{"title":"入户核查任务 · YL-2026-000042"},
               "sub_title_text":"因病支出骤增",
               "horizontal_content_list":[{"keyname":"距办理期限","value":"还剩2天"},{"keyname":"村","value":"大坪村"},{"keyname":"户主","value":"张三"}],
               "button_list":[{"text":"受理","key":"accept","style":1},{"text":"申请延期","key":"defer","style":2}],
               "task_id":"task_42_20261012_ab"}}
            """, body);
    }

    [Fact]
    public async Task SendAsync_ShouldPostUpdateButton_WhenRowIsCardUpdate()
    {
        // The card first, to both holders: the response_code WeCom gives back for that send is what the update may use (once).
        var card = new CardBody("task_42_20261012_ab", "入户核查任务", null, [], [new CardButton("accept", "受理", 1)], null, null);
        var sent = (await _host.SeedAsync(new OutboxMessage { Channel = OutboundChannel.AppUser, Recipient = "lisi|wangwu", Kind = OutboundKind.Card, Payload = OutboundPayload.Serialize(card) }))[0];
        await _host.WaitForStatusAsync(sent.Id, OutboxStatus.Sent);
        var code = System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(_host.Answers("/cgi-bin/message/send")).ResponseBody)!["response_code"]!.GetValue<string>();
        var update = new CardUpdateBody("task_42_20261012_ab", "已受理（张三）", ["lisi", "wangwu"], code);
        var row = new OutboxMessage { Channel = OutboundChannel.AppUser, Recipient = "lisi|wangwu", Kind = OutboundKind.CardUpdate, Payload = OutboundPayload.Serialize(update) };

        var body = await SendAsync(row, "/cgi-bin/message/update_template_card");

        AssertJson("""
            {"userids":["lisi","wangwu"],"agentid":1000002,"response_code":"{{code}}","button":{"replace_name":"已受理（张三）"}}
            """.Replace("{{code}}", code), body);
        Assert.Null((await _host.RowAsync(row.Id)).LastError); // WeCom accepted the update
    }

    [Fact]
    public async Task SendAsync_ShouldPostMarkdownWithMention_WhenAppChatTextMentionsSomeone()
    {
        var body = await SendAsync(OutboxRows.Text("chatDaping01", "新案件待受理", OutboundChannel.AppChat, ["zhangsan"]), "/cgi-bin/appchat/send");

        AssertJson("""
            {"chatid":"chatDaping01","msgtype":"markdown","markdown":{"content":"新案件待受理\n<@zhangsan>"}}
            """, body);
    }

    [Fact]
    public async Task SendAsync_ShouldPostTextWithMentionedList_WhenWebhookTextMentionsSomeone()
    {
        var row = (await _host.SeedAsync(OutboxRows.Text("hook-key-1", "请及时处理", OutboundChannel.Webhook, ["zhangsan", "lisi"])))[0];
        await _host.WaitForStatusAsync(row.Id, OutboxStatus.Sent);

        var request = Assert.Single(_host.Requests("/cgi-bin/webhook/send"));
        AssertJson("""
            {"msgtype":"text","text":{"content":"请及时处理","mentioned_list":["zhangsan","lisi"]}}
            """, JsonNode.Parse(request.RequestMessage.Body!)!);
        Assert.Equal("hook-key-1", request.RequestMessage.Query!["key"].Single());
        Assert.False(request.RequestMessage.Query.ContainsKey("access_token"));
    }

    [Fact]
    public async Task SendAsync_ShouldPostKfText_WhenUserWroteWithin48Hours()
    {
        // The customer wrote (WeCom's reply window opens), and the bot has that message in its inbox.
        var (msgId, _) = _host.WeCom!.Simulator.CustomerWrites(OutboxRows.OpenKfId, "wmUser1", "我家的事");
        await using (var db = _host.NewDb())
        {
            db.Inbox.Add(new InboxMessage { Channel = InboundChannel.Kf, DedupeKey = "kfmsg|" + msgId, SenderId = "wmUser1", Kind = "Text", Payload = "{}", ReceivedAt = _host.Time.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        var row = OutboxRows.Text("wmUser1", "您好，已收到您的反映。", OutboundChannel.Kf);
        row.OpenKfId = OutboxRows.OpenKfId;
        await _host.SeedAsync(row);
        await _host.WaitForStatusAsync(row.Id, OutboxStatus.Sent);

        AssertJson($$$"""
            {"touser":"wmUser1","open_kfid":"{{{OutboxRows.OpenKfId}}}","msgid":"rrb-outbox-{{{row.Id}}}","msgtype":"text",
             "text":{"content":"您好，已收到您的反映。"}}
            """, Assert.Single(_host.Bodies("/cgi-bin/kf/send_msg")));
        Assert.Equal($"rrb-outbox-{row.Id}", (await _host.RowAsync(row.Id)).PlatformMessageId); // WeCom echoes the msgid it was given
    }
}
