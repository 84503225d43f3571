using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RapidResponse.Bot.Cases;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Persistence;
using RapidResponse.Scheduler;

namespace RapidResponse.Bench;

/// <summary>
/// The bot's services as Program.cs composes them (database, cases, conversations, scheduler services with Quartz off),
/// on a SQLite file in its own directory, not started: benchmarks resolve the real classes from its container.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private BenchHost(WebApplication app, string directory) { App = app; Directory = directory; }

    public WebApplication App { get; }
    public string Directory { get; }
    public string DatabasePath => Path.Combine(Directory, "bot.db");
    public IServiceProvider Services => App.Services;

    public static async Task<BenchHost> CreateAsync(string? directory = null, Action<WebApplicationBuilder>? configure = null)
    {
        var dir = directory ?? Path.Combine(Path.GetTempPath(), "rrb-bench", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        var b = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = dir, EnvironmentName = "Production", Args = [] });
        b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(dir, "bot.db")}",
            ["Templates:Directory"] = Path.Combine(BotProcess.RepoRoot(), "templates"),
            ["Scheduler:Enabled"] = "false",
            ["Sandbox:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        b.Logging.SetMinimumLevel(LogLevel.Warning);
        b.AddBotDatabase();
        b.AddCases();
        b.AddConversations();
        b.AddScheduler();
        configure?.Invoke(b);
        var app = b.Build();
        await app.Services.MigrateDatabaseAsync();
        return new BenchHost(app, dir);
    }

    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
