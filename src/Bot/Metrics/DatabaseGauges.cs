using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Health;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Metrics;

/// <summary>
/// Gauges read from the database when /metrics is scraped: outbox pending and dead, open and overdue stages. One read
/// serves every gauge for <see cref="MaxAge"/>, so a scraper polling every few seconds costs four counts per interval.
/// Created only when Metrics:Enabled is true.
/// </summary>
public sealed class DatabaseGauges : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ILogger<DatabaseGauges> _log;
    private readonly Meter _meter;
    private readonly Lock _gate = new();
    private Snapshot? _last;
    private long _readAt;

    private sealed record Snapshot(int OutboxPending, int OutboxDead, int OpenStages, int OverdueStages);

    public DatabaseGauges(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider time, ILogger<DatabaseGauges> log)
    {
        _scopes = scopes;
        _time = time;
        _log = log;
        _meter = meters.Create(BotMetrics.MeterName);
        _meter.CreateObservableGauge("rrb.outbox.pending", () => Measure(s => s.OutboxPending), "{message}", "Outbox messages waiting or being sent");
        _meter.CreateObservableGauge("rrb.outbox.dead", () => Measure(s => s.OutboxDead), "{message}", "Outbox messages given up after their retries");
        _meter.CreateObservableGauge("rrb.stages.open", () => Measure(s => s.OpenStages), "{stage}", "Case stages not yet completed");
        _meter.CreateObservableGauge("rrb.stages.overdue", () => Measure(s => s.OverdueStages), "{stage}", "Open case stages past their deadline");
    }

    private IEnumerable<Measurement<int>> Measure(Func<Snapshot, int> pick) => Read() is { } s ? [new Measurement<int>(pick(s))] : [];

    private Snapshot? Read()
    {
        lock (_gate)
        {
            if (_last is not null && System.Diagnostics.Stopwatch.GetElapsedTime(_readAt) < MaxAge) return _last;
            try
            {
                using var scope = _scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<BotDb>();
                var now = _time.GetUtcNow();
                var (pending, dead) = OutboxCounts.ReadAsync(db, CancellationToken.None).GetAwaiter().GetResult();
                var open = db.Stages.AsNoTracking().Count(s => s.CompletedAt == null);
                var overdue = db.Stages.AsNoTracking().Count(s => s.CompletedAt == null && s.DueAt != null && s.DueAt < now);
                _last = new Snapshot(pending, dead, open, overdue);
                _readAt = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            catch (Exception e)
            {
                // A scrape during a database outage reports no value rather than a stale one; /health/ready says why.
                _log.LogWarning(e, "Metrics: database gauges could not be read");
                _last = null;
            }
            return _last;
        }
    }

    public void Dispose() => _meter.Dispose();
}
