using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Bot.Admin;
using RapidResponse.Bot.Import;
using RapidResponse.Bot.Persistence;

namespace RapidResponse.Bot.Tests.Import;

/// <summary>
/// A small host with just the database, the admin group and the import endpoint, on the test server and a real SQLite file.
/// (Program.cs wires the import endpoint in the lead's branch; these tests do not depend on that.)
/// </summary>
public sealed class ImportHost : IAsyncDisposable
{
    public const string Token = Infrastructure.BotFactory.AdminToken;

    private ImportHost(WebApplication app, string directory) => (App, Directory) = (app, directory);

    public WebApplication App { get; }
    public string Directory { get; }
    public IServiceProvider Services => App.Services;

    public static async Task<ImportHost> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rrb-import-host", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = dir });
        builder.WebHost.UseTestServer();
        builder.Configuration["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(dir, "bot.db")}";
        builder.Configuration[$"Admin:Tokens:{Infrastructure.BotFactory.AdminTokenName}"] = Token;
        builder.AddBotDatabase();
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8))));
        var app = builder.Build();
        await app.Services.MigrateDatabaseAsync();
        app.MapAdminGroup("/api").MapImportEndpoints();
        await app.StartAsync();
        return new ImportHost(app, dir);
    }

    public HttpClient Client() => App.GetTestClient();

    public HttpClient AdminClient()
    {
        var c = App.GetTestClient();
        c.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        return c;
    }

    /// <summary>The repository's samples/ folder.</summary>
    public static string SamplesDirectory
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Bot.sln"))) return Path.Combine(d.FullName, "samples");
            throw new DirectoryNotFoundException("Bot.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
