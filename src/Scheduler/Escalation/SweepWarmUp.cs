using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RapidResponse.Domain.Calendar;

namespace RapidResponse.Scheduler.Escalation;

/// <summary>
/// Warms the deadline sweep once after a start (issue 16, item 7): the first sweep of a process used to pay EF Core's model
/// and query compilation and the JIT of its whole path (about 2 s of CPU on top of the sweep itself), while the bot's
/// writer waited for it. <see cref="SweepWarmUpService"/> runs it in the background as the host starts — it delays neither
/// the web server nor /health/live — and the sweep job waits for it before its first run. A failing warm-up is logged and
/// lets the sweep run cold; it never stops the bot.
/// </summary>
public sealed class SweepWarmUp(IServiceScopeFactory scopes, TimeProvider time, ILogger<SweepWarmUp> log)
{
    /// <summary>The sweep job waits at most this long for the warm-up before it runs anyway.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    /// <summary>An instant before any case could exist (a Tuesday in working hours): the warm-up's reads find nothing at it.</summary>
    public static readonly DateTimeOffset Before = ChinaTime.At(new DateOnly(2000, 1, 4), new TimeOnly(10, 0));

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the warm-up has run (or failed).</summary>
    public Task Done => _done.Task;

    /// <summary>How long the warm-up took; null until it has run.</summary>
    public TimeSpan? Took { get; private set; }

    public async Task RunAsync(CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var now = time.GetUtcNow();
            await scope.ServiceProvider.GetRequiredService<DeadlineSweep>().WarmUpAsync(Before, now, ct);
            await scope.ServiceProvider.GetRequiredService<FarmerNoticeSweep>().WarmUpAsync(Before, ct);
            Took = Stopwatch.GetElapsedTime(started);
            log.LogInformation("Deadline sweep warmed up in {Ms:F0} ms", Took.Value.TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Deadline sweep warm-up failed; the first sweep runs cold");
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    /// <summary>Waits for the warm-up, at most <see cref="MaxWait"/>.</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        if (_done.Task.IsCompleted) return;
        try
        {
            await _done.Task.WaitAsync(MaxWait, ct);
        }
        catch (TimeoutException)
        {
            log.LogWarning("Deadline sweep warm-up still running after {Wait}; sweeping anyway", MaxWait);
        }
    }
}

/// <summary>Runs <see cref="SweepWarmUp"/> in the background once the host starts.</summary>
public sealed class SweepWarmUpService(SweepWarmUp warmUp) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => warmUp.RunAsync(stoppingToken), stoppingToken);
}
