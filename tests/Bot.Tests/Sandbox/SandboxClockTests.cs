using Microsoft.Extensions.Configuration;
using RapidResponse.Bot.Sandbox;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Sandbox;

/// <summary>The virtual clock: forward only, and timers fire when the virtual time passes them (a jump or real time).</summary>
public sealed class SandboxClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void SetNow_ShouldRefuse_WhenInstantIsBeforeVirtualNow()
    {
        var clock = new SandboxClock(Start);
        Assert.InRange(clock.GetUtcNow(), Start, Start.AddSeconds(5));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetNow(Start.AddMinutes(-1)));
        Assert.Contains("时间只能向前拨", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.Zero));
        Assert.InRange(clock.Advance(TimeSpan.FromDays(1)), Start.AddDays(1), Start.AddDays(1).AddSeconds(5));
        Assert.Equal("Asia/Shanghai", clock.LocalTimeZone.Id);
    }

    [Fact]
    public async Task Delay_ShouldComplete_WhenClockJumpsPastItsDueTime()
    {
        var clock = new SandboxClock(Start);
        var delay = Task.Delay(TimeSpan.FromHours(2), clock);
        await Task.Delay(50);
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromHours(1));
        await Task.Delay(50);
        Assert.False(delay.IsCompleted); // one tick before: still waiting
        clock.Advance(TimeSpan.FromHours(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Timer_ShouldFireInRealTime_WhenNobodyMovesTheClock()
    {
        var clock = new SandboxClock(Start);
        var fired = new TaskCompletionSource();
        using var t = clock.CreateTimer(_ => fired.TrySetResult(), null, TimeSpan.FromMilliseconds(50), Timeout.InfiniteTimeSpan);
        await fired.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task PeriodicTimer_ShouldFireOnceAndResume_WhenJumpSpansManyPeriods()
    {
        var clock = new SandboxClock(Start);
        var count = 0;
        using var t = clock.CreateTimer(_ => Interlocked.Increment(ref count), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        clock.Advance(TimeSpan.FromDays(7));
        await UntilAsync(() => Volatile.Read(ref count) >= 1);
        await Task.Delay(200); // room for any extra (wrong) firings of the skipped periods
        Assert.Equal(1, Volatile.Read(ref count));
        clock.Advance(TimeSpan.FromMinutes(1));
        await UntilAsync(() => Volatile.Read(ref count) >= 2);
        await Task.Delay(200);
        Assert.Equal(2, Volatile.Read(ref count));
    }

    [Fact]
    public async Task DisposedTimer_ShouldNotFire_WhenClockPassesIt()
    {
        var clock = new SandboxClock(Start);
        var fired = false;
        var t = clock.CreateTimer(_ => fired = true, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        t.Dispose();
        clock.Advance(TimeSpan.FromHours(2));
        await Task.Delay(100);
        Assert.False(fired);
        Assert.False(t.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public async Task CancellationTimeout_ShouldCancel_WhenClockJumps()
    {
        var clock = new SandboxClock(Start);
        using var cts = new CancellationTokenSource(TimeSpan.FromDays(1), clock);
        clock.Advance(TimeSpan.FromDays(2));
        await Task.Delay(Timeout.InfiniteTimeSpan, cts.Token).ContinueWith(_ => { }).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(cts.IsCancellationRequested);
    }

    [Theory]
    [InlineData("P1D", 0, 0, 24 * 60)]
    [InlineData("PT2H", 0, 0, 120)]
    [InlineData("P1W", 0, 0, 7 * 24 * 60)]
    [InlineData("P1DT12H30M", 0, 0, 36 * 60 + 30)]
    [InlineData("p1m", 0, 1, 0)]
    [InlineData("P1Y", 1, 0, 0)]
    public void IsoDuration_ShouldParse_WhenWrittenInIso8601(string text, int years, int months, int minutes)
    {
        Assert.True(IsoDuration.TryParse(text, out var d));
        Assert.Equal(new IsoDuration(years, months, TimeSpan.FromMinutes(minutes)), d);
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("1D")]
    [InlineData("P1H")]
    [InlineData("-P1D")]
    public void IsoDuration_ShouldRefuse_WhenNotIso8601(string text) => Assert.False(IsoDuration.TryParse(text, out _));

    [Fact]
    public void IsoDuration_ShouldClampMonthEnd_WhenAddingAMonth() =>
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 9, 0, 0, TimeSpan.FromHours(8)),
            new IsoDuration(0, 1, TimeSpan.Zero).AddTo(new DateTimeOffset(2026, 1, 31, 1, 0, 0, TimeSpan.Zero)));

    /// <summary>Waits (real time, at most 10 s) for a timer callback on the thread pool, so a loaded machine does not fail the test.</summary>
    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(10);
    }
}

/// <summary>When the sandbox is on, and the refusal to run it next to real WeCom credentials.</summary>
public sealed class SandboxModeTests
{
    [Theory]
    [InlineData("Development", null, null, true)]
    [InlineData("Development", null, "wwcorp", false)]
    [InlineData("Development", "false", null, false)]
    [InlineData("Production", null, null, false)]
    [InlineData("Testing", null, null, false)]
    [InlineData("Production", "true", null, true)]
    [InlineData("Testing", "true", null, true)]
    [InlineData("Production", "false", "wwcorp", false)]
    public void IsOn_ShouldOpenByItselfOnlyInDevelopment_WhenNotAskedFor(string environment, string? enabled, string? corpId, bool expected)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Sandbox:Enabled"] = enabled, ["WeCom:CorpId"] = corpId }).Build();
        var env = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment };
        Assert.Equal(expected, SandboxMode.IsOn(config, env));
    }

    [Fact]
    public void Program_ShouldRefuseToStart_WhenSandboxIsEnabledNextToRealWeComCredentials()
    {
        using var f = new BotFactory().WithSandbox().WithWeCom("http://127.0.0.1:9");
        var e = Record.Exception(() => f.StartServer());
        var messages = string.Join(" | ", Chain(e).Select(x => x.Message));
        Assert.Contains("Sandbox:Enabled=true but WeCom:CorpId is configured", messages);
        Assert.Contains("沙盒模式与真实企业微信配置不能同时开启", messages);
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }

    [Fact]
    public async Task Seeder_ShouldLoadDemoCountyOnce_WhenRosterIsEmpty()
    {
        await using var host = await SandboxApp.StartAsync(SandboxApp.Monday);
        using (var db = host.NewDb())
        {
            Assert.Equal(42, db.Staff.Count());
            Assert.Equal(200, db.Households.Count());
        }
        var seeder = (SandboxSeeder)host.Services.GetService(typeof(SandboxSeeder))!;
        Assert.False(await seeder.SeedAsync());
        using var again = host.NewDb();
        Assert.Equal(42, again.Staff.Count());
    }
}
