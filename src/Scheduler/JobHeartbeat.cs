namespace RapidResponse.Scheduler;

/// <summary>One finished run of a scheduler job: when it was due, the clock when it ran, and what it did.</summary>
public sealed record JobRun(string Job, DateTimeOffset ScheduledFireTime, DateTimeOffset RanAt, string Summary, bool Failed);

/// <summary>
/// The last runs of every job, for health checks and for tests that advance a fake clock and then wait for the
/// real Quartz scheduler to have run a job at (or after) that instant.
/// </summary>
public sealed class JobHeartbeat
{
    private readonly Lock _gate = new();
    private readonly List<JobRun> _runs = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<JobRun> Runs { get { lock (_gate) return [.. _runs]; } }

    public void Record(JobRun run)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            _runs.Add(run);
            if (_runs.Count > 1000) _runs.RemoveRange(0, _runs.Count - 1000);
            done = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    /// <summary>Waits (in real time) for a run of <paramref name="job"/> that ran at or after <paramref name="ranAtOrAfter"/> on the scheduler's clock.</summary>
    public async Task<JobRun> WaitForAsync(string job, DateTimeOffset ranAtOrAfter, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var hit = _runs.LastOrDefault(r => r.Job == job && r.RanAt >= ranAtOrAfter);
                if (hit is not null) return hit;
                changed = _changed.Task;
            }
            try { await changed.WaitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"job '{job}' did not run at or after {ranAtOrAfter:O} within {timeout}; last runs: " +
                    string.Join("; ", Runs.TakeLast(5).Select(r => $"{r.Job}@{r.RanAt:O} {r.Summary}")));
            }
        }
    }
}
