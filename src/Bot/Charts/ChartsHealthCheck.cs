using Microsoft.Extensions.Diagnostics.HealthChecks;
using RapidResponse.Scheduler.Bulletins;

namespace RapidResponse.Bot.Charts;

/// <summary>Bulletin pictures can be painted (a CJK font is there); otherwise a warning that says why and that the text goes alone.</summary>
public sealed class ChartsHealthCheck(IChartPainter painter) : IHealthCheck
{
    public const string Name = "charts";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var font = (painter as SkiaChartPainter)?.FontSource;
        var data = new Dictionary<string, object> { ["font"] = font ?? "" };
        if (painter.Problem is { } problem)
        {
            data[Health.HealthTags.Warnings] = new[] { problem };
            return Task.FromResult(HealthCheckResult.Degraded(problem, null, data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"bulletin charts painted with {font}", data));
    }
}
