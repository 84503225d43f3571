using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.Tests.Scheduler;
using RapidResponse.Scheduler;

namespace RapidResponse.Bot.Tests.Admin;

/// <summary>GET /health/ready shows the Quartz scheduler: its last deadline sweep on the app's clock, or "disabled".</summary>
[Collection(SchedulerRuns.Collection)]
public sealed class HealthSchedulerStatusTests
{
    [Fact]
    public async Task HealthReady_ShouldShowTheLastSweep_WhenSchedulerRuns()
    {
        var start = new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));
        using var f = new BotFactory(start);
        f.Settings["Scheduler:Enabled"] = "true";
        f.Settings["Scheduler:InstanceName"] = "health-ready-test";
        var client = f.CreateClient();
        var heartbeat = f.Services.GetRequiredService<JobHeartbeat>();
        await heartbeat.WaitForAsync(DeadlineSweepJob.Key, start, SchedulerRuns.Wait);

        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        var s = ready.GetProperty("scheduler");
        Assert.Equal("running", s.GetProperty("status").GetString());
        Assert.Equal(start, s.GetProperty("lastSweepAt").GetDateTimeOffset());
        Assert.StartsWith("fired 0", s.GetProperty("lastSweep").GetString());

        f.Time.SetUtcNow(start.AddMinutes(5));
        await heartbeat.WaitForAsync(DeadlineSweepJob.Key, start.AddMinutes(5), SchedulerRuns.Wait);
        ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal(start.AddMinutes(5), ready.GetProperty("scheduler").GetProperty("lastSweepAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task HealthReady_ShouldSayDisabled_WhenSchedulerIsOff()
    {
        using var f = new BotFactory();
        var ready = await f.CreateClient().GetFromJsonAsync<JsonElement>("/health/ready");
        var s = ready.GetProperty("scheduler");
        Assert.Equal("disabled", s.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("lastSweepAt").ValueKind);
    }
}
