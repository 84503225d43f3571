using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RapidResponse.Bot.Health;

/// <summary>
/// GET /health/live and /health/ready on ASP.NET Core health checks. Ready runs every check tagged
/// <see cref="HealthTags.Ready"/>: database and migrations, holiday-data years, scheduler heartbeat, outbox counts — and any
/// check another part registers with that tag (the outbox circuits, for one): Unhealthy makes the host not-ready (503),
/// Degraded adds its warnings (200, "ready-with-warnings"), and every check's status and data appear under "checks".
/// </summary>
public static class HealthEndpoints
{
    public sealed record Readiness(string Status, bool Database, IReadOnlyList<string> PendingMigrations, IReadOnlyList<string> Warnings,
        SchedulerStatus Scheduler, OutboxFigures Outbox, IReadOnlyDictionary<string, CheckResult> Checks);

    /// <summary>
    /// The Quartz scheduler as the health check sees it: "disabled" (Scheduler:Enabled false or not registered), "starting"
    /// (no sweep yet), "running" (last sweep fine), "failing" (last sweep threw) or "stale" (no sweep for three intervals);
    /// with the last sweep's time on the app's clock. Failing or stale is a warning, never not-ready.
    /// </summary>
    public sealed record SchedulerStatus(string Status, DateTimeOffset? LastSweepAt, string? LastSweep);

    /// <summary>Messages waiting to leave (pending or being sent) and messages given up on (dead).</summary>
    public sealed record OutboxFigures(int Pending, int Dead);

    /// <summary>One health check: "Healthy", "Degraded" or "Unhealthy", what it says, and its figures.</summary>
    public sealed record CheckResult(string Status, string? Description, IReadOnlyDictionary<string, object> Data);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Registers the checks of /health/ready; add more with <c>AddHealthChecks().AddCheck&lt;T&gt;(name, tags: [HealthTags.Ready])</c>.</summary>
    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name, tags: [HealthTags.Ready])
            .AddCheck<HolidayDataHealthCheck>(HolidayDataHealthCheck.Name, tags: [HealthTags.Ready])
            .AddCheck<SchedulerHealthCheck>(SchedulerHealthCheck.Name, tags: [HealthTags.Ready])
            .AddCheck<OutboxHealthCheck>(OutboxHealthCheck.Name, tags: [HealthTags.Ready]);
        return builder;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // Live: the process answers; no check runs (a database outage must not get the process restarted).
        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (http, _) => http.Response.WriteAsJsonAsync(new { status = "live" }),
        });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(HealthTags.Ready),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = (http, report) => http.Response.WriteAsJsonAsync(ToReadiness(report), Json),
        });
        return app;
    }

    /// <summary>The report in the JSON shape /health/ready has always had, plus "outbox" and "checks".</summary>
    public static Readiness ToReadiness(HealthReport report)
    {
        var db = report.Entries.GetValueOrDefault(DatabaseHealthCheck.Name);
        var warnings = report.Entries.Values.Where(e => e.Status == HealthStatus.Degraded)
            .SelectMany(e => e.Data.TryGetValue(HealthTags.Warnings, out var w) && w is IEnumerable<string> list ? list : [e.Description ?? ""])
            .Where(w => w.Length > 0).ToList();
        var status = report.Status == HealthStatus.Unhealthy ? "not-ready" : warnings.Count == 0 ? "ready" : "ready-with-warnings";
        var scheduler = report.Entries.GetValueOrDefault(SchedulerHealthCheck.Name).Data;
        var outbox = report.Entries.GetValueOrDefault(OutboxHealthCheck.Name).Data;
        return new Readiness(
            status,
            db.Data?.GetValueOrDefault("reachable") is true,
            db.Data?.GetValueOrDefault("pendingMigrations") as IReadOnlyList<string> ?? [],
            warnings,
            new SchedulerStatus(scheduler?.GetValueOrDefault("status") as string ?? "disabled",
                scheduler?.GetValueOrDefault("lastSweepAt") as DateTimeOffset?, scheduler?.GetValueOrDefault("lastSweep") as string),
            new OutboxFigures(outbox?.GetValueOrDefault("pending") as int? ?? 0, outbox?.GetValueOrDefault("dead") as int? ?? 0),
            report.Entries.ToDictionary(e => e.Key, e => new CheckResult(e.Value.Status.ToString(), e.Value.Description,
                e.Value.Data.Where(d => d.Key != HealthTags.Warnings).ToDictionary(d => d.Key, d => d.Value))));
    }
}

/// <summary>Names shared by the health checks.</summary>
public static class HealthTags
{
    /// <summary>Checks with this tag run for /health/ready.</summary>
    public const string Ready = "ready";

    /// <summary>Data key of a Degraded check's warnings (IEnumerable&lt;string&gt;), listed one by one in "warnings".</summary>
    public const string Warnings = "warnings";
}
