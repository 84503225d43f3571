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
        { "Outbox", typeof(OutboxOptions) },
        { "Scheduler", typeof(SchedulerOptions) },
        { ScreeningOptions.Section, typeof(ScreeningOptions) },
        { "Conversations", typeof(ConversationOptions) },
        { SandboxOptions.Section, typeof(SandboxOptions) },
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
        var scheduler = c.GetSection("Scheduler").Get<SchedulerOptions>()!;
        var o = new OutboxOptionsValidator().Validate(null, outbox);
        var s = new SchedulerOptionsValidator().Validate(null, scheduler);
        Assert.True(o.Succeeded, o.FailureMessage);
        Assert.True(s.Succeeded, s.FailureMessage);
        Assert.Equal(TimeSpan.FromMinutes(2), outbox.ClaimDuration);
        Assert.Equal(1000, scheduler.SweepBatchSize);
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
