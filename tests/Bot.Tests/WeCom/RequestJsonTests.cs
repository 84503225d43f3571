using System.Text.Json.Nodes;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;

namespace RapidResponse.Bot.Tests.WeCom;

/// <summary>
/// The exact JSON each request of the app's WeCom client puts on the wire (compared as JSON trees, so property order does
/// not matter), sent to the rule-keeper: the request is what is checked, whatever WeCom answers to made-up codes and ids.
/// </summary>
public sealed class RequestJsonTests : IAsyncLifetime
{
    private readonly BotFactory _host = ApiClientApp.Start(f =>
    {
        var sim = f.WeCom!.Simulator;
        sim.AddChat("village3", "n", "a", "b");
        sim.AddRobot("KEY-1");
        sim.KfAccounts.Add("wkKf");
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private async Task<(string Body, string Query)> SendAndCaptureAsync<T>(WeComRequest<T> request, string path)
        where T : WeComResponse
    {
        try
        {
            await _host.Client().SendAsync(request);
        }
        catch (WeComApiException)
        {
            // refused by the rule-keeper (e.g. an unknown response_code): the request was still put on the wire
        }

        var entry = _host.WeComApi!.LogEntries.Last(e => e.RequestMessage.Path == path).RequestMessage;
        return (entry.Body ?? string.Empty, entry.RawQuery ?? string.Empty);
    }

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}\nActual   {actual}");

    [Fact]
    public async Task SendText_ShouldPostTextWithAgentAndDuplicateCheck_WhenAgentIdIsLeftToConfiguration()
    {
        var (body, query) = await SendAndCaptureAsync(new SendTextRequest { ToUsers = ["zhangsan", "lisi"], ToParties = ["3"], Text = new("停水通知：\n明天8点") }, "/cgi-bin/message/send");

        AssertJson("""{"touser":"zhangsan|lisi","toparty":"3","msgtype":"text","agentid":1000002,"text":{"content":"停水通知：\n明天8点"},"enable_duplicate_check":1,"duplicate_check_interval":1800}""", body);
        Assert.Contains("停水通知", body); // raw UTF-8, not \u escapes: WeCom's limits count UTF-8 bytes
        Assert.Equal("?access_token=" + _host.IssuedTokens().Last(), query);
    }

    [Fact]
    public async Task SendMarkdown_ShouldPostMarkdown_WhenSentToAll()
    {
        var (body, _) = await SendAndCaptureAsync(new SendMarkdownRequest { ToUsers = ["@all"], Markdown = new("**注意**") }, "/cgi-bin/message/send");

        AssertJson("""{"touser":"@all","msgtype":"markdown","agentid":1000002,"markdown":{"content":"**注意**"},"enable_duplicate_check":1,"duplicate_check_interval":1800}""", body);
    }

    [Fact]
    public async Task SendTemplateCard_ShouldPostButtonInteractionCard_WhenCardIsValid()
    {
        var card = TemplateCard.ButtonInteraction(
            "ack_20260105080000_7f3a",
            new CardMainTitle("停水通知", "三村，2026-01-05"),
            [new CardButton("确认", "ack_confirm", Style: 1), new CardButton("有疑问", "ack_question", Style: 2)])
            with
            {
                SubTitleText = "请确认已收到通知。",
                HorizontalContentList = [new HorizontalContent("户主", "张三")],
            };

        var (body, _) = await SendAndCaptureAsync(new SendTemplateCardRequest { ToUsers = ["zhangsan"], AgentId = 7, TemplateCard = card }, "/cgi-bin/message/send");

        AssertJson("""
            {"touser":"zhangsan","msgtype":"template_card","agentid":7,
             "template_card":{"card_type":"button_interaction","main_title":{"title":"停水通知","desc":"三村，2026-01-05"},
               "sub_title_text":"请确认已收到通知。","horizontal_content_list":[{"keyname":"户主","value":"张三"}],
               "button_list":[{"text":"确认","key":"ack_confirm","style":1},{"text":"有疑问","key":"ack_question","style":2}],
               "task_id":"ack_20260105080000_7f3a"},
             "enable_duplicate_check":1,"duplicate_check_interval":1800}
            """, body);
    }

    [Fact]
    public async Task UpdateTemplateCard_ShouldPostReplaceName_WhenGreyingOutButtons()
    {
        var (body, _) = await SendAndCaptureAsync(UpdateTemplateCardRequest.UpdateButton("RC1", "已处理", ["zhangsan"]), "/cgi-bin/message/update_template_card");

        AssertJson("""{"userids":["zhangsan"],"agentid":1000002,"response_code":"RC1","button":{"replace_name":"已处理"}}""", body);
    }

    [Fact]
    public async Task UpdateTemplateCard_ShouldPostFullCard_WhenReplacingTheCard()
    {
        var card = TemplateCard.ButtonInteraction("t1", new CardMainTitle("已受理"), [new CardButton("确认", "k")]) with { ReplaceText = "已确认" };

        var (body, _) = await SendAndCaptureAsync(UpdateTemplateCardRequest.ReplaceCard("RC2", card, ["u1"]) with { AtAll = 1 }, "/cgi-bin/message/update_template_card");

        AssertJson("""
            {"userids":["u1"],"atall":1,"agentid":1000002,"response_code":"RC2",
             "template_card":{"card_type":"button_interaction","main_title":{"title":"已受理"},"button_list":[{"text":"确认","key":"k"}],"replace_text":"已确认","task_id":"t1"}}
            """, body);
    }

    [Fact]
    public async Task Recall_ShouldPostMsgId_WhenRecalling()
    {
        var (body, _) = await SendAndCaptureAsync(new RecallMessageRequest("m1"), "/cgi-bin/message/recall");

        AssertJson("""{"msgid":"m1"}""", body);
    }

    [Fact]
    public async Task AppChatCreate_ShouldPostMembersAndChatId_WhenCreatingAGroup()
    {
        var request = new AppChatCreateRequest { Name = "三村应急群", Owner = "zhangsan", UserList = ["zhangsan", "lisi"], ChatId = "village3" };

        var (body, _) = await SendAndCaptureAsync(request, "/cgi-bin/appchat/create");

        AssertJson("""{"name":"三村应急群","owner":"zhangsan","userlist":["zhangsan","lisi"],"chatid":"village3"}""", body);
    }

    [Fact]
    public async Task AppChatGet_ShouldPassChatIdInQuery_WhenReadingAGroup()
    {
        var response = await _host.Client().SendAsync(new AppChatGetRequest("village3"));

        var entry = _host.WeComApi!.LogEntries.Last(e => e.RequestMessage.Path == "/cgi-bin/appchat/get").RequestMessage;
        Assert.Equal("GET", entry.Method);
        Assert.Equal($"?access_token={_host.IssuedTokens().Last()}&chatid=village3", entry.RawQuery);
        Assert.Equal(["a", "b"], response.ChatInfo!.UserList);
    }

    [Fact]
    public async Task AppChatSend_ShouldPostMarkdownToChat_WhenSendingMarkdown()
    {
        var (body, _) = await SendAndCaptureAsync(AppChatSendRequest.ForMarkdown("village3", "# 通报"), "/cgi-bin/appchat/send");

        AssertJson("""{"chatid":"village3","msgtype":"markdown","markdown":{"content":"# 通报"}}""", body);
    }

    [Fact]
    public async Task WebhookSend_ShouldPutKeyInQueryAndMentionsInBody_WhenSendingText()
    {
        var fetches = _host.TokenFetches();
        var (body, query) = await SendAndCaptureAsync(
            WebhookSendRequest.ForText("KEY-1", "请及时处理", ["wangqing", "@all"], ["13800001111"]), "/cgi-bin/webhook/send");

        AssertJson("""{"msgtype":"text","text":{"content":"请及时处理","mentioned_list":["wangqing","@all"],"mentioned_mobile_list":["13800001111"]}}""", body);
        Assert.Equal("?key=KEY-1", query);
        Assert.Equal(fetches, _host.TokenFetches()); // a webhook needs no access token
    }

    [Fact]
    public async Task WebhookSend_ShouldPostMarkdown_WhenSendingMarkdown()
    {
        var (body, _) = await SendAndCaptureAsync(WebhookSendRequest.ForMarkdown("KEY-1", "<@zhangsan> 请查看"), "/cgi-bin/webhook/send");

        AssertJson("""{"msgtype":"markdown","markdown":{"content":"<@zhangsan> 请查看"}}""", body);
    }

    [Fact]
    public async Task KfSyncMsg_ShouldPostCursorAndToken_WhenPulling()
    {
        var request = new KfSyncMsgRequest { Cursor = "c1", Token = "ENCApH", Limit = 1000, OpenKfId = "wkKf" };

        var (body, query) = await SendAndCaptureAsync(request, "/cgi-bin/kf/sync_msg");

        AssertJson("""{"cursor":"c1","token":"ENCApH","limit":1000,"open_kfid":"wkKf"}""", body);
        Assert.Equal("?access_token=" + _host.IssuedTokens("kf-secret").Last(), query);
    }

    [Fact]
    public async Task KfSyncMsg_ShouldExposeTypeSpecificPayload_WhenResponseHasMessages()
    {
        _host.WeCom!.Simulator.CustomerWrites("wkKf", "wmU", "hello");
        _host.WeCom.Simulator.CustomerWrites("wkKf", "wmU", "还有一条");

        var response = await _host.Client().SendAsync(new KfSyncMsgRequest { OpenKfId = "wkKf", Limit = 1 });

        var message = Assert.Single(response.MsgList);
        Assert.Equal(1, response.HasMore);
        Assert.Equal("hello", message.Payload!["text"].GetProperty("content").GetString());
    }

    [Fact]
    public async Task KfSendMsg_ShouldPostTextWithIdempotencyMsgId_WhenReplying()
    {
        var (body, _) = await SendAndCaptureAsync(
            new KfSendMsgRequest { ToUser = "wmUser", OpenKfId = "wkKf", MsgId = "reply_9f8e7d", Text = new("您好，已收到。") }, "/cgi-bin/kf/send_msg");

        AssertJson("""{"touser":"wmUser","open_kfid":"wkKf","msgid":"reply_9f8e7d","msgtype":"text","text":{"content":"您好，已收到。"}}""", body);
    }

    [Fact]
    public async Task KfServiceStateTrans_ShouldPostNumericState_WhenHandingOverToAServicer()
    {
        var request = new KfServiceStateTransRequest { OpenKfId = "wkKf", ExternalUserId = "wmUser", ServiceState = KfServiceState.HumanServicer, ServicerUserId = "zhangsan" };

        var (body, _) = await SendAndCaptureAsync(request, "/cgi-bin/kf/service_state/trans");

        AssertJson("""{"open_kfid":"wkKf","external_userid":"wmUser","service_state":3,"servicer_userid":"zhangsan"}""", body);
    }
}
