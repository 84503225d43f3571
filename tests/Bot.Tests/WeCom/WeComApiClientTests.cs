using System.Net;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace RapidResponse.Bot.Tests.WeCom;

public sealed class WeComApiClientTests : IAsyncLifetime
{
    private static readonly object Ok = new { errcode = 0, errmsg = "ok", msgid = "m1" };

    private readonly ApiTestHost _host = ApiTestHost.Start();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private static SendTextRequest Text(string user = "zhangsan") => new() { ToUsers = [user], Text = new("您好") };

    [Fact]
    public async Task SendAsync_ShouldFetchTokenExactlyOnce_When50CallsRunConcurrently()
    {
        _host.GivenToken("tok1", delayMs: 300);
        _host.Given(ApiTestHost.SendPath, Ok, token: "tok1");

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => _host.Client.SendAsync(Text($"user{i}"))));

        Assert.All(results, r => Assert.Equal("m1", r.MsgId));
        Assert.Equal(1, _host.Calls(ApiTestHost.GetTokenPath));
        Assert.Equal(50, _host.Calls(ApiTestHost.SendPath));
    }

    [Fact]
    public async Task SendAsync_ShouldRefreshTokenAndRetryOnce_WhenApiAnswers42001()
    {
        _host.Server.Given(Request.Create().WithPath(ApiTestHost.GetTokenPath)).InScenario("token").WillSetStateTo("second")
            .RespondWith(Response.Create().WithBodyAsJson(new { errcode = 0, errmsg = "ok", access_token = "tok1", expires_in = 7200 }));
        _host.Server.Given(Request.Create().WithPath(ApiTestHost.GetTokenPath)).InScenario("token").WhenStateIs("second")
            .RespondWith(Response.Create().WithBodyAsJson(new { errcode = 0, errmsg = "ok", access_token = "tok2", expires_in = 7200 }));
        _host.Given(ApiTestHost.SendPath, new { errcode = 42001, errmsg = "access_token expired" }, token: "tok1");
        _host.Given(ApiTestHost.SendPath, Ok, token: "tok2");

        var result = await _host.Client.SendAsync(Text());

        Assert.Equal(0, result.ErrCode);
        Assert.Equal(2, _host.Calls(ApiTestHost.GetTokenPath));
        Assert.Equal(2, _host.Calls(ApiTestHost.SendPath));
    }

    [Fact]
    public async Task SendAsync_ShouldThrowAfterOneRetry_WhenFreshTokenIsRejectedToo()
    {
        _host.GivenToken("tok1");
        _host.Given(ApiTestHost.SendPath, new { errcode = 40014, errmsg = "invalid access_token" });

        var ex = await Assert.ThrowsAsync<WeComApiException>(() => _host.Client.SendAsync(Text()));

        Assert.Equal(40014, ex.ErrCode);
        Assert.Equal(2, _host.Calls(ApiTestHost.SendPath));
        Assert.Equal(2, _host.Calls(ApiTestHost.GetTokenPath));
    }

    [Theory]
    [InlineData(7200 - 300 - 1, 1)] // one second before expires_in minus the 5-minute margin: cached
    [InlineData(7200 - 300, 2)]     // exactly at the refresh point: refetch
    [InlineData(7200 - 300 + 1, 2)] // one second after: refetch
    public async Task SendAsync_ShouldRefreshTokenBeforeExpiry_WhenRefreshMarginIsReached(int elapsedSeconds, int expectedFetches)
    {
        _host.GivenToken("tok1");
        _host.Given(ApiTestHost.SendPath, Ok);
        await _host.Client.SendAsync(Text());

        _host.Time.Advance(TimeSpan.FromSeconds(elapsedSeconds));
        await _host.Client.SendAsync(Text());

        Assert.Equal(expectedFetches, _host.Calls(ApiTestHost.GetTokenPath));
    }

    [Fact]
    public async Task SendAsync_ShouldThrowWithCodeMessageAndPath_WhenErrcodeIsNonZero()
    {
        _host.GivenToken("tok1");
        _host.Given(ApiTestHost.SendPath, new { errcode = 81013, errmsg = "user & party & tag all invalid" });

        var ex = await Assert.ThrowsAsync<WeComApiException>(() => _host.Client.SendAsync(Text()));

        Assert.Equal(81013, ex.ErrCode);
        Assert.Equal("user & party & tag all invalid", ex.ErrMsg);
        Assert.Equal(ApiTestHost.SendPath, ex.ApiPath);
        Assert.Equal(RetryAction.NeverRetry, ex.Decision.Action);
        Assert.Equal(1, _host.Calls(ApiTestHost.SendPath));
    }

    [Fact]
    public async Task SendAsync_ShouldNotCallTheApi_WhenGettokenRejectsTheSecret()
    {
        _host.Given(ApiTestHost.GetTokenPath, new { errcode = 40001, errmsg = "invalid credential" });

        var ex = await Assert.ThrowsAsync<WeComApiException>(() => _host.Client.SendAsync(Text()));

        Assert.Equal(ApiTestHost.GetTokenPath, ex.ApiPath);
        Assert.Equal(RetryAction.StopAndAlert, ex.Decision.Action);
        Assert.Equal(0, _host.Calls(ApiTestHost.SendPath));
    }

    [Theory]
    [InlineData(59, 1)]
    [InlineData(60, 2)]
    public async Task SendAsync_ShouldNotRepeatGettoken_WhenSecretWasRejectedWithinTheCooldown(int waitSeconds, int expectedFetches)
    {
        // Repeated wrong-secret gettoken calls get the IP banned for an hour (§4.1).
        _host.Given(ApiTestHost.GetTokenPath, new { errcode = 40001, errmsg = "invalid credential" });
        await Assert.ThrowsAsync<WeComApiException>(() => _host.Client.SendAsync(Text()));

        _host.Time.Advance(TimeSpan.FromSeconds(waitSeconds));
        var ex = await Assert.ThrowsAsync<WeComApiException>(() => _host.Client.SendAsync(Text()));

        Assert.Equal(40001, ex.ErrCode);
        Assert.Equal(expectedFetches, _host.Calls(ApiTestHost.GetTokenPath));
    }

    [Fact]
    public async Task SendAsync_ShouldThrowClassifiableHttpError_WhenServerAnswers502()
    {
        _host.GivenToken("tok1");
        _host.Server.Given(Request.Create().WithPath(ApiTestHost.SendPath)).RespondWith(Response.Create().WithStatusCode(502));

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => _host.Client.SendAsync(Text()));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Equal(RetryAction.RetryWithBackoff, WeComRetryPolicy.Classify(ex).Action);
    }

    [Fact]
    public async Task SendAsync_ShouldUseTheKfSecretsToken_WhenRequestIsAKfCall()
    {
        _host.GivenToken("app-tok");
        _host.GivenToken("kf-tok", secret: ApiTestHost.KfSecret);
        _host.Given("/cgi-bin/kf/send_msg", new { errcode = 0, errmsg = "ok", msgid = "r1" }, token: "kf-tok");

        var result = await _host.Client.SendAsync(new KfSendMsgRequest { ToUser = "wmUser", OpenKfId = "wkKf", Text = new("您好") });

        Assert.Equal("r1", result.MsgId);
    }

    [Fact]
    public async Task SendAsync_ShouldNeverLogTokensSecretsOrWebhookKeys_WhenCallsSucceedAndFail()
    {
        _host.GivenToken("tok-SECRET-1");
        _host.Given(ApiTestHost.SendPath, new { errcode = 40003, errmsg = "invalid userid" });
        _host.Given("/cgi-bin/webhook/send", new { errcode = 0, errmsg = "ok" });

        await Assert.ThrowsAsync<WeComApiException>(() => _host.Client.SendAsync(Text()));
        await _host.Client.SendAsync(WebhookSendRequest.ForText("hook-KEY-123", "hi"));

        Assert.NotEmpty(_host.Logs.Entries);
        Assert.DoesNotContain(_host.Logs.Entries, e =>
            e.Message.Contains("tok-SECRET-1") || e.Message.Contains(ApiTestHost.AppSecret) || e.Message.Contains("hook-KEY-123"));
    }

    [Fact]
    public async Task SendAsync_ShouldRejectLocallyWithoutHttp_WhenTaskIdHasForbiddenCharacters()
    {
        var card = TemplateCard.ButtonInteraction("bad task id!", new CardMainTitle("停水通知"), [new CardButton("确认", "ack")]);

        await Assert.ThrowsAsync<ArgumentException>(() => _host.Client.SendAsync(new SendTemplateCardRequest { ToUsers = ["u"], TemplateCard = card }));

        Assert.Empty(_host.Server.LogEntries);
    }
}
