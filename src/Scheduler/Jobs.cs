using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using RapidResponse.Scheduler.Bulletins;
using RapidResponse.Scheduler.Duties;
using RapidResponse.Scheduler.Escalation;

namespace RapidResponse.Scheduler;

/// <summary>Runs a job body in its own DI scope (its own BotDb) on the app's clock, and records the run.</summary>
public abstract class ScopedJob(IServiceScopeFactory scopes, TimeProvider time, JobHeartbeat heartbeat, ILogger logger) : IJob
{
    protected abstract string Name { get; }

    protected abstract Task<string> RunAsync(IServiceProvider services, DateTimeOffset now, CancellationToken ct);

    public virtual async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var summary = await RunAsync(scope.ServiceProvider, now, cancellationToken);
            heartbeat.Record(new JobRun(Name, context.ScheduledFireTimeUtc ?? now, now, summary, false));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing was half-saved: every unit of work commits in one SaveChanges. The next run retries.
            logger.LogError(e, "Scheduler job {Job} failed at {Now}", Name, now);
            heartbeat.Record(new JobRun(Name, context.ScheduledFireTimeUtc ?? now, now, e.Message, true));
        }
    }
}

/// <summary>Every minute: fires due nags and escalations, and creates and verifies the automatic score items.</summary>
[DisallowConcurrentExecution]
public sealed class DeadlineSweepJob(IServiceScopeFactory scopes, TimeProvider time, JobHeartbeat heartbeat, SweepWarmUp warmUp, ILogger<DeadlineSweepJob> logger)
    : ScopedJob(scopes, time, heartbeat, logger)
{
    public const string Key = "deadline-sweep";
    protected override string Name => Key;

    public override async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        // The first run after a start waits for the warm-up (at most SweepWarmUp.MaxWait), so it runs warm.
        await warmUp.WaitAsync(cancellationToken);
        await base.Execute(context, cancellationToken);
    }

    protected override async Task<string> RunAsync(IServiceProvider services, DateTimeOffset now, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            var summary = (await services.GetRequiredService<DeadlineSweep>().RunAsync(now, ct)).ToString();
            var notices = await services.GetRequiredService<Escalation.FarmerNoticeSweep>().RunAsync(now, ct);
            outcome = "ok";
            return notices > 0 ? $"{summary}; 告知农户 {notices}" : summary;
        }
        finally
        {
            SchedulerMetrics.SweepDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}

/// <summary>Daily at the bulletin time: posts the monthly (and at a quarter's start the quarterly) bulletin once per period.</summary>
[DisallowConcurrentExecution]
public sealed class BulletinJob(IServiceScopeFactory scopes, TimeProvider time, JobHeartbeat heartbeat, ILogger<BulletinJob> logger)
    : ScopedJob(scopes, time, heartbeat, logger)
{
    public const string Key = "bulletins";
    protected override string Name => Key;

    protected override async Task<string> RunAsync(IServiceProvider services, DateTimeOffset now, CancellationToken ct) =>
        await services.GetRequiredService<BulletinPublisher>().RunDueAsync(now, ct);
}

/// <summary>Daily at the duty time: screening, self-check and report reminders, and the missing-report list.</summary>
[DisallowConcurrentExecution]
public sealed class DutyReminderJob(IServiceScopeFactory scopes, TimeProvider time, JobHeartbeat heartbeat, ILogger<DutyReminderJob> logger)
    : ScopedJob(scopes, time, heartbeat, logger)
{
    public const string Key = "duty-reminders";
    protected override string Name => Key;

    protected override async Task<string> RunAsync(IServiceProvider services, DateTimeOffset now, CancellationToken ct) =>
        await services.GetRequiredService<DutyReminders>().RunAsync(now, ct);
}
