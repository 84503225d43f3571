using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.WeCom.Callbacks;

namespace RapidResponse.Bot.Tests.WeCom;

/// <summary>Before authentication (issue 12, item 9): the rate limiter per client address on /wecom/*, and sampled rejection warnings.</summary>
public sealed class CallbackRateLimitTests
{
    private static readonly string BadVerify =
        $"/wecom/callback{Callbacks.Query(Vectors.V2Signature, Vectors.V1Timestamp, Vectors.V1Nonce)}&echostr={Vectors.V1EchoUrlEncoded}";

    private static readonly string GoodVerify =
        $"/wecom/callback{Callbacks.Query(Vectors.V1Signature, Vectors.V1Timestamp, Vectors.V1Nonce)}&echostr={Vectors.V1EchoUrlEncoded}";

    private static Dictionary<string, string?> Limit(int burst, int queue) => new()
    {
        ["WeCom:CallbackLimit:Burst"] = burst.ToString(),
        ["WeCom:CallbackLimit:PerPeriod"] = "1",
        ["WeCom:CallbackLimit:Period"] = "01:00:00", // no token comes back during the test
        ["WeCom:CallbackLimit:QueueLimit"] = queue.ToString(),
    };

    /// <summary>The real app on Kestrel (each test client really has its loopback address).</summary>
    private static BotFactory Start(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var f = new BotFactory().WithWeCom().CaptureLogs();
        foreach (var (k, v) in settings ?? []) f.Settings[k] = v;
        f.TestServices = services;
        return f.StartOnKestrel();
    }

    /// <summary>The WeCom layer's log lines (the rest of the app may log other things).</summary>
    private static IEnumerable<(LogLevel Level, string Category, string Message)> WeComLog(BotFactory f) =>
        f.Logs!.Entries.Where(e => e.Category.StartsWith("RapidResponse.Bot.WeCom", StringComparison.Ordinal));

    [Fact]
    public async Task Callbacks_ShouldAnswer429BeforeCheckingTheSignature_WhenOneAddressIsPastItsLimit()
    {
        await using var host = Start(Limit(burst: 3, queue: 0));
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync(BadVerify)).StatusCode);

        var limited = await host.Http.GetAsync(BadVerify);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("1", limited.Headers.RetryAfter?.ToString());
        // Even a correctly signed request waits its turn: the limit comes before authentication, on both endpoints.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.Http.GetAsync(GoodVerify)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.Http.PostXmlAsync("/wecom/kf?msg_signature=x&timestamp=1&nonce=2", "<xml/>")).StatusCode);
        // Three rejections of the limit, one warning; the three bad signatures before it, one warning too.
        Assert.Single(WeComLog(host), e => e.Level == LogLevel.Warning && e.Message.Contains("rate limit"));
        Assert.Single(WeComLog(host), e => e.Level == LogLevel.Warning && e.Message.Contains("BadSignature"));
    }

    [Fact]
    public async Task Callbacks_ShouldQueueAtMostQueueLimit_WhenTheBucketIsEmpty()
    {
        await using var host = Start(Limit(burst: 1, queue: 1));
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync(BadVerify)).StatusCode);
        using var cancel = new CancellationTokenSource();
        var a = host.Http.GetAsync(BadVerify, cancel.Token);
        var b = host.Http.GetAsync(BadVerify, cancel.Token);
        // One of the two waits in the queue (for a token an hour away); the other finds the queue full: 429 at once.
        var first = await Task.WhenAny(a, b).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await first).StatusCode);
        var waiting = first == a ? b : a;
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task Callbacks_ShouldLimitEachAddressOnItsOwn_WhenOneFloods()
    {
        await using var host = Start(Limit(burst: 2, queue: 0), RemoteAddress.UseHeader);
        Task<HttpResponseMessage> From(string address)
        {
            var r = new HttpRequestMessage(HttpMethod.Get, BadVerify);
            r.Headers.Add(RemoteAddress.Header, address);
            return host.Http.SendAsync(r);
        }
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.BadRequest, (await From("198.51.100.1")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await From("198.51.100.1")).StatusCode);
        // WeCom's own callback address is unaffected by the flood from another.
        Assert.Equal(HttpStatusCode.BadRequest, (await From("101.226.103.5")).StatusCode);
    }

    [Fact]
    public async Task Callbacks_ShouldNotBeLimited_WhenTrafficIsWithinTheDefaults()
    {
        await using var host = Start();
        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => host.Http.GetAsync(BadVerify)));
        Assert.All(answers, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Single(WeComLog(host), e => e.Level == LogLevel.Warning);
    }

    [Fact]
    public void Rejections_ShouldLogOncePerMinutePerReasonWithACount_WhenTheyRepeat()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 10, 12, 1, 0, 0, TimeSpan.Zero));
        var logs = new LogCapture();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var rejections = new CallbackRejections(time, factory);
        var from = IPAddress.Parse("203.0.113.9");
        string[] Warnings() => [.. logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message)];

        for (var i = 0; i < 5; i++) rejections.Report(CallbackChannel.App, "receive", "BadSignature", from);
        rejections.Report(CallbackChannel.App, "receive", "BadPadding", from); // another reason: its own warning
        Assert.Equal(2, Warnings().Length);

        time.Advance(CallbackRejections.Window - TimeSpan.FromTicks(1));
        rejections.Report(CallbackChannel.App, "receive", "BadSignature", from);
        Assert.Equal(2, Warnings().Length);

        time.Advance(TimeSpan.FromTicks(1)); // exactly a minute after the last warning
        rejections.Report(CallbackChannel.App, "receive", "BadSignature", from);
        var last = Warnings()[^1];
        Assert.Equal(3, Warnings().Length);
        Assert.Contains("BadSignature", last);
        Assert.Contains("5 more like it", last);
    }
}
