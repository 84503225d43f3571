using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Bot.Admin;
using RapidResponse.Bot.Cases;
using RapidResponse.Bot.Persistence;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Scheduler;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>
/// A real web host built like Program.cs (AddBotDatabase + AddCases + AddScheduler) on 127.0.0.1 with a real SQLite file in
/// <see cref="Directory"/> and a <see cref="FakeTimeProvider"/> as the app's clock, which the real Quartz scheduler runs on.
/// Program.cs does not call AddScheduler yet (the lead adds it), so this host does not go through Program.
/// A second host on the same directory is a restart.
/// </summary>
internal sealed class SchedulerHost : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    /// <summary>These tests move one fake clock per host and wait on Quartz threads: they run one after another, not side by side.</summary>
    public const string Collection = "quartz-scheduler";

    private SchedulerHost(WebApplication app, string directory, FakeTimeProvider time)
    {
        App = app;
        Directory = directory;
        Time = time;
    }

    public WebApplication App { get; }
    public string Directory { get; }
    public FakeTimeProvider Time { get; }
    public IServiceProvider Services => App.Services;
    public JobHeartbeat Heartbeat => Services.GetRequiredService<JobHeartbeat>();
    public string BaseAddress => App.Urls.First();

    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "rrb-tests", "sched-" + Guid.NewGuid().ToString("N"));

    public static async Task<SchedulerHost> StartAsync(string directory, DateTimeOffset now, IDictionary<string, string?>? settings = null, FakeTimeProvider? time = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        time ??= new FakeTimeProvider(now);
        var b = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = directory, EnvironmentName = "Testing", Args = [] });
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(directory, "bot.db")}",
            ["Templates:Directory"] = TemplatesDirectory(),
            [$"Admin:Tokens:{Infrastructure.BotFactory.AdminTokenName}"] = Infrastructure.BotFactory.AdminToken,
            ["Logging:LogLevel:Default"] = "Warning",
            // One scheduler name per database: Quartz keeps job rows by name, so a restart on the same file finds its own jobs.
            ["Scheduler:InstanceName"] = "sched-" + Path.GetFileName(directory.TrimEnd('/')),
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) config[k] = v;
        b.Configuration.AddInMemoryCollection(config);
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.AddBotDatabase();
        b.AddCases();
        b.Services.RemoveAll<TimeProvider>();
        b.Services.AddSingleton<TimeProvider>(time);
        b.AddScheduler();
        var app = b.Build();
        await app.Services.MigrateDatabaseAsync();
        app.MapAdminGroup("/api").MapScoreEventEndpoints();
        await app.StartAsync();
        var host = new SchedulerHost(app, directory, time);
        // The daily jobs run once at start-up; wait for those runs so none of them lands after a test has moved the clock.
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SchedulerOptions>>().Value.Enabled)
        {
            var at = time.GetUtcNow();
            await host.Heartbeat.WaitForAsync(BulletinJob.Key, at, Wait);
            await host.Heartbeat.WaitForAsync(DutyReminderJob.Key, at, Wait);
        }
        return host;
    }

    /// <summary>Moves the fake clock to <paramref name="at"/> and waits until the real scheduler has run the sweep at that instant.</summary>
    public Task<JobRun> SweepAtAsync(DateTimeOffset at) => RunAtAsync(DeadlineSweepJob.Key, at);

    /// <summary>Moves the fake clock to <paramref name="at"/> and waits for a run of <paramref name="job"/> at or after it.</summary>
    public async Task<JobRun> RunAtAsync(string job, DateTimeOffset at)
    {
        if (at > Time.GetUtcNow()) Time.SetUtcNow(at);
        try { return await Heartbeat.WaitForAsync(job, at, TimeSpan.FromSeconds(3)); }
        catch (TimeoutException)
        {
            // Quartz's scheduler thread can arm its wait on the fake clock just after the jump (a race with SetUtcNow);
            // on a loaded machine it then sleeps until the clock moves again. Nudging it re-checks the triggers at the same instant.
            var factory = Services.GetRequiredService<Quartz.ISchedulerFactory>();
            var name = Services.GetRequiredService<IConfiguration>()["Scheduler:InstanceName"];
            var scheduler = (name is null ? null : await factory.LookupScheduler(name)) ?? await factory.GetScheduler();
            await scheduler.TriggerJob(new Quartz.JobKey(job));
            return await Heartbeat.WaitForAsync(job, at, Wait);
        }
    }

    /// <summary>Moves the fake clock to <paramref name="at"/>, fires <paramref name="job"/> once by hand and waits for that run to finish.</summary>
    /// <remarks>For instants at which no trigger is due: the run is awaited in full, so it cannot outlive the test step and see a later clock.</remarks>
    public async Task<JobRun> TriggerAtAsync(string job, DateTimeOffset at)
    {
        if (at > Time.GetUtcNow()) Time.SetUtcNow(at);
        var factory = Services.GetRequiredService<Quartz.ISchedulerFactory>();
        var name = Services.GetRequiredService<IConfiguration>()["Scheduler:InstanceName"];
        var scheduler = (name is null ? null : await factory.LookupScheduler(name)) ?? await factory.GetScheduler();
        await scheduler.TriggerJob(new Quartz.JobKey(job));
        return await Heartbeat.WaitForAsync(job, at, Wait);
    }

    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public async Task<List<OutboxMessage>> OutboxAsync()
    {
        await using var s = Scope();
        return await s.ServiceProvider.GetRequiredService<BotDb>().Outbox.AsNoTracking().OrderBy(o => o.Id).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public static string TemplatesDirectory()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var t = Path.Combine(d.FullName, "templates");
            if (File.Exists(Path.Combine(t, "nag.liquid"))) return t;
        }
        throw new DirectoryNotFoundException("templates/ with nag.liquid not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Scheduler tests run one at a time, never beside another host.</summary>
[CollectionDefinition(SchedulerHost.Collection, DisableParallelization = true)]
public sealed class SchedulerCollection;
