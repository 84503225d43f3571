using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Bot.Health;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;
using RapidResponse.Scheduler;

namespace RapidResponse.Bot.Tests.Admin;

/// <summary>One test per check behind /health/ready, over the real host and its SQLite file where the check reads one.</summary>
public sealed class HealthChecksTests
{
    [Fact]
    public async Task DatabaseCheck_ShouldMakeHostNotReady_WhenAMigrationIsPending()
    {
        using var f = new BotFactory(new DateTimeOffset(2025, 6, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        var client = f.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        using (var db = f.NewDb()) await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsHistory\"");

        var r = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        var ready = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("not-ready", ready.GetProperty("status").GetString());
        Assert.True(ready.GetProperty("database").GetBoolean());
        Assert.Contains(ready.GetProperty("pendingMigrations").EnumerateArray(), m => m.GetString()!.EndsWith("_Initial"));
        Assert.Equal("Unhealthy", ready.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task HolidayCheck_ShouldSayReady_WhenThisYearAndNextHaveData()
    {
        // June 2025: 2025 and 2026 are both in the State Council data.
        using var f = new BotFactory(new DateTimeOffset(2025, 6, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        var ready = await f.CreateClient().GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Empty(ready.GetProperty("warnings").EnumerateArray());
        var holidays = ready.GetProperty("checks").GetProperty("holidays");
        Assert.Equal("Healthy", holidays.GetProperty("status").GetString());
        Assert.Equal([2025, 2026], holidays.GetProperty("data").GetProperty("years").EnumerateArray().Select(y => y.GetInt32()));
    }

    [Fact]
    public async Task HolidayCheck_ShouldWarnButStayReady_WhenNextYearHasNoData()
    {
        using var f = new BotFactory(); // 2026-10-12: no data for 2027
        var r = await f.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var ready = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ready-with-warnings", ready.GetProperty("status").GetString());
        Assert.Equal("Degraded", ready.GetProperty("checks").GetProperty("holidays").GetProperty("status").GetString());
        Assert.Contains(ready.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("2027"));
    }

    [Fact]
    public async Task OutboxCheck_ShouldCountPendingAndDead_AndWarnOfDeadMessages()
    {
        var now = new DateTimeOffset(2025, 6, 2, 9, 0, 0, TimeSpan.FromHours(8));
        using var f = new BotFactory(now);
        var client = f.CreateClient();
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal(0, ready.GetProperty("outbox").GetProperty("dead").GetInt32());
        using (var db = f.NewDb())
        {
            OutboxMessage Row(OutboxStatus status, string key) => new()
            {
                Channel = OutboundChannel.AppUser, Recipient = "gm_a1", Kind = OutboundKind.Text, Payload = "{\"content\":\"x\"}",
                CreatedAt = now, NotBefore = now.AddYears(1), Status = status, DedupeKey = key,
            };
            db.Outbox.AddRange(Row(OutboxStatus.Pending, "h1"), Row(OutboxStatus.Pending, "h2"), Row(OutboxStatus.Dead, "h3"), Row(OutboxStatus.Sent, "h4"));
            await db.SaveChangesAsync();
        }

        var r = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        ready = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, ready.GetProperty("outbox").GetProperty("pending").GetInt32());
        Assert.Equal(1, ready.GetProperty("outbox").GetProperty("dead").GetInt32());
        Assert.Equal("ready-with-warnings", ready.GetProperty("status").GetString());
        Assert.Contains(ready.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("1 outbox messages are dead"));
    }

    [Theory]
    [InlineData(false, 0, "running", HealthStatus.Healthy)]
    [InlineData(true, 0, "failing", HealthStatus.Degraded)]
    [InlineData(false, 3, "running", HealthStatus.Healthy)] // exactly three intervals: still fresh
    [InlineData(false, 4, "stale", HealthStatus.Degraded)]
    public async Task SchedulerCheck_ShouldWarn_WhenLastSweepFailedOrIsOlderThanThreeIntervals(bool failed, int intervalsAgo, string status, HealthStatus health)
    {
        var start = new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));
        var time = new FakeTimeProvider(start);
        var heartbeat = new JobHeartbeat();
        heartbeat.Record(new JobRun(DeadlineSweepJob.Key, start, start, failed ? "database is locked" : "fired 0", failed));
        time.Advance(TimeSpan.FromMinutes(intervalsAgo));
        var services = new ServiceCollection()
            .AddSingleton(Options.Create(new SchedulerOptions { Enabled = true, SweepInterval = TimeSpan.FromMinutes(1) }))
            .AddSingleton(heartbeat).BuildServiceProvider();

        var result = await new SchedulerHealthCheck(services, time).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(health, result.Status);
        Assert.Equal(status, result.Data["status"]);
        Assert.Equal(start, result.Data["lastSweepAt"]);
        var readiness = HealthEndpoints.ToReadiness(new HealthReport(new Dictionary<string, HealthReportEntry>
        {
            [SchedulerHealthCheck.Name] = new(result.Status, result.Description, TimeSpan.Zero, null, result.Data),
        }, TimeSpan.Zero));
        Assert.Equal(status, readiness.Scheduler.Status);
        Assert.Equal(health == HealthStatus.Healthy ? "ready" : "ready-with-warnings", readiness.Status);
    }

    [Fact]
    public async Task ReadyTag_ShouldTakeInAnotherPartsCheck_WhenRegisteredWithIt()
    {
        // The extension point the outbox circuits use: any check tagged "ready" decides readiness with the built-in ones.
        using var f = new BotFactory(new DateTimeOffset(2025, 6, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        var client = f.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddHealthChecks()
            .AddCheck("outbox-circuits", () => HealthCheckResult.Unhealthy("circuit to WeCom open"), tags: [HealthTags.Ready]))).CreateClient();
        var r = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        var ready = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("not-ready", ready.GetProperty("status").GetString());
        Assert.Equal("circuit to WeCom open", ready.GetProperty("checks").GetProperty("outbox-circuits").GetProperty("description").GetString());
        Assert.True(ready.GetProperty("database").GetBoolean());
    }

    [Fact]
    public async Task Live_ShouldAnswerWithoutRunningChecks()
    {
        using var f = new BotFactory();
        var client = f.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddHealthChecks()
            .AddCheck("broken", () => throw new InvalidOperationException("must not run"), tags: [HealthTags.Ready]))).CreateClient();
        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("live", (await live.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
    }
}
