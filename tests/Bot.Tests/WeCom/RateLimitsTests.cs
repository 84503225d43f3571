using Microsoft.Extensions.Time.Testing;
using RapidResponse.Bot.WeCom.Api;

namespace RapidResponse.Bot.Tests.WeCom;

public class RateLimitsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));

    /// <summary>One send as the transport makes it: ask the gate, and when allowed tell it the send is over; null when it went.</summary>
    private static async Task<DateTimeOffset?> SendAsync(ISendRateGate gate, RateScope scope, string key)
    {
        (RateScope, string)[] keys = [(scope, key)];
        var retryAt = await gate.TryAcquireAsync(keys, default);
        if (retryAt is null) await gate.SentAsync(keys, default);
        return retryAt;
    }

    [Fact]
    public async Task Gate_ShouldNeverAllowMoreThan30InAnyMinute_When40MessagesGoToOneUser()
    {
        ISendRateGate limits = new RateLimits(_time);
        var sent = new List<DateTimeOffset>();

        // The dispatcher's loop: send when allowed, otherwise sleep until the limiter says so.
        while (sent.Count < 40)
        {
            if (await SendAsync(limits, RateScope.AppRecipient, "zhangsan") is { } retryAt)
            {
                _time.Advance(retryAt - _time.GetUtcNow());
            }
            else
            {
                sent.Add(_time.GetUtcNow());
                _time.Advance(TimeSpan.FromMilliseconds(100));
            }
        }

        foreach (var start in sent)
        {
            Assert.True(sent.Count(s => s >= start && s < start + TimeSpan.FromMinutes(1)) <= 30);
        }

        Assert.Equal(sent[0] + TimeSpan.FromMinutes(1), sent[30]); // the 31st waits exactly until the 1st leaves the window
    }

    [Theory]
    [InlineData(-1, false)] // one tick before the first send leaves the window
    [InlineData(0, true)]   // exactly when it leaves
    [InlineData(1, true)]   // one tick after
    public async Task Gate_ShouldOpenExactlyWhenOldestSendLeavesTheWindow_WhenWindowIsFull(long ticksOffset, bool allowed)
    {
        ISendRateGate limits = new RateLimits(_time);
        var first = _time.GetUtcNow();
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(await SendAsync(limits, RateScope.Webhook, "hook"));
        }

        _time.SetUtcNow(first + TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(ticksOffset));

        Assert.Equal(allowed, await SendAsync(limits, RateScope.Webhook, "hook") is null);
    }

    [Fact]
    public async Task Gate_ShouldApplyTheHourlyLimit_WhenMinuteWindowsAreRespected()
    {
        ISendRateGate limits = new RateLimits(_time);
        var start = _time.GetUtcNow();
        for (var i = 0; i < 1000; i++)
        {
            Assert.Null(await SendAsync(limits, RateScope.AppRecipient, "lisi"));
            _time.Advance(TimeSpan.FromSeconds(3)); // 20 per minute, under the minute limit
        }

        Assert.Equal(start + TimeSpan.FromHours(1), await SendAsync(limits, RateScope.AppRecipient, "lisi"));
    }

    [Fact]
    public async Task Gate_ShouldAllowAtOnce_WhenKeyIsDifferent()
    {
        ISendRateGate limits = new RateLimits(_time);
        for (var i = 0; i < 30; i++)
        {
            Assert.Null(await SendAsync(limits, RateScope.AppRecipient, "a"));
        }

        Assert.True(await SendAsync(limits, RateScope.AppRecipient, "a") > _time.GetUtcNow());
        Assert.Null(await SendAsync(limits, RateScope.AppRecipient, "b"));
        Assert.Null(await SendAsync(limits, RateScope.Webhook, "a"));
    }

    [Fact]
    public async Task Gate_ShouldCountInFlightSendsAndStampThemWhenOver_WhenWindowIsNearlyFull()
    {
        var windows = new Dictionary<string, string> { ["Webhook"] = "2/00:01:00" };
        ISendRateGate gate = new RateLimits(_time, Microsoft.Extensions.Options.Options.Create(new RapidResponse.Bot.WeCom.WeComOptions { RateLimits = windows }));
        (RateScope, string)[] keys = [(RateScope.Webhook, "hook")];
        var start = _time.GetUtcNow();

        Assert.Null(await gate.TryAcquireAsync(keys, default));
        Assert.Null(await gate.TryAcquireAsync(keys, default));
        // Both in flight: the window is full although neither has been answered yet.
        Assert.Equal(start + TimeSpan.FromMinutes(1), await gate.TryAcquireAsync(keys, default));

        // The first is answered 5 s later: it may have reached WeCom just now, so its slot frees a minute from now.
        _time.Advance(TimeSpan.FromSeconds(5));
        await gate.SentAsync(keys, default);
        await gate.SentAsync(keys, default);
        Assert.Equal(start + TimeSpan.FromSeconds(65), await gate.TryAcquireAsync(keys, default));
    }
}
