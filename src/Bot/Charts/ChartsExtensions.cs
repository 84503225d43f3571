using Microsoft.Extensions.DependencyInjection.Extensions;
using RapidResponse.Bot.Hosting;
using RapidResponse.Scheduler.Bulletins;

namespace RapidResponse.Bot.Charts;

/// <summary>Composition of the bulletin pictures: <c>builder.AddCharts()</c> before <c>AddScheduler()</c>.</summary>
public static class ChartsExtensions
{
    public static WebApplicationBuilder AddCharts(this WebApplicationBuilder b)
    {
        b.Services.AddValidatedOptions<ChartsOptions, ChartsOptionsValidator>(ChartsOptions.Section);
        b.Services.TryAddSingleton<SkiaChartPainter>();
        b.Services.TryAddSingleton<IChartPainter>(sp => sp.GetRequiredService<SkiaChartPainter>());
        b.Services.AddHealthChecks().AddCheck<ChartsHealthCheck>(ChartsHealthCheck.Name, tags: [Health.HealthTags.Ready]);
        return b;
    }
}
