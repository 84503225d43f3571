using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Sandbox;

/// <summary>
/// Loads the demo county (samples/) at start-up when the roster is empty, so the sandbox has people to play — and
/// refuses to start when the database holds any other roster: the sandbox shows everyone's data to whoever opens it and
/// would deliver a real county's pending messages into its local mailbox.
/// </summary>
public sealed class SandboxSeeder(IServiceScopeFactory scopes, SandboxOptions options, IHostEnvironment env, ILogger<SandboxSeeder> log) : IHostedLifecycleService
{
    /// <summary>The demo county's code (samples/regions.csv): every region of the demo roster lies under it.</summary>
    public const string DemoCounty = "990101";

    /// <summary>No province has code 99 (GB/T 2260): the demo county's fictional ID numbers all start with it, real ones never.</summary>
    public const string DemoIdPrefix = "99";

    /// <summary>Before any hosted service starts (inbox, outbox delivery, scheduler), so nothing touches a real county's data.</summary>
    public async Task StartingAsync(CancellationToken ct)
    {
        if (await RosterProblemAsync(ct) is { } problem) throw new InvalidOperationException(problem);
    }

    public async Task StartAsync(CancellationToken ct) => await SeedAsync(ct);

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken ct) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Why the sandbox must not run on this database (a roster that is not the demo county), or null when it may.</summary>
    public async Task<string?> RosterProblemAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var region = await db.Regions.AsNoTracking().Where(r => !r.Code.StartsWith(DemoCounty)).OrderBy(r => r.Code)
            .Select(r => r.Code + " " + r.Name).FirstOrDefaultAsync(ct);
        var households = await db.Households.AsNoTracking().CountAsync(h => !h.IdNumber.StartsWith(DemoIdPrefix), ct);
        if (region is null && households == 0) return null;
        var what = region is not null ? $"region {region}" : $"{households} households with real ID numbers";
        return $"Sandbox refused: the database (ConnectionStrings:Bot) holds a roster that is not the demo county 示范县 ({what}). "
               + "The sandbox shows every person's data to whoever opens it and delivers pending messages into its local mailbox, so it "
               + $"runs only on an empty database or on the demo county of samples/ (regions under {DemoCounty}). Point ConnectionStrings:Bot "
               + "at a database of its own (e.g. Data Source=data/sandbox.db), or configure WeCom:* and remove Sandbox:Enabled to run for the county. "
               + "/ 沙盒只能在示范县（samples/）的数据库上运行：当前数据库的花名册不是示范县，沙盒拒绝启动。请换一个数据库文件。";
    }

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
