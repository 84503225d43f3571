using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.Cases;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Persistence;
using RapidResponse.Bot.Sandbox;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Routing;

namespace RapidResponse.Bot.Tests.Configuration;

/// <summary>One test per options class: every bad value is listed at once, the defaults pass, and a bad section stops the start.</summary>
public sealed class OptionsValidationTests
{
    private static void AssertLists<T>(ValidateOptionsResult r, params string[] keys)
    {
        Assert.True(r.Failed, typeof(T).Name + " should fail");
        foreach (var k in keys) Assert.Contains(r.Failures!, f => f.Contains(k));
        Assert.Equal(keys.Length, r.Failures!.Count());
    }

    [Fact]
    public void Conversations_ShouldListEveryBadValue()
    {
        var r = new ConversationOptionsValidator().Validate(null, new ConversationOptions
        {
            FormIdleTimeout = TimeSpan.FromSeconds(59), PollInterval = TimeSpan.FromSeconds(11), DefaultDeferralDays = 0,
        });
        AssertLists<ConversationOptions>(r, "Conversations:FormIdleTimeout", "Conversations:PollInterval", "Conversations:DefaultDeferralDays");
        Assert.True(new ConversationOptionsValidator().Validate(null, new ConversationOptions()).Succeeded);
        // At the edges: exactly one minute and one day are allowed, 30 deferral days too.
        Assert.True(new ConversationOptionsValidator().Validate(null, new ConversationOptions { FormIdleTimeout = TimeSpan.FromMinutes(1), DefaultDeferralDays = 30 }).Succeeded);
        Assert.True(new ConversationOptionsValidator().Validate(null, new ConversationOptions { FormIdleTimeout = TimeSpan.FromDays(1) }).Succeeded);
        Assert.True(new ConversationOptionsValidator().Validate(null, new ConversationOptions { FormIdleTimeout = TimeSpan.FromDays(1).Add(TimeSpan.FromTicks(1)) }).Failed);
    }

    [Fact]
    public void Timeline_ShouldListAnEmptyOrUnknownProfile()
    {
        AssertLists<TimelineOptions>(new TimelineOptionsValidator().Validate(null, new TimelineOptions { Profile = "" }), "Timeline:Profile");
        AssertLists<TimelineOptions>(new TimelineOptionsValidator().Validate(null, new TimelineOptions { Profile = "/nowhere/profile.json" }), "/nowhere/profile.json");
        Assert.True(new TimelineOptionsValidator().Validate(null, new TimelineOptions()).Succeeded);
        Assert.True(new TimelineOptionsValidator().Validate(null, new TimelineOptions { Profile = "FengDu" }).Succeeded);
    }

