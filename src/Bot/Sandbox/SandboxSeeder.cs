using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Sandbox;

/// <summary>Loads the demo county (samples/) at start-up when the roster is empty, so the sandbox has people to play.</summary>
public sealed class SandboxSeeder(IServiceScopeFactory scopes, SandboxOptions options, IHostEnvironment env, ILogger<SandboxSeeder> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct) => await SeedAsync(ct);

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>True when it loaded the demo county; false when a roster was already there.</summary>
    public async Task<bool> SeedAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        if (await db.Staff.AnyAsync(ct) || await db.Regions.AnyAsync(ct)) return false;
        var dir = SamplesDirectory(options.SamplesDirectory, env.ContentRootPath);
        var results = await SampleCounty.LoadAsync(db, dir, ct);
        log.LogInformation("Sandbox: demo county loaded from {Directory}: {Results}", dir, string.Join("; ", results.Select(r => r.Summary)));
        return true;
    }

    /// <summary>`Sandbox:SamplesDirectory`, else the nearest `samples/` above the content root, else the copy beside the binaries.</summary>
    public static string SamplesDirectory(string? configured, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured, contentRoot);
        for (var d = new DirectoryInfo(contentRoot); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "samples");
            if (File.Exists(Path.Combine(candidate, "staff.csv")) && File.Exists(Path.Combine(candidate, "groups.csv"))) return candidate;
        }
        return Path.Combine(AppContext.BaseDirectory, "samples");
    }
}
