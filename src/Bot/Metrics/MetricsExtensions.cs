using OpenTelemetry.Metrics;
using RapidResponse.Bot.WeCom;
using RapidResponse.Scheduler;

namespace RapidResponse.Bot.Metrics;

/// <summary>`Metrics:Enabled`: turns the bot's meters on and serves them in Prometheus text format at /metrics.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serve /metrics (no authentication: expose it on an internal address only). Off by default.</summary>
    public bool Enabled { get; set; }
}

public static class MetricsExtensions
{
    public static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>()?.Enabled ?? false;

    public static WebApplicationBuilder AddMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateOnStart(); // a bool: nothing else to check
        if (!IsEnabled(builder.Configuration)) return builder;
        builder.Services.AddSingleton<DatabaseGauges>();
        builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(BotMetrics.MeterName, WeComMetrics.MeterName, SchedulerMetrics.MeterName)
            .AddPrometheusExporter());
        return builder;
    }

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        if (!IsEnabled(app.ServiceProvider.GetRequiredService<IConfiguration>())) return app;
        app.ServiceProvider.GetRequiredService<DatabaseGauges>(); // creates the gauges before the first scrape
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
