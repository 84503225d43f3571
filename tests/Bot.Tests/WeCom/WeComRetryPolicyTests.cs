using System.Net;
using RapidResponse.Bot.WeCom.Api;

namespace RapidResponse.Bot.Tests.WeCom;

public class WeComRetryPolicyTests
{
    [Theory]
    [InlineData(-1, RetryAction.RetryWithBackoff)]
    [InlineData(45033, RetryAction.RetryWithBackoff)]
    [InlineData(45009, RetryAction.WaitBlockPeriod)]
    [InlineData(40014, RetryAction.InvalidateTokenAndRetryOnce)]
    [InlineData(42001, RetryAction.InvalidateTokenAndRetryOnce)]
    [InlineData(40001, RetryAction.StopAndAlert)]
    [InlineData(60020, RetryAction.StopAndAlert)]
    [InlineData(48002, RetryAction.StopAndAlert)]
    [InlineData(81013, RetryAction.NeverRetry)] // the recipients, not the channel: they are marked undeliverable
    [InlineData(95012, RetryAction.StopAndAlert)]
    [InlineData(40058, RetryAction.NeverRetry)]
    [InlineData(44004, RetryAction.NeverRetry)]
    [InlineData(60140, RetryAction.NeverRetry)]
    [InlineData(95001, RetryAction.NeverRetry)]
    [InlineData(95002, RetryAction.NeverRetry)]
    [InlineData(123456, RetryAction.NeverRetry)]
    public void Classify_ShouldReturnTableAction_WhenGivenAnErrorCode(int errCode, RetryAction expected) =>
        Assert.Equal(expected, WeComRetryPolicy.Classify(errCode).Action);

    [Fact]
    public void Classify_ShouldCarryTheMinuteBlockPeriod_WhenFrequencyLimitIsHit() =>
        Assert.Equal(TimeSpan.FromSeconds(60), WeComRetryPolicy.Classify(45009).Delay);

    [Theory]
    [InlineData(40014, true)]
    [InlineData(42001, true)]
    [InlineData(40001, true)]
    [InlineData(45009, false)]
    public void InvalidatesToken_ShouldBeTrueOnlyForTokenCodes_WhenAsked(int errCode, bool expected) =>
        Assert.Equal(expected, WeComRetryPolicy.InvalidatesToken(errCode));

    public static TheoryData<Exception, RetryAction> Exceptions => new()
    {
        { new HttpRequestException("x", null, HttpStatusCode.ServiceUnavailable), RetryAction.RetryWithBackoff },
        { new HttpRequestException("x", null, HttpStatusCode.TooManyRequests), RetryAction.RetryWithBackoff },
        { new HttpRequestException("x", null, HttpStatusCode.NotFound), RetryAction.NeverRetry },
        { new HttpRequestException("connection refused"), RetryAction.RetryWithBackoff },
        { new TaskCanceledException("timeout"), RetryAction.RetryWithBackoff },
        { new WeComApiException(45033, "busy", "/cgi-bin/message/send"), RetryAction.RetryWithBackoff },
        { new ArgumentException("bad card"), RetryAction.NeverRetry },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void Classify_ShouldTreatTransportTroubleAsTransient_WhenGivenAnException(Exception exception, RetryAction expected) =>
        Assert.Equal(expected, WeComRetryPolicy.Classify(exception).Action);

    [Theory]
    [InlineData(1, 60)]
    [InlineData(2, 3600)]
    public void BlockPeriod_ShouldEscalate_WhenFrequencyLimitRepeats(int hits, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), WeComRetryPolicy.BlockPeriod(hits, DateTimeOffset.UnixEpoch));

    [Fact]
    public void BlockPeriod_ShouldLastUntilChinaMidnight_WhenHitAThirdTime()
    {
        var now = new DateTimeOffset(2026, 1, 5, 15, 30, 0, TimeSpan.Zero); // 23:30 in Beijing

        Assert.Equal(TimeSpan.FromMinutes(30), WeComRetryPolicy.BlockPeriod(3, now));
    }
}
