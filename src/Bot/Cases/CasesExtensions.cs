using RapidResponse.Bot.Hosting;
using Microsoft.Extensions.Options;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Routing;
using RapidResponse.Domain.Templates;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Bot.Cases;

/// <summary>Registers the case domain: calendar, timeline profile, routing, workflow.</summary>
public static class CasesExtensions
{
    public static WebApplicationBuilder AddCases(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddValidatedOptions<TimelineOptions, TimelineOptionsValidator>(TimelineOptions.Section);
        s.AddValidatedOptions<CalendarOptions, CalendarOptionsValidator>(CalendarOptions.Section);
        s.AddValidatedOptions<TemplatesOptions, TemplatesOptionsValidator>(TemplatesOptions.Section);
        s.AddValidatedOptions<RoutingOptions, RoutingOptionsValidator>(RoutingOptions.Section);
        // The calendar and the templates read their section unvalidated: a bad value is reported at start-up together with
        // every other one, not by the first service that happens to be resolved.
        s.AddSingleton(TimeProvider.System);
        s.AddSingleton(sp =>
        {
            var cal = WorkingCalendar.LoadDefault(builder.Configuration.Read<CalendarOptions>(CalendarOptions.Section).ExtraDirectory);
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Calendar");
            cal.MissingYear += y => log.LogWarning("No State Council holiday data for {Year}: plain weekends assumed until {Year}.json is put in the folder named by Calendar:ExtraDirectory", y, y);
            return cal;
        });
        // An invalid profile stops start-up with every problem listed (InvalidProfileException).
        var profile = ProfileLoader.Load(builder.Configuration.Read<TimelineOptions>(TimelineOptions.Section).Profile);
        s.AddSingleton(new ProfileRegistry(profile));
        s.AddSingleton(profile);
        s.AddScoped<StageRouter>();
        s.AddScoped<CaseWorkflow>();
        s.AddHostedService<CalendarStartupCheck>();
        s.AddSingleton(sp => new CalendarReloader(sp.GetRequiredService<WorkingCalendar>(), sp.GetRequiredService<IServiceScopeFactory>(),
            builder.Configuration.Read<CalendarOptions>(CalendarOptions.Section), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CalendarReloader>>()));
        s.AddHostedService(sp => sp.GetRequiredService<CalendarReloader>());
        s.AddSingleton(sp => new TemplateRenderer(TemplatesDirectory(builder.Configuration.Read<TemplatesOptions>(TemplatesOptions.Section).Directory, builder.Environment.ContentRootPath)));
        s.AddHostedService<TemplatesStartupCheck>();
        return builder;
    }

    /// <summary>After the migration, before anything computes a deadline: the holiday years uploaded on the console join the calendar.</summary>
    public static Task LoadHolidayYearsAsync(this IServiceProvider services, CancellationToken ct = default) =>
        services.GetRequiredService<CalendarReloader>().ReloadAsync(force: true, ct);

    /// <summary>`Templates:Directory`, else the nearest `templates/` above the content root (the repo's, editable), else the copy beside the binaries.</summary>
    public static string TemplatesDirectory(string? configured, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured, contentRoot);
        for (var d = new DirectoryInfo(contentRoot); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "templates");
            if (File.Exists(Path.Combine(candidate, "README.md"))) return candidate;
        }
        return Path.Combine(AppContext.BaseDirectory, "templates");
    }
}

/// <summary>Says at start-up, in the log, when this or next year has no State Council holiday data (never silently).</summary>
internal sealed class CalendarStartupCheck(WorkingCalendar calendar, TimeProvider time) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var year = ChinaTime.DateOf(time.GetUtcNow()).Year;
        calendar.WarningsFor(year, year + 1); // the MissingYear handler logs each missing year once
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Parses every template at start-up: a broken file stops the host with its name and line, not at first use.</summary>
internal sealed class TemplatesStartupCheck(TemplateRenderer templates, ILogger<TemplatesStartupCheck> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var names = templates.CheckAll();
        log.LogInformation("{Count} templates in {Directory} parse", names.Count, templates.Directory);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
