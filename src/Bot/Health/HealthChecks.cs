using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Scheduler;

namespace RapidResponse.Bot.Health;

// Checks run in parallel: each one that reads the database takes its own scope (its own BotDb).

/// <summary>The database answers and every migration is applied; otherwise the host is not ready.</summary>
public sealed class DatabaseHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public const string Name = "database";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        bool reachable;
        IReadOnlyList<string> pending = [];
        Exception? error = null;
        try
        {
            reachable = await db.Database.CanConnectAsync(ct);
            if (reachable) pending = [.. await db.Database.GetPendingMigrationsAsync(ct)];
        }
        catch (Exception e) when (e is not OperationCanceledException) { reachable = false; error = e; }
        var data = new Dictionary<string, object> { ["reachable"] = reachable, ["pendingMigrations"] = pending };
        if (!reachable) return HealthCheckResult.Unhealthy("database unreachable", error, data);
        return pending.Count == 0 ? HealthCheckResult.Healthy("database reachable, migrations applied", data)
            : HealthCheckResult.Unhealthy($"{pending.Count} migrations pending", null, data);
    }
}

/// <summary>State Council holiday data for this year and the next; a missing year is a warning (plain weekends assumed).</summary>
public sealed class HolidayDataHealthCheck(WorkingCalendar calendar, TimeProvider time) : IHealthCheck
{
    public const string Name = "holidays";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var year = ChinaTime.DateOf(time.GetUtcNow()).Year;
        var warnings = calendar.WarningsFor(year, year + 1);
        var data = new Dictionary<string, object> { ["years"] = new[] { year, year + 1 }, [HealthTags.Warnings] = warnings };
        return Task.FromResult(warnings.Count == 0
            ? HealthCheckResult.Healthy($"holiday data for {year} and {year + 1}", data)
            : HealthCheckResult.Degraded(string.Join("; ", warnings), null, data));
    }
}

/// <summary>
/// The deadline sweep's heartbeat: a failing last sweep or none for three sweep intervals is a warning; a disabled
/// scheduler (the import and bulletin commands, Scheduler:Enabled=false) is fine.
/// </summary>
public sealed class SchedulerHealthCheck(IServiceProvider services, TimeProvider time) : IHealthCheck
{
    public const string Name = "scheduler";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        // Resolved optionally: the import and bulletin commands build the host without AddScheduler.
        var options = services.GetService<IOptions<SchedulerOptions>>()?.Value;
        if (options is not { Enabled: true } || services.GetService<JobHeartbeat>() is not { } heartbeat)
            return Task.FromResult(HealthCheckResult.Healthy("scheduler disabled", Data("disabled", null, null)));
        var last = heartbeat.Runs.LastOrDefault(r => r.Job == DeadlineSweepJob.Key);
        if (last is null) return Task.FromResult(HealthCheckResult.Healthy("no sweep yet", Data("starting", null, null)));
        var quiet = time.GetUtcNow() - last.RanAt;
        if (last.Failed)
            return Task.FromResult(HealthCheckResult.Degraded($"the last deadline sweep ({last.RanAt:O}) failed: {last.Summary}", null,
                Data("failing", last.RanAt, last.Summary)));
        if (quiet > 3 * options.SweepInterval)
            return Task.FromResult(HealthCheckResult.Degraded($"no deadline sweep since {last.RanAt:O} ({quiet.TotalMinutes:F0} min; it runs every {options.SweepInterval})", null,
                Data("stale", last.RanAt, last.Summary)));
        return Task.FromResult(HealthCheckResult.Healthy("deadline sweep running", Data("running", last.RanAt, last.Summary)));
    }

    private static Dictionary<string, object> Data(string status, DateTimeOffset? at, string? summary)
    {
        var d = new Dictionary<string, object> { ["status"] = status };
        if (at is { } a) d["lastSweepAt"] = a;
        if (summary is not null) d["lastSweep"] = summary;
        return d;
    }
}

/// <summary>Outbox pending and dead counts; a dead message (given up after its retries) is a warning until it is resent or dropped.</summary>
public sealed class OutboxHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public const string Name = "outbox";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (pending, dead) = await OutboxCounts.ReadAsync(scope.ServiceProvider.GetRequiredService<BotDb>(), ct);
        var data = new Dictionary<string, object> { ["pending"] = pending, ["dead"] = dead };
        return dead == 0 ? HealthCheckResult.Healthy($"{pending} pending, none dead", data)
            : HealthCheckResult.Degraded($"{dead} outbox messages are dead (GET /api/outbox?status=dead lists them)", null, data);
    }
}

/// <summary>The outbox figures health and metrics report.</summary>
public static class OutboxCounts
{
    public static async Task<(int Pending, int Dead)> ReadAsync(BotDb db, CancellationToken ct)
    {
        var counts = await db.Outbox.AsNoTracking().Where(m => m.Status == OutboxStatus.Pending || m.Status == OutboxStatus.Sending || m.Status == OutboxStatus.Dead)
            .GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return (counts.Where(c => c.Key is OutboxStatus.Pending or OutboxStatus.Sending).Sum(c => c.Count),
            counts.Where(c => c.Key == OutboxStatus.Dead).Sum(c => c.Count));
    }
}
