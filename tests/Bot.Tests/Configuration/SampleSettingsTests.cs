using System.Reflection;
using Microsoft.Extensions.Configuration;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Outbox;
using RapidResponse.Bot.Sandbox;
using RapidResponse.Bot.WeCom;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Scheduler;

namespace RapidResponse.Bot.Tests.Configuration;

/// <summary>appsettings.sample.json shows every setting the bot reads, and its non-secret values are valid as written.</summary>
public sealed class SampleSettingsTests
{
    private static IConfigurationRoot Sample()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var f = Path.Combine(d.FullName, "appsettings.sample.json");
            if (File.Exists(f)) return new ConfigurationBuilder().AddJsonFile(f).Build();
        }
        throw new FileNotFoundException("appsettings.sample.json not found above " + AppContext.BaseDirectory);
    }

    public static TheoryData<string, Type> Sections() => new()
    {
        { "WeCom", typeof(WeComOptions) },
        { "WeCom:Kf", typeof(WeComKfOptions) },
        { "WeCom:CallbackLimit", typeof(RapidResponse.Bot.WeCom.Callbacks.WeComCallbackLimitOptions) },
        { RapidResponse.Bot.Inbox.PrivacyOptions.Section, typeof(RapidResponse.Bot.Inbox.PrivacyOptions) },
        { "Outbox", typeof(OutboxOptions) },
        { "Scheduler", typeof(SchedulerOptions) },
        { ScreeningOptions.Section, typeof(ScreeningOptions) },
        { "Conversations", typeof(ConversationOptions) },
        { RapidResponse.Bot.Evidence.MediaOptions.Section, typeof(RapidResponse.Bot.Evidence.MediaOptions) },
        { SandboxOptions.Section, typeof(SandboxOptions) },
        { RapidResponse.Bot.Metrics.MetricsOptions.Section, typeof(RapidResponse.Bot.Metrics.MetricsOptions) },
        { RapidResponse.Bot.Cases.TimelineOptions.Section, typeof(RapidResponse.Bot.Cases.TimelineOptions) },
        { RapidResponse.Bot.Cases.CalendarOptions.Section, typeof(RapidResponse.Bot.Cases.CalendarOptions) },
        { RapidResponse.Bot.Cases.TemplatesOptions.Section, typeof(RapidResponse.Bot.Cases.TemplatesOptions) },
        { RapidResponse.Domain.Routing.RoutingOptions.Section, typeof(RapidResponse.Domain.Routing.RoutingOptions) },
        { RapidResponse.Bot.Persistence.DatabaseOptions.Section, typeof(RapidResponse.Bot.Persistence.DatabaseOptions) },
        { RapidResponse.Bot.Admin.AdminOptions.Section, typeof(RapidResponse.Bot.Admin.AdminOptions) },
        { RapidResponse.Bot.CountyConsole.ConsoleOptions.Section, typeof(RapidResponse.Bot.CountyConsole.ConsoleOptions) },
        { RapidResponse.Bot.Charts.ChartsOptions.Section, typeof(RapidResponse.Bot.Charts.ChartsOptions) },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void Sample_ShouldShowEverySetting_WhenAnOptionsClassHasIt(string section, Type options)
    {
        var shown = Sample().GetSection(section).GetChildren().Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var settable = options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name);
        var missing = settable.Where(name => !shown.Contains(name)).ToList();
        Assert.True(missing.Count == 0, $"{section}: not in appsettings.sample.json: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Sample_ShouldValidate_WhenOutboxAndSchedulerAreBoundAsWritten()
    {
        var c = Sample();
        var outbox = c.GetSection(OutboxOptions.SectionName).Get<OutboxOptions>()!;
        var scheduler = RapidResponse.Bot.Hosting.ValidatedOptions.Read<SchedulerOptions>(c, "Scheduler"); // as the host binds it
        var o = new OutboxOptionsValidator().Validate(null, outbox);
        var s = new SchedulerOptionsValidator().Validate(null, scheduler);
        Assert.True(o.Succeeded, o.FailureMessage);
        Assert.True(s.Succeeded, s.FailureMessage);
        Assert.Equal(TimeSpan.FromMinutes(2), outbox.ClaimDuration);
        Assert.Equal(1000, scheduler.SweepBatchSize);
        Assert.Equal(new TimeOnly(9, 10), scheduler.BulletinTime);
        Assert.Equal([5, 9], scheduler.ScreeningReminderDays);
        foreach (var r in new[]
        {
            new ConversationOptionsValidator().Validate(null, c.GetSection(ConversationOptions.Section).Get<ConversationOptions>()!),
            new RapidResponse.Bot.Cases.RoutingOptionsValidator().Validate(null, c.GetSection("Routing").Get<RapidResponse.Domain.Routing.RoutingOptions>()!),
            new RapidResponse.Bot.Cases.TimelineOptionsValidator().Validate(null, c.GetSection("Timeline").Get<RapidResponse.Bot.Cases.TimelineOptions>()!),
            new RapidResponse.Bot.Persistence.DatabaseOptionsValidator(c).Validate(null, c.GetSection("Database").Get<RapidResponse.Bot.Persistence.DatabaseOptions>()!),
            new SandboxOptionsValidator().Validate(null, c.GetSection(SandboxOptions.Section).Get<SandboxOptions>()!),
            new RapidResponse.Bot.CountyConsole.ConsoleOptionsValidator().Validate(null, c.GetSection("Console").Get<RapidResponse.Bot.CountyConsole.ConsoleOptions>()!),
            new RapidResponse.Bot.Charts.ChartsOptionsValidator().Validate(null, c.GetSection("Charts").Get<RapidResponse.Bot.Charts.ChartsOptions>()!),
        })
            Assert.True(r.Succeeded, r.FailureMessage);
    }

    [Fact]
    public void SampleRateLimits_ShouldBeTheDocumentedNumbers_WhenParsed()
    {
        var wecom = Sample().GetSection(WeComOptions.SectionName).Get<WeComOptions>()!;
        var configured = RateLimits.Configured(wecom.RateLimits);
        foreach (var (scope, windows) in RateLimits.Windows)
            Assert.Equal(windows, configured[scope]);
        Assert.Equal(4, wecom.RateLimits.Count);
    }
}
