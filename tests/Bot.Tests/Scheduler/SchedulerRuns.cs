using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Scheduler;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>
/// The real app (<see cref="BotFactory"/> on Program) with its real Quartz scheduler on, running on the factory's
/// <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/>, and the steps scheduler tests take with it: move the
/// clock, wait for the job run. A second app on the same directory is a restart.
/// </summary>
internal static class SchedulerRuns
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    /// <summary>These tests move one fake clock per host and wait on Quartz threads: they run one after another, not side by side.</summary>
    public const string Collection = "quartz-scheduler";

    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "rrb-tests", "sched-" + Guid.NewGuid().ToString("N"));

    /// <summary>Starts the app on <paramref name="directory"/> at <paramref name="now"/> and waits for the daily jobs' start-up runs.</summary>
    public static async Task<BotFactory> StartAsync(string directory, DateTimeOffset now, IDictionary<string, string?>? settings = null)
    {
        var f = new BotFactory(now, directory);
        f.Settings["Scheduler:Enabled"] = "true";
        // One scheduler name per database: Quartz keeps job rows by name, so a restart on the same file finds its own jobs.
        f.Settings["Scheduler:InstanceName"] = "sched-" + Path.GetFileName(directory.TrimEnd('/'));
        f.Settings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) f.Settings[k] = v;
        f.StartServer();
        // The daily jobs run once at start-up; wait for those runs so none of them lands after a test has moved the clock.
        if (f.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SchedulerOptions>>().Value.Enabled)
        {
            var at = f.Time.GetUtcNow();
            await f.Heartbeat().WaitForAsync(BulletinJob.Key, at, Wait);
            await f.Heartbeat().WaitForAsync(DutyReminderJob.Key, at, Wait);
        }
        return f;
    }

    public static JobHeartbeat Heartbeat(this BotFactory f) => f.Services.GetRequiredService<JobHeartbeat>();

    /// <summary>Moves the fake clock to <paramref name="at"/> and waits until the real scheduler has run the sweep at that instant.</summary>
    public static Task<JobRun> SweepAtAsync(this BotFactory f, DateTimeOffset at) => f.RunAtAsync(DeadlineSweepJob.Key, at);

    /// <summary>Moves the fake clock to <paramref name="at"/> and waits for a run of <paramref name="job"/> at or after it.</summary>
    public static async Task<JobRun> RunAtAsync(this BotFactory f, string job, DateTimeOffset at)
    {
        if (at > f.Time.GetUtcNow()) f.Time.SetUtcNow(at);
        try { return await f.Heartbeat().WaitForAsync(job, at, TimeSpan.FromSeconds(3)); }
        catch (TimeoutException)
        {
            // Quartz's scheduler thread can arm its wait on the fake clock just after the jump (a race with SetUtcNow);
            // on a loaded machine it then sleeps until the clock moves again. Nudging it re-checks the triggers at the same instant.
            await (await SchedulerOf(f)).TriggerJob(new Quartz.JobKey(job));
            return await f.Heartbeat().WaitForAsync(job, at, Wait);
        }
    }

    /// <summary>Moves the fake clock to <paramref name="at"/>, fires <paramref name="job"/> once by hand and waits for that run to finish.</summary>
    /// <remarks>For instants at which no trigger is due: the run is awaited in full, so it cannot outlive the test step and see a later clock.</remarks>
    public static async Task<JobRun> TriggerAtAsync(this BotFactory f, string job, DateTimeOffset at)
    {
        if (at > f.Time.GetUtcNow()) f.Time.SetUtcNow(at);
        await (await SchedulerOf(f)).TriggerJob(new Quartz.JobKey(job));
        return await f.Heartbeat().WaitForAsync(job, at, Wait);
    }

    private static async Task<Quartz.IScheduler> SchedulerOf(BotFactory f)
    {
        var factory = f.Services.GetRequiredService<Quartz.ISchedulerFactory>();
        var name = f.Services.GetRequiredService<IConfiguration>()["Scheduler:InstanceName"];
        return (name is null ? null : await factory.LookupScheduler(name)) ?? await factory.GetScheduler();
    }

    public static AsyncServiceScope Scope(this BotFactory f) => f.Services.CreateAsyncScope();

    public static async Task<List<OutboxMessage>> OutboxAsync(this BotFactory f)
    {
        await using var s = f.Scope();
        return await s.ServiceProvider.GetRequiredService<BotDb>().Outbox.AsNoTracking().OrderBy(o => o.Id).ToListAsync();
    }
}

/// <summary>Scheduler tests run one at a time, never beside another host.</summary>
[CollectionDefinition(SchedulerRuns.Collection, DisableParallelization = true)]
public sealed class SchedulerCollection;
