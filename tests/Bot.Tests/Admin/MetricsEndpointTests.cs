using System.Net;
using System.Text.RegularExpressions;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Admin;

/// <summary>/metrics in Prometheus text format when Metrics:Enabled=true, read after a real callback.</summary>
[Collection(Scheduler.SchedulerRuns.Collection)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_ShouldCountTheCallbackAndShowOutboxAndStages_AfterAFarmersReport()
    {
        using var f = new BotFactory().WithWeCom();
        f.Settings["Metrics:Enabled"] = "true";
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var farmer = new WeComUser(f, http, "villager_metrics");
        Assert.Equal(HttpStatusCode.OK, (await farmer.SayAsync($"申报\n姓名：刘一\n身份证号：{TestRoster.IdUnknown}\n村：李树\n困难类型：因病\n情况说明：住院花费大\n联系电话：13800009999")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await farmer.SayAsync("确认")).StatusCode);
        await farmer.PostAsync("<xml>not a callback</xml>"); // authentic, unparseable: counted as such
        // The receipt leaves through the outbox to the fake WeCom; wait until it has.
        for (var i = 0; i < 200; i++)
        {
            using var db = f.NewDb();
            if (!db.Outbox.Any(m => m.Status == Domain.Messaging.OutboxStatus.Pending || m.Status == Domain.Messaging.OutboxStatus.Sending)) break;
            await Task.Delay(50);
        }

        var text = await http.GetStringAsync("/metrics");
        Assert.True(Value(text, "rrb_wecom_callbacks_total", "result=\"new\"") >= 2, text);
        Assert.True(Value(text, "rrb_wecom_callbacks_total", "result=\"unparseable\"") >= 1, text);
        Assert.True(Value(text, "rrb_inbox_lag_seconds_count", "") >= 2, text);
        Assert.True(Value(text, "rrb_wecom_requests_total", "errcode=\"0\"") >= 1, text);
        // The report opened a case: its intake stage is open, not yet overdue.
        Assert.Equal(1, Value(text, "rrb_stages_open", ""));
        Assert.Equal(0, Value(text, "rrb_stages_overdue", ""));
        Assert.Equal(0, Value(text, "rrb_outbox_pending", ""));
        Assert.Equal(0, Value(text, "rrb_outbox_dead", ""));
    }

    [Fact]
    public async Task Metrics_ShouldNotExist_WhenDisabled()
    {
        using var f = new BotFactory();
        Assert.Equal(HttpStatusCode.NotFound, (await f.CreateClient().GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Metrics_ShouldTimeTheDeadlineSweep_WhenSchedulerRuns()
    {
        var start = new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));
        using var f = new BotFactory(start);
        f.Settings["Metrics:Enabled"] = "true";
        f.Settings["Scheduler:Enabled"] = "true";
        f.Settings["Scheduler:InstanceName"] = "metrics-sweep-test";
        var http = f.CreateClient();
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<RapidResponse.Scheduler.JobHeartbeat>(f.Services)
            .WaitForAsync(RapidResponse.Scheduler.DeadlineSweepJob.Key, start, Scheduler.SchedulerRuns.Wait);
        var text = await http.GetStringAsync("/metrics");
        Assert.True(Value(text, "rrb_sweep_duration_seconds_count", "outcome=\"ok\"") >= 1, text);
    }

    /// <summary>Sum of the samples of <paramref name="name"/> whose labels contain <paramref name="label"/>.</summary>
    private static double Value(string text, string name, string label) =>
        text.Split('\n').Where(l => !l.StartsWith('#'))
            .Select(l => Regex.Match(l, $@"^{name}(\{{(?<labels>[^}}]*)\}})? (?<v>\S+)"))
            .Where(m => m.Success && m.Groups["labels"].Value.Contains(label))
            .Sum(m => double.Parse(m.Groups["v"].Value, System.Globalization.CultureInfo.InvariantCulture));
}
