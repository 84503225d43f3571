using RapidResponse.Domain.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using RapidResponse.Domain.Bulletins;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Timelines;
using RapidResponse.Scheduler.Bulletins;
using RapidResponse.Scheduler.Duties;
using RapidResponse.Scheduler.Escalation;

namespace RapidResponse.Scheduler;

/// <summary>
/// Registers the scheduler: Quartz with a persistent ADO.NET store in the bot's database (tables created by Quartz) —
/// the SQLite file, or on PostgreSQL a cluster of every instance sharing the database, each job fired by exactly one —
/// on the app's <see cref="TimeProvider"/>, with the deadline sweep, bulletin and duty-reminder jobs.
/// Needs AddBotDatabase and AddCases first (BotDb, calendar, profiles, templates).
/// </summary>
public static class SchedulerExtensions
{
    public static WebApplicationBuilder AddScheduler(this WebApplicationBuilder b)
    {
        var s = b.Services;
        s.AddOptions<SchedulerOptions>()
            .Configure<IConfiguration>((o, c) => ConfiguredCollections.Clear(o, c, SchedulerOptions.Section)) // configured days replace the defaults
            .BindConfiguration(SchedulerOptions.Section).ValidateOnStart();
        s.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>());
        s.TryAddSingleton<JobHeartbeat>();
        s.AddSingleton<SendWindow>();
        s.AddSingleton<LadderTexts>();
        s.AddSingleton<BulletinViews>();
        s.TryAddSingleton<IChartPainter, NoChartPainter>();
        s.AddScoped<Scoring.ScoreSweep>();
        s.AddOptions<ScreeningOptions>().BindConfiguration(ScreeningOptions.Section);
        s.AddScoped<DeadlineSweep>();
        s.AddScoped<FarmerNoticeSweep>();
        s.TryAddSingleton<SweepWarmUp>();
        s.AddScoped<DutyReminders>();
        s.AddScoped<BulletinPublisher>();
        s.AddScoped(sp => new MonthlyBulletinQuery(sp.GetRequiredService<BotDb>(), sp.GetRequiredService<WorkingCalendar>(),
            sp.GetRequiredService<ProfileRegistry>().Current) { ReportDueDay = sp.GetRequiredService<IOptions<SchedulerOptions>>().Value.ReportDueDay });
        s.AddScoped<QuarterlyBulletinQuery>();

        var o = new SchedulerOptions();
        ConfiguredCollections.Clear(o, b.Configuration, SchedulerOptions.Section);
        b.Configuration.GetSection(SchedulerOptions.Section).Bind(o);
        if (!o.Enabled) return b;
        var bulletinAt = o.BulletinTime;
        var dutyAt = o.DutyReminderTime;
        var provider = DatabaseProviders.Parse(b.Configuration[DatabaseProviders.ConfigKey]);
        var configured = b.Configuration.GetConnectionString("Bot");

        s.AddQuartz(q =>
        {
            // In a cluster every instance uses the same name (it keys the QRTZ_ rows) and its own generated instance id.
            // Quartz 4.7's scheduler repository belongs to the container, so clustered hosts in one process (tests) coexist.
            q.ConfigureScheduler(x =>
            {
                x.InstanceName = o.InstanceName;
                if (!string.IsNullOrWhiteSpace(o.InstanceId)) x.InstanceId = o.InstanceId;
            });
            // The app's TimeProvider (FakeTimeProvider in tests) is taken from the container; stated here for the reader.
            q.UsePersistentStore(store =>
            {
                if (provider == DatabaseProvider.Postgres)
                {
                    store.UsePostgres(NpgsqlFactory.Instance, configured!);
                    // Check-ins let the others notice a dead instance and recover its triggers (UseClustering turns on
                    // database locks and, unless Scheduler:InstanceId is set, an instance id generated per process).
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = o.ClusterCheckinInterval;
                        c.CheckinMisfireThreshold = o.ClusterCheckinMisfireThreshold;
                    });
                }
                else
                {
                    store.UseSqlite(SqliteFactory.Instance, SqliteFiles.ConnectionString(configured, b.Environment.ContentRootPath));
                }
                store.ProvisionSchema();
            });
            // Missed runs collapse: after downtime the sweep runs once now and carries on, it does not replay every minute.
            q.ScheduleJob<DeadlineSweepJob>(
                t => t.WithIdentity(DeadlineSweepJob.Key).StartNow()
                    .WithSimpleSchedule(x => x.WithInterval(o.SweepInterval).RepeatForever()
                        .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount)),
                j => j.WithIdentity(DeadlineSweepJob.Key));
            q.ScheduleJob<BulletinJob>(
                t => t.WithIdentity(BulletinJob.Key)
                    .WithCronSchedule(Daily(bulletinAt), c => c.InTimeZone(ChinaTime.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
                j => j.WithIdentity(BulletinJob.Key));
            q.ScheduleJob<DutyReminderJob>(
                t => t.WithIdentity(DutyReminderJob.Key)
                    .WithCronSchedule(Daily(dutyAt), c => c.InTimeZone(ChinaTime.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
                j => j.WithIdentity(DutyReminderJob.Key));
            // At start-up the daily jobs run once more: a restart replaces their cron triggers (next fire time from now), so
            // a host that was down at the bulletin or duty time would otherwise skip the day. Both jobs check the time of day
            // and their ledger / dedupe keys, so this run sends only what is due and not yet sent.
            q.AddTrigger(t => t.ForJob(BulletinJob.Key).WithIdentity(BulletinJob.Key + "-at-start").StartNow());
            q.AddTrigger(t => t.ForJob(DutyReminderJob.Key).WithIdentity(DutyReminderJob.Key + "-at-start").StartNow());
        });
        // The sweep's queries and texts warmed in the background as the host starts; the sweep job's first run waits for it.
        s.AddHostedService<SweepWarmUpService>();
        s.AddQuartzHostedService(h => h.WaitForJobsToComplete = true);
        return b;
    }

    private static string Daily(TimeOnly t) => $"0 {t.Minute} {t.Hour} * * ?";

}
