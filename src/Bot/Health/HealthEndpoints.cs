using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.Outbox;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;
using RapidResponse.Scheduler;

namespace RapidResponse.Bot.Health;

/// <summary>GET /health/live and /health/ready (database reachable, migrations applied, calendar warnings, scheduler status).</summary>
public static class HealthEndpoints
{
    public sealed record Readiness(string Status, bool Database, IReadOnlyList<string> PendingMigrations, IReadOnlyList<string> Warnings,
        SchedulerStatus Scheduler)
    {
        /// <summary>Outbox channels stopped on a configuration fault (empty when all send); each makes the status "ready-with-warnings".</summary>
        public IReadOnlyList<OpenCircuit> Circuits { get; init; } = [];
    }

    /// <summary>
    /// The Quartz scheduler as the health check sees it: "disabled" (Scheduler:Enabled false or not registered), "starting"
    /// (no sweep yet), "running" (last sweep fine) or "failing" (last sweep threw); with the last sweep's time on the app's clock.
    /// Informational: it does not make the host not-ready.
    /// </summary>
    public sealed record SchedulerStatus(string Status, DateTimeOffset? LastSweepAt, string? LastSweep);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" }));
        app.MapGet("/health/ready", Ready);
        return app;
    }

    private static async Task<IResult> Ready(BotDb db, WorkingCalendar calendar, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var year = ChinaTime.DateOf(time.GetUtcNow()).Year;
        var warnings = calendar.WarningsFor(year, year + 1);
        bool reachable;
        IReadOnlyList<string> pending = [];
        try
        {
            reachable = await db.Database.CanConnectAsync(ct);
            if (reachable) pending = [.. await db.Database.GetPendingMigrationsAsync(ct)];
        }
        catch (Exception) { reachable = false; }
        var ok = reachable && pending.Count == 0;
        // Informational like the scheduler: a stopped channel needs an operator, not another instance.
        IReadOnlyList<OpenCircuit> circuits = [];
        if (reachable && http.RequestServices.GetService<IOutboxCircuits>() is { } outbox)
        {
            try { circuits = await outbox.OpenCircuitsAsync(ct); }
            catch (Exception) { circuits = []; }
        }
        var body = new Readiness(ok ? (warnings.Count == 0 && circuits.Count == 0 ? "ready" : "ready-with-warnings") : "not-ready", reachable, pending, warnings,
            Scheduler(http.RequestServices)) { Circuits = circuits };
        return ok ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Resolved optionally: the import and bulletin commands build the host without AddScheduler.</summary>
    private static SchedulerStatus Scheduler(IServiceProvider services)
    {
        var enabled = services.GetService<IOptions<SchedulerOptions>>()?.Value.Enabled ?? false;
        if (!enabled || services.GetService<JobHeartbeat>() is not { } heartbeat) return new SchedulerStatus("disabled", null, null);
        var last = heartbeat.Runs.LastOrDefault(r => r.Job == DeadlineSweepJob.Key);
        return last is null ? new SchedulerStatus("starting", null, null)
            : new SchedulerStatus(last.Failed ? "failing" : "running", last.RanAt, last.Summary);
    }
}