    [Fact]
    public void Calendar_ShouldListAMissingFolderAndBadlyNamedYears()
    {
        AssertLists<CalendarOptions>(new CalendarOptionsValidator().Validate(null, new CalendarOptions { ExtraDirectory = "/nowhere/holidays" }), "Calendar:ExtraDirectory");
        var dir = Directory.CreateTempSubdirectory("rrb-cal").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "2027.json"), "{}");
            File.WriteAllText(Path.Combine(dir, "holidays.json"), "{}");
            File.WriteAllText(Path.Combine(dir, "1999.json"), "{}");
            AssertLists<CalendarOptions>(new CalendarOptionsValidator().Validate(null, new CalendarOptions { ExtraDirectory = dir }), "'holidays.json'", "'1999.json'");
            Assert.True(new CalendarOptionsValidator().Validate(null, new CalendarOptions()).Succeeded);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Templates_ShouldListAMissingFolderOrOneWithoutTemplates()
    {
        var root = Directory.CreateTempSubdirectory("rrb-tplopt").FullName;
        try
        {
            var v = new TemplatesOptionsValidator(new Env(root));
            AssertLists<TemplatesOptions>(v.Validate(null, new TemplatesOptions { Directory = "missing" }), "Templates:Directory 'missing'");
            Directory.CreateDirectory(Path.Combine(root, "empty"));
            AssertLists<TemplatesOptions>(v.Validate(null, new TemplatesOptions { Directory = "empty" }), "no .liquid file");
            Directory.CreateDirectory(Path.Combine(root, "mine"));
            File.WriteAllText(Path.Combine(root, "mine", "nag.liquid"), "{{ x }}");
            Assert.True(v.Validate(null, new TemplatesOptions { Directory = "mine" }).Succeeded); // relative to the content root
            Assert.True(v.Validate(null, new TemplatesOptions()).Succeeded);
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void Routing_ShouldListUnknownRiskTypesEmptyListsAndBadCodes()
    {
        var r = new RoutingOptionsValidator().Validate(null, new RoutingOptions
        {
            RiskDepartments = new() { ["生病"] = ["WJ"], ["因学"] = [], ["因灾"] = ["Y J"] },
            AlwaysCompare = [""],
        });
        AssertLists<RoutingOptions>(r, "'生病' is not a risk type", "Routing:RiskDepartments:因学 lists no department", "'Y J'", "Routing:AlwaysCompare");
        Assert.True(new RoutingOptionsValidator().Validate(null, new RoutingOptions()).Succeeded);
    }

    [Fact]
    public void Routing_ShouldReplaceTheDefaultTable_WhenConfigured()
    {
        var c = RapidResponse.Bot.Hosting.ValidatedOptions.Read<RoutingOptions>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Routing:RiskDepartments:因病:0"] = "WJ", ["Routing:AlwaysCompare:0"] = "JT",
        }).Build(), RoutingOptions.Section);
        Assert.Equal(["WJ"], c.DepartmentsFor("因病"));
        Assert.Empty(c.DepartmentsFor("因学")); // not configured: the roster's risk_types decide
        Assert.Equal(["JT"], c.AlwaysCompare);
        Assert.Equal(["WJ", "YB"], new RoutingOptions().DepartmentsFor("因病"));
    }

    [Fact]
    public void Database_ShouldListAnUnknownProviderAndAPostgresWithoutConnectionString()
    {
        var none = new ConfigurationBuilder().Build();
        AssertLists<DatabaseOptions>(new DatabaseOptionsValidator(none).Validate(null, new DatabaseOptions { Provider = "MySql" }), "'MySql' is not supported");
        AssertLists<DatabaseOptions>(new DatabaseOptionsValidator(none).Validate(null, new DatabaseOptions { Provider = "Postgres" }), "ConnectionStrings:Bot is empty");
        var pg = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Bot"] = "Host=db" }).Build();
        Assert.True(new DatabaseOptionsValidator(pg).Validate(null, new DatabaseOptions { Provider = "Postgres" }).Succeeded);
        Assert.True(new DatabaseOptionsValidator(none).Validate(null, new DatabaseOptions()).Succeeded);
    }

    [Fact]
    public void Sandbox_ShouldListEveryBadValue()
    {
        var r = new SandboxOptionsValidator().Validate(null, new SandboxOptions
        {
            KfAccount = " ", SendWait = TimeSpan.FromMilliseconds(99), DeliveryPoll = TimeSpan.FromSeconds(6),
        });
        AssertLists<SandboxOptions>(r, "Sandbox:KfAccount", "Sandbox:SendWait", "Sandbox:DeliveryPoll");
        Assert.True(new SandboxOptionsValidator().Validate(null, new SandboxOptions()).Succeeded);
    }

    [Fact]
    public void Outbox_ShouldListEveryBadValue()
    {
        var r = new RapidResponse.Bot.Outbox.OutboxOptionsValidator().Validate(null, new RapidResponse.Bot.Outbox.OutboxOptions
        {
            PollInterval = TimeSpan.Zero, BatchSize = 1001, MaxParallelism = 0, MaxAttempts = 0,
            BackoffBase = TimeSpan.FromMinutes(1), BackoffCap = TimeSpan.FromSeconds(59), ClaimDuration = TimeSpan.FromSeconds(29),
        });
        AssertLists<RapidResponse.Bot.Outbox.OutboxOptions>(r, "Outbox:PollInterval", "Outbox:BatchSize", "Outbox:MaxParallelism", "Outbox:MaxAttempts",
            "Outbox:BackoffCap", "Outbox:ClaimDuration");
        Assert.True(new RapidResponse.Bot.Outbox.OutboxOptionsValidator().Validate(null, new RapidResponse.Bot.Outbox.OutboxOptions()).Succeeded);
    }

    [Fact]
    public void Admin_ShouldListAShortTokenAndOneWithSpaces()
    {
        var none = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        RapidResponse.Bot.Admin.AdminOptions With(string token) => new() { Tokens = { ["county-office"] = token } };
        AssertLists<RapidResponse.Bot.Admin.AdminOptions>(new RapidResponse.Bot.Admin.AdminOptionsValidator(none).Validate(null, With("short token")),
            "is 11 characters long; an admin token needs at least 32", "must not contain spaces");
        Assert.True(new RapidResponse.Bot.Admin.AdminOptionsValidator(none).Validate(null, With(new string('x', 32))).Succeeded); // exactly at the line
        Assert.True(new RapidResponse.Bot.Admin.AdminOptionsValidator(none).Validate(null, With(new string('x', 31))).Failed);
        Assert.True(new RapidResponse.Bot.Admin.AdminOptionsValidator(none).Validate(null, new()).Succeeded); // unset: the API is off
    }

    [Fact]
    public void Host_ShouldRefuseToStartListingEveryBadSetting_WhenSeveralSectionsAreWrong()
    {
        using var f = new BotFactory();
        f.Settings["Conversations:DefaultDeferralDays"] = "0";
        f.Settings["Calendar:ExtraDirectory"] = "/nowhere/holidays";
        f.Settings["Routing:RiskDepartments:生病:0"] = "WJ";
        var e = Assert.ThrowsAny<Exception>(() => f.CreateClient());
        var all = string.Join("\n", Flatten(e).Select(x => x.Message));
        Assert.Contains("Conversations:DefaultDeferralDays", all);
        Assert.Contains("Calendar:ExtraDirectory", all);
        Assert.Contains("'生病' is not a risk type", all);
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException a) foreach (var i in a.InnerExceptions.SelectMany(Flatten)) yield return i;
        }
    }

    private sealed class Env(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = root;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
