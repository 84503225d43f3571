using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RapidResponse.Bot.Cases;
using RapidResponse.Bot.CountyConsole;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Health;
using RapidResponse.Bot.Hosting;
using RapidResponse.Bot.Persistence;
using RapidResponse.Bot.Sandbox;
using RapidResponse.Domain.Persistence;
using RapidResponse.Scheduler;

namespace RapidResponse.Bot.Tests.Sandbox;

/// <summary>
/// The bot in sandbox mode on a real Kestrel port (127.0.0.1, any free port) with its own SQLite file: composed as
/// Program.cs composes it plus the sandbox lines (<see cref="Compose"/>). Once Program.cs carries AddSandbox/MapSandbox,
/// this can become WebApplicationFactory&lt;Program&gt; with UseKestrel.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    /// <summary>Monday 2026-10-12 09:00 Beijing time: a working morning.</summary>
    public static readonly DateTimeOffset Monday = new(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));

    private SandboxHost(WebApplication app, string directory)
    {
        App = app;
        Directory = directory;
        BaseAddress = new Uri(app.Urls.First());
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }
    public string Directory { get; }
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public SandboxClock Clock => App.Services.GetRequiredService<SandboxClock>();

    public static async Task<SandboxHost> StartAsync(DateTimeOffset? startAt = null, IDictionary<string, string?>? settings = null, string[]? args = null,
        Microsoft.Extensions.Logging.ILoggerProvider? logs = null, Action<WebApplicationBuilder>? configure = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "rrb-tests", "sandbox-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        var builder = Builder(dir, startAt, settings, args ?? []);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (logs is not null) { builder.Logging.AddProvider(logs); builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug); }
        Compose(builder);
        configure?.Invoke(builder);
        var app = builder.Build();
        await app.Services.MigrateDatabaseAsync();
        app.MapHealth();
        app.MapChannels();
        app.MapSandbox();
        app.MapConsole();
        await app.StartAsync();
        return new SandboxHost(app, dir);
    }

    public static WebApplicationBuilder Builder(string dir, DateTimeOffset? startAt, IDictionary<string, string?>? settings, string[] args)
    {
        System.IO.Directory.CreateDirectory(dir);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = dir, EnvironmentName = "Testing" });
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(dir, "bot.db")}",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Scheduler:InstanceName"] = "sandbox-" + Guid.NewGuid().ToString("N"),
            // Real-time wait for a message's replies: 5 s by default, which a loaded CI machine can exceed (the demo then
            // moves on and its transcript misses a line). Only an upper bound: a send returns as soon as its replies exist.
            ["Sandbox:SendWait"] = "00:00:20",
            // The test environment ("Testing") never opens the sandbox by itself (only Development does): these hosts ask for it.
            ["Sandbox:Enabled"] = "true",
        };
        if (startAt is { } s) config["Sandbox:StartAt"] = s.ToString("O");
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) config[k] = v;
        builder.Configuration.AddInMemoryCollection(config);
        return builder;
    }

    /// <summary>Program.cs's registrations, with the sandbox after AddCases (it replaces the clock).</summary>
    public static void Compose(WebApplicationBuilder builder)
    {
        builder.AddBotDatabase();
        builder.AddCases();
        builder.AddConversations();
        builder.AddPrivacy();
        builder.AddChannels();
        builder.AddHealth();
        builder.AddConsole();
        RapidResponse.Bot.Charts.ChartsExtensions.AddCharts(builder);
        builder.AddSandbox();
        builder.AddScheduler();
    }

    public BotDb NewDb() => App.Services.CreateScope().ServiceProvider.GetRequiredService<BotDb>();

    public async Task<JsonElement> PostAsync(string path, object body, int expectedStatus = 200)
    {
        var r = await Http.PostAsJsonAsync(path, body);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == expectedStatus, $"{path}: HTTP {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string path, int expectedStatus = 200)
    {
        var r = await Http.GetAsync(path);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == expectedStatus, $"{path}: HTTP {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
