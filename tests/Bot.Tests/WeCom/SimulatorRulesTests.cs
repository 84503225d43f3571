using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Bot.WeCom.Simulator;

namespace RapidResponse.Bot.Tests.WeCom;

/// <summary>The rule-keeper itself, one table per rule: at the limit it accepts, one over it refuses as WeCom does.</summary>
public sealed class SimulatorRulesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8)));
    private readonly WeComSimulator _sim;
    private readonly string _app;
    private readonly string _kf;

    public SimulatorRulesTests()
    {
        _sim = new WeComSimulator(_time, new SimulatorSettings { CorpId = "wwcorp", AgentId = 1000002, AppSecret = "app", KfSecret = "kf", TokenLifetime = TimeSpan.FromDays(30) });
        foreach (var u in new[] { "a", "b", "c" }) _sim.SetMember(u);
        _sim.SetMember("off", MemberStatus.Inactive);
        _sim.SetMember("far", MemberStatus.OutOfRange);
        _sim.SetMember("nolic", MemberStatus.Unlicensed);
        _app = Token("app");
        _kf = Token("kf");
    }

    private string Token(string secret) => Json(_sim.Handle("GET", $"/cgi-bin/gettoken?corpid=wwcorp&corpsecret={secret}", null))["access_token"]!.GetValue<string>();

    private static JsonObject Json(SimResponse r) => JsonNode.Parse(r.Body)!.AsObject();

    private JsonObject Post(string path, object body, string? token = null) =>
        Json(_sim.Handle("POST", $"{path}?access_token={token ?? _app}", System.Text.Json.JsonSerializer.Serialize(body)));

    private static int Code(JsonObject o) => o["errcode"]!.GetValue<int>();

    private static object Card(string taskId, string to) => new
    {
        touser = to, msgtype = "template_card", agentid = 1000002,
        template_card = new { card_type = "button_interaction", main_title = new { title = "t" }, task_id = taskId, button_list = new[] { new { text = "ok", key = "ok" } } },
    };

    private static object Text(string to, string content) => new { touser = to, msgtype = "text", agentid = 1000002, text = new { content } };

    [Fact]
    public void TaskId_ShouldBeUsableOncePerApp()
    {
        Assert.Equal(0, Code(Post("/cgi-bin/message/send", Card("T1", "a|b"))));
        Assert.Equal(42014, Code(Post("/cgi-bin/message/send", Card("T1", "c"))));
        Assert.Equal(["a", "b"], _sim.HoldersOf("T1"));
    }

    [Fact]
    public void ResponseCode_ShouldBeConsumedOnce_BoundToItsTask_AndExpireAfter72Hours()
    {
        var send = Post("/cgi-bin/message/send", Card("T2", "a|b"));
        var code = send["response_code"]!.GetValue<string>();
        object Update(string c, params string[] users) => new { userids = users, agentid = 1000002, response_code = c, button = new { replace_name = "done" } };
        Assert.Equal(0, Code(Post("/cgi-bin/message/update_template_card", Update(code, "a", "b"))));
        Assert.Equal("done", _sim.CardOf("b", "T2")!.ReplaceName);
        Assert.Equal(60140, Code(Post("/cgi-bin/message/update_template_card", Update(code, "a")))); // used
        Assert.Equal(60140, Code(Post("/cgi-bin/message/update_template_card", Update("made-up", "a")))); // unknown

        Post("/cgi-bin/message/send", Card("T3", "a"));
        var click = _sim.Click("a", "T3", "ok")!;
        _time.Advance(TimeSpan.FromHours(72));
        Assert.Equal(0, Code(Post("/cgi-bin/message/update_template_card", Update(click.ResponseCode, "a")))); // at 72 h
        Post("/cgi-bin/message/send", Card("T4", "a"));
        var late = _sim.Click("a", "T4", "ok")!;
        _time.Advance(TimeSpan.FromHours(72) + TimeSpan.FromSeconds(1));
        Assert.Equal(60140, Code(Post("/cgi-bin/message/update_template_card", Update(late.ResponseCode, "a")))); // one over
        // A greyed card cannot be clicked again; a non-holder cannot click at all.
        Assert.Null(_sim.Click("a", "T3", "ok"));
        Assert.Null(_sim.Click("c", "T4", "ok"));
    }

    [Fact]
    public void UpdateTargets_ShouldHoldTheTask()
    {
        var code = Post("/cgi-bin/message/send", Card("T5", "a"))["response_code"]!.GetValue<string>();
        var mixed = Post("/cgi-bin/message/update_template_card", new { userids = new[] { "a", "c" }, agentid = 1000002, response_code = code, button = new { replace_name = "x" } });
        Assert.Equal(0, Code(mixed));
        Assert.Equal("c", mixed["invaliduser"]![0]!.GetValue<string>());
        Assert.Null(_sim.CardOf("c", "T5"));
        var code2 = Post("/cgi-bin/message/send", Card("T6", "a"))["response_code"]!.GetValue<string>();
        Assert.Equal(81013, Code(Post("/cgi-bin/message/update_template_card", new { userids = new[] { "c" }, agentid = 1000002, response_code = code2, button = new { replace_name = "x" } })));
    }

    [Theory]
    [InlineData(2048, 0)]
    [InlineData(2049, 45002)]
    public void AppText_ShouldTakeAtMost2048Bytes(int bytes, int expected) =>
        Assert.Equal(expected, Code(Post("/cgi-bin/message/send", Text("a", new string('x', bytes)))));

    [Theory]
    [InlineData("markdown", 4096, 0)]
    [InlineData("markdown", 4097, 45002)]
    [InlineData("text", 2048, 0)]
    [InlineData("text", 2049, 45002)]
    public void Webhook_ShouldKeepItsByteLimits(string type, int bytes, int expected)
    {
        _sim.AddRobot("k1");
        var body = new JsonObject { ["msgtype"] = type, [type] = new JsonObject { ["content"] = new string('字', bytes / 3) + new string('x', bytes % 3) } };
        Assert.Equal(expected, Code(Json(_sim.Handle("POST", "/cgi-bin/webhook/send?key=k1", body.ToJsonString()))));
    }

    [Fact]
    public void Webhook_ShouldRefuseThe21stMessageInAMinute()
    {
        _sim.AddRobot("k2");
        string Send() => _sim.Handle("POST", "/cgi-bin/webhook/send?key=k2", """{"msgtype":"text","text":{"content":"hi"}}""").Body;
        for (var i = 0; i < 20; i++) Assert.Contains("\"errcode\":0", Send());
        Assert.Contains("\"errcode\":45009", Send());
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Contains("\"errcode\":0", Send());
        Assert.Contains("\"errcode\":93000", _sim.Handle("POST", "/cgi-bin/webhook/send?key=nope", """{"msgtype":"text","text":{"content":"hi"}}""").Body);
    }

    [Fact]
    public void Members_ShouldComeBackInInvaliduserOrUnlicenseduser_WhenNotReachable()
    {
        var r = Post("/cgi-bin/message/send", Text("a|off|far|nolic|ghost", "hi"));
        Assert.Equal(0, Code(r));
        Assert.Equal("off|far|ghost", r["invaliduser"]!.GetValue<string>());
        Assert.Equal("nolic", r["unlicenseduser"]!.GetValue<string>());
        Assert.Single(_sim.DeliveredTo("a"));
        Assert.Empty(_sim.DeliveredTo("off"));
        Assert.Equal(81013, Code(Post("/cgi-bin/message/send", Text("off|ghost", "hi"))));
    }

    [Fact]
    public void PerMember_ShouldDropThe31stMessageInAMinuteSilently()
    {
        for (var i = 0; i < 30; i++) Assert.Equal(0, Code(Post("/cgi-bin/message/send", Text("b", $"m{i}"))));
        Assert.Equal(0, Code(Post("/cgi-bin/message/send", Text("b", "m30"))));
        Assert.Equal(30, _sim.DeliveredTo("b").Count);
    }

    [Fact]
    public void Kf_ShouldReplyOnlyWithin48HoursAndAtMostFiveTimesPerCustomerMessage()
    {
        object Reply(string text) => new { touser = "wm1", open_kfid = "wk1", msgtype = "text", text = new { content = text } };
        Assert.Equal(95002, Code(Post("/cgi-bin/kf/send_msg", Reply("before"), _kf))); // never wrote
        _sim.CustomerWrites("wk1", "wm1", "你好");
        for (var i = 0; i < 5; i++) Assert.Equal(0, Code(Post("/cgi-bin/kf/send_msg", Reply($"r{i}"), _kf)));
        Assert.Equal(95001, Code(Post("/cgi-bin/kf/send_msg", Reply("r5"), _kf)));
        _time.Advance(TimeSpan.FromHours(47));
        _sim.CustomerWrites("wk1", "wm1", "在吗");
        _time.Advance(TimeSpan.FromHours(48) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, Code(Post("/cgi-bin/kf/send_msg", Reply("just in time"), _kf)));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(95002, Code(Post("/cgi-bin/kf/send_msg", Reply("too late"), _kf)));
        Assert.Equal(95012, Code(Post("/cgi-bin/kf/send_msg", Reply("wrong token"), _app)));
    }

    [Fact]
    public void Welcome_ShouldTakeALiveCodeOnceWithin20Seconds()
    {
        object Welcome(string code) => new { code, msgtype = "text", text = new { content = "欢迎" } };
        var (enter, _) = _sim.CustomerEnters("wk1", "wm2", "qr", "990101001001");
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(0, Code(Post("/cgi-bin/kf/send_msg_on_event", Welcome(enter.WelcomeCode!), _kf)));
        Assert.Equal(95017, Code(Post("/cgi-bin/kf/send_msg_on_event", Welcome(enter.WelcomeCode!), _kf))); // once
        var (late, _) = _sim.CustomerEnters("wk1", "wm3");
        _time.Advance(TimeSpan.FromSeconds(21));
        Assert.Equal(95017, Code(Post("/cgi-bin/kf/send_msg_on_event", Welcome(late.WelcomeCode!), _kf)));
        // No welcome code for someone who wrote in the last 48 hours.
        _sim.CustomerWrites("wk1", "wm4", "你好");
        Assert.Null(_sim.CustomerEnters("wk1", "wm4").Enter.WelcomeCode);
    }

    [Fact]
    public void Tokens_ShouldBeCheckedAndTheIpTrusted()
    {
        Assert.Equal(40001, Code(Json(_sim.Handle("GET", "/cgi-bin/gettoken?corpid=wwcorp&corpsecret=wrong", null))));
        Assert.Equal(40014, Code(Post("/cgi-bin/message/send", Text("a", "x"), "forged")));
        _sim.Settings.TokenLifetime = TimeSpan.FromSeconds(7200);
        var token = Token("app");
        _time.Advance(TimeSpan.FromSeconds(7199));
        Assert.Equal(0, Code(Post("/cgi-bin/message/send", Text("a", "x"), token)));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(42001, Code(Post("/cgi-bin/message/send", Text("a", "y"), token)));
        _sim.Settings.TrustedIp = false;
        Assert.Equal(60020, Code(Json(_sim.Handle("GET", "/cgi-bin/gettoken?corpid=wwcorp&corpsecret=app", null))));
    }

    [Fact]
    public void SyncMsg_ShouldPageByLimit_DefaultAndMaximum1000()
    {
        for (var i = 0; i < 1001; i++) _sim.CustomerWrites("wk1", "wm5", $"第{i}条");
        JsonObject Sync(object body) => Post("/cgi-bin/kf/sync_msg", body, _kf);
        int Count(JsonObject page) => page["msg_list"]!.AsArray().Count;

        var first = Sync(new { open_kfid = "wk1" }); // no limit: 1000
        Assert.Equal((1000, 1), (Count(first), first["has_more"]!.GetValue<int>()));
        var last = Sync(new { open_kfid = "wk1", cursor = first["next_cursor"]!.GetValue<string>() });
        Assert.Equal((1, 0), (Count(last), last["has_more"]!.GetValue<int>()));
        Assert.Equal("第1000条", last["msg_list"]![0]!["text"]!["content"]!.GetValue<string>());
        Assert.Equal(1000, Count(Sync(new { open_kfid = "wk1", limit = 5000 }))); // over the maximum: 1000
        var three = Sync(new { open_kfid = "wk1", limit = 3 });
        Assert.Equal((3, 1), (Count(three), three["has_more"]!.GetValue<int>()));
        Assert.Equal(95006, Code(Sync(new { open_kfid = "wk1", cursor = "made-up" })));
    }

    [Fact]
    public void SyncMsg_ShouldAnswerAShortOrEmptyPageWithHasMore_WhenOtherAccountsFillWeComsWindow()
    {
        _sim.Settings.KfSyncPageSize = 2;
        _sim.CustomerWrites("wk1", "wm6", "一");
        _sim.CustomerWrites("wk2", "wm7", "别的账号");
        _sim.CustomerWrites("wk2", "wm7", "别的账号二");
        _sim.CustomerWrites("wk2", "wm7", "别的账号三");
        _sim.CustomerWrites("wk1", "wm6", "二");
        var pages = new List<JsonObject>();
        string? cursor = null;
        do pages.Add(Post("/cgi-bin/kf/sync_msg", new { open_kfid = "wk1", cursor, limit = 1000 }, _kf));
        while ((cursor = pages[^1]["next_cursor"]!.GetValue<string>()) is not null && pages[^1]["has_more"]!.GetValue<int>() == 1);

        Assert.Equal([1, 0, 1], pages.Select(p => p["msg_list"]!.AsArray().Count));
        Assert.Equal([1, 1, 0], pages.Select(p => p["has_more"]!.GetValue<int>()));
        Assert.Equal("二", pages[2]["msg_list"]![0]!["text"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public void ExpireToken_ShouldMakeWeComAnswer42001ForThatTokenOnly()
    {
        var other = Token("app");
        Assert.True(_sim.ExpireToken(_app));
        Assert.False(_sim.ExpireToken(_app)); // already expired
        Assert.Equal(42001, Code(Post("/cgi-bin/message/send", Text("a", "x"))));
        Assert.Equal(0, Code(Post("/cgi-bin/message/send", Text("a", "x"), other)));
    }
}
