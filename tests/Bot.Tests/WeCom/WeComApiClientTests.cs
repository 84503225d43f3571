using System.Net;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace RapidResponse.Bot.Tests.WeCom;

/// <summary>The WeCom client of the real app against the rule-keeper: tokens (one fetch, refresh, cooldown), errors, secrets kept out of logs.</summary>
public sealed class WeComApiClientTests : IAsyncLifetime
{
    private BotFactory _host = null!;

    public Task InitializeAsync()
    {
        _host = ApiClientApp.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private string _secret = ApiClientApp.AppSecret;

    private WeComApiClient Client => _host.Client();

    /// <summary>gettoken calls with the app's secret (the 微信客服 secret has its own tokens).</summary>
    private int Fetches => _host.TokenFetches(_secret);

    private static SendTextRequest Text(string user = "zhangsan") => new() { ToUsers = [user], Text = new("您好") };

    /// <summary>Restarts the app with another app secret than the simulated corp's.</summary>
    private void WithWrongSecret()
    {
        _host.Dispose();
        _secret = "wrong-secret";
        _host = ApiClientApp.Start(f => f.Settings["WeCom:Secret"] = _secret);
    }

    [Fact]
    public async Task SendAsync_ShouldFetchTokenExactlyOnce_When50CallsRunConcurrently()
    {
        _host.WeCom!.Slow(ApiClientApp.GetTokenPath, TimeSpan.FromMilliseconds(300));
        var before = Fetches; // the app may have fetched it at start-up already

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Client.SendAsync(Text($"user{i}"))));

        Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r.MsgId)));
        Assert.Equal(Math.Max(1, before), Fetches);
        Assert.Equal(50, _host.Calls(ApiClientApp.SendPath));
    }

    [Fact]
    public async Task SendAsync_ShouldRefreshTokenAndRetryOnce_WhenApiAnswers42001()
    {
        await Client.SendAsync(Text());
        var tokens = Fetches;
        _host.WeCom!.Fail(ApiClientApp.SendPath, new { errcode = 42001, errmsg = "access_token expired" }, times: 1);

        var result = await Client.SendAsync(Text("lisi"));

        Assert.Equal(0, result.ErrCode);
        Assert.Equal(tokens + 1, Fetches);
        Assert.Equal(3, _host.Calls(ApiClientApp.SendPath));
    }

    [Fact]
    public async Task SendAsync_ShouldThrowAfterOneRetry_WhenFreshTokenIsRejectedToo()
    {
        await Client.SendAsync(Text());
        var tokens = Fetches;
        _host.WeCom!.Fail(ApiClientApp.SendPath, new { errcode = 40014, errmsg = "invalid access_token" });

        var ex = await Assert.ThrowsAsync<WeComApiException>(() => Client.SendAsync(Text()));

        Assert.Equal(40014, ex.ErrCode);
        Assert.Equal(3, _host.Calls(ApiClientApp.SendPath));
        Assert.Equal(tokens + 1, Fetches);
    }

    [Theory]
    [InlineData(7200 - 300 - 1, 1)] // one second before expires_in minus the 5-minute margin: cached
    [InlineData(7200 - 300, 2)]     // exactly at the refresh point: refetch
    [InlineData(7200 - 300 + 1, 2)] // one second after: refetch
    public async Task SendAsync_ShouldRefreshTokenBeforeExpiry_WhenRefreshMarginIsReached(int elapsedSeconds, int expectedFetches)
    {
        await Client.SendAsync(Text());
        var first = Fetches;

        _host.Time.Advance(TimeSpan.FromSeconds(elapsedSeconds));
        await Client.SendAsync(Text("lisi"));

        Assert.Equal(expectedFetches - 1, Fetches - first);
    }

    [Fact]
    public async Task SendAsync_ShouldThrowWithCodeMessageAndPath_WhenErrcodeIsNonZero()
    {
        // "nobody" is not in the simulated corp's address book: WeCom answers 81013 itself.
        var ex = await Assert.ThrowsAsync<WeComApiException>(() => Client.SendAsync(Text("nobody")));

        Assert.Equal(81013, ex.ErrCode);
        Assert.StartsWith("user & party & tag all invalid", ex.ErrMsg); // WeCom appends a hint
        Assert.Equal(ApiClientApp.SendPath, ex.ApiPath);
        Assert.Equal(RetryAction.NeverRetry, ex.Decision.Action);
        Assert.Equal(1, _host.Calls(ApiClientApp.SendPath));
    }

    [Fact]
    public async Task SendAsync_ShouldNotCallTheApi_WhenGettokenRejectsTheSecret()
    {
        WithWrongSecret();

        var ex = await Assert.ThrowsAsync<WeComApiException>(() => Client.SendAsync(Text()));

        Assert.Equal(ApiClientApp.GetTokenPath, ex.ApiPath);
        Assert.Equal(RetryAction.StopAndAlert, ex.Decision.Action);
        Assert.Equal(0, _host.Calls(ApiClientApp.SendPath));
    }

    [Theory]
    [InlineData(59, 1)]
    [InlineData(60, 2)]
    public async Task SendAsync_ShouldNotRepeatGettoken_WhenSecretWasRejectedWithinTheCooldown(int waitSeconds, int expectedFetches)
    {
        // Repeated wrong-secret gettoken calls get the IP banned for an hour (§4.1).
        WithWrongSecret();
        await Assert.ThrowsAsync<WeComApiException>(() => Client.SendAsync(Text()));
        var first = Fetches;

        _host.Time.Advance(TimeSpan.FromSeconds(waitSeconds));
        var ex = await Assert.ThrowsAsync<WeComApiException>(() => Client.SendAsync(Text()));

        Assert.Equal(40001, ex.ErrCode);
        Assert.Equal(expectedFetches - 1, Fetches - first);
    }

    [Fact]
    public async Task SendAsync_ShouldThrowClassifiableHttpError_WhenServerAnswers502()
    {
        // A transport fault over the simulator: WeCom's gateway answers 502.
        _host.WeComApi!.Given(Request.Create().WithPath(ApiClientApp.SendPath)).RespondWith(Response.Create().WithStatusCode(502));

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Client.SendAsync(Text()));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Equal(RetryAction.RetryWithBackoff, WeComRetryPolicy.Classify(ex).Action);
    }

    [Fact]
    public async Task SendAsync_ShouldUseTheKfSecretsToken_WhenRequestIsAKfCall()
    {
        // The simulated corp answers 微信客服 APIs only with a token of the 微信客服 secret.
        var sim = _host.WeCom!.Simulator;
        sim.KfAccounts.Add("wkKf");
        sim.CustomerWrites("wkKf", "wmUser", "你好");

        var result = await Client.SendAsync(new KfSendMsgRequest { ToUser = "wmUser", OpenKfId = "wkKf", Text = new("您好") });

        Assert.False(string.IsNullOrEmpty(result.MsgId));
        var kfToken = Assert.Single(_host.IssuedTokens("kf-secret"));
        Assert.Contains("access_token=" + kfToken, _host.WeComApi!.LogEntries.Last(e => e.RequestMessage.Path == "/cgi-bin/kf/send_msg").RequestMessage.RawQuery);
    }

    [Fact]
    public async Task SendAsync_ShouldNeverLogTokensSecretsOrWebhookKeys_WhenCallsSucceedAndFail()
    {
        _host.WeCom!.Simulator.AddRobot("hook-KEY-123");
        _host.WeCom.Fail(ApiClientApp.SendPath, new { errcode = 40003, errmsg = "invalid userid" });

        await Assert.ThrowsAsync<WeComApiException>(() => Client.SendAsync(Text()));
        await Client.SendAsync(WebhookSendRequest.ForText("hook-KEY-123", "hi"));

        var token = Assert.Single(_host.IssuedTokens());
        Assert.NotEmpty(_host.Logs!.Entries);
        Assert.DoesNotContain(_host.Logs.Entries, e =>
            e.Message.Contains(token) || e.Message.Contains(ApiClientApp.AppSecret) || e.Message.Contains("hook-KEY-123"));
    }

    [Fact]
    public async Task SendAsync_ShouldRejectLocallyWithoutHttp_WhenTaskIdHasForbiddenCharacters()
    {
        var card = TemplateCard.ButtonInteraction("bad task id!", new CardMainTitle("停水通知"), [new CardButton("确认", "ack")]);

        await Assert.ThrowsAsync<ArgumentException>(() => Client.SendAsync(new SendTemplateCardRequest { ToUsers = ["u"], TemplateCard = card }));

        Assert.Equal(0, _host.Calls(ApiClientApp.SendPath));
    }
}
