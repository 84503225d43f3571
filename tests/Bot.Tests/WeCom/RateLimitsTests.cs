using Microsoft.Extensions.Time.Testing;
using RapidResponse.Bot.WeCom.Api;

namespace RapidResponse.Bot.Tests.WeCom;

public class RateLimitsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryAcquire_ShouldNeverAllowMoreThan30InAnyMinute_When40MessagesGoToOneUser()
    {
        var limits = new RateLimits(_time);
        var sent = new List<DateTimeOffset>();

        // The dispatcher's loop: send when allowed, otherwise sleep until the limiter says so.
        while (sent.Count < 40)
        {
            if (limits.TryAcquire(RateScope.AppRecipient, "zhangsan", out var retryAt))
            {
                sent.Add(_time.GetUtcNow());
                _time.Advance(TimeSpan.FromMilliseconds(100));
            }
            else
            {
                _time.Advance(retryAt - _time.GetUtcNow());
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
    public void NextAllowedAt_ShouldOpenExactlyWhenOldestSendLeavesTheWindow_WhenWindowIsFull(long ticksOffset, bool allowed)
    {
        var limits = new RateLimits(_time);
        var first = _time.GetUtcNow();
        for (var i = 0; i < 20; i++)
        {
            limits.Record(RateScope.Webhook, "hook");
        }

        _time.SetUtcNow(first + TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(ticksOffset));

        Assert.Equal(allowed, limits.TryAcquire(RateScope.Webhook, "hook", out _));
    }

    [Fact]
    public void NextAllowedAt_ShouldApplyTheHourlyLimit_WhenMinuteWindowsAreRespected()
    {
        var limits = new RateLimits(_time);
        var start = _time.GetUtcNow();
        for (var i = 0; i < 1000; i++)
        {
            limits.Record(RateScope.AppRecipient, "lisi");
            _time.Advance(TimeSpan.FromSeconds(3)); // 20 per minute, under the minute limit
        }

        Assert.Equal(start + TimeSpan.FromHours(1), limits.NextAllowedAt(RateScope.AppRecipient, "lisi"));
    }

    [Fact]
    public void NextAllowedAt_ShouldBeNow_WhenKeyIsDifferent()
    {
        var limits = new RateLimits(_time);
        for (var i = 0; i < 30; i++)
        {
            limits.Record(RateScope.AppRecipient, "a");
        }

        Assert.True(limits.NextAllowedAt(RateScope.AppRecipient, "a") > _time.GetUtcNow());
        Assert.Equal(_time.GetUtcNow(), limits.NextAllowedAt(RateScope.AppRecipient, "b"));
        Assert.Equal(_time.GetUtcNow(), limits.NextAllowedAt(RateScope.Webhook, "a"));
    }

    [Fact]
    public void TryAcquireKfReply_ShouldAllowFiveRepliesPerUserMessage_WhenUserWrites()
    {
        var limits = new RateLimits(_time);
        Assert.Null(limits.NextKfReplyAt("wmUser")); // the user never wrote

        limits.RecordKfUserMessage("wmUser");
        var granted = Enumerable.Range(0, 6).Select(_ => limits.TryAcquireKfReply("wmUser")).ToList();

        Assert.Equal([true, true, true, true, true, false], granted);
        limits.RecordKfUserMessage("wmUser");
        Assert.True(limits.TryAcquireKfReply("wmUser"));
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, false)]
    [InlineData(1, false)]
    public void NextKfReplyAt_ShouldCloseAt48Hours_WhenUserIsSilent(long ticksOffset, bool open)
    {
        var limits = new RateLimits(_time);
        limits.RecordKfUserMessage("wmUser");

        _time.Advance(TimeSpan.FromHours(48) + TimeSpan.FromTicks(ticksOffset));

        Assert.Equal(open, limits.NextKfReplyAt("wmUser") is not null);
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
