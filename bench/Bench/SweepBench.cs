using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Scheduler.Escalation;

namespace RapidResponse.Bench;

/// <summary>One real <see cref="DeadlineSweep"/> over 1,000,000 open stages of which 10,000 have a due ladder step, then an idle sweep.</summary>
public static class SweepBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var stages = Option(args, "--stages") is { } s ? int.Parse(s) : 1_000_000;
        // --seed-cache FILE: reuse a seeded database file (made by an earlier run with the same --stages and schema).
        var cache = Option(args, "--seed-cache");
        // --sql: log every SQL command the sweeps run, with its time.
        var sql = args.Contains("--sql");
        const int due = 10_000;
        var dir = Path.Combine(Path.GetTempPath(), "rrb-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var cached = cache is not null && File.Exists(cache);
        if (cached) File.Copy(cache!, Path.Combine(dir, "bot.db"));
        await using var host = await BenchHost.CreateAsync(dir, sql ? b => b.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information) : null);
        var seed = new Seeder(host.DatabasePath);
        var now = Seeder.Now;
        var t = Stopwatch.StartNew();
        if (!cached)
        {
            seed.Roster();
            seed.OpenCases(stages, due, now, i => now.AddDays(-1).AddMinutes(-(i % 600)), householdCount: 0);
            seed.Exec("ANALYZE;");
            if (cache is not null)
            {
                seed.Exec("PRAGMA wal_checkpoint(TRUNCATE);");
                seed.Exec($"VACUUM INTO '{cache.Replace("'", "''")}';");
            }
        }
        var seedSeconds = t.Elapsed.TotalSeconds;

        SweepResult first;
        TimeSpan busy, idle, busyCpu;
        await using (var scope = host.Scope())
        {
            var cpu0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            t.Restart();
            first = await scope.ServiceProvider.GetRequiredService<DeadlineSweep>().RunAsync(now);
            busy = t.Elapsed;
            busyCpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        }
        var outbox = seed.Scalar("SELECT COUNT(*) FROM Outbox");
        var open = seed.Scalar("SELECT COUNT(*) FROM LadderSteps WHERE DoneAt IS NULL AND FireAt <= " + now.UtcTicks);
        var idleRuns = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await using var scope = host.Scope();
            t.Restart();
            var r = await scope.ServiceProvider.GetRequiredService<DeadlineSweep>().RunAsync(now.AddSeconds(30 + i));
            idleRuns.Add(t.Elapsed.TotalMilliseconds);
            if (r.Fired != 0) throw new InvalidOperationException("idle sweep fired " + r);
        }
        idle = TimeSpan.FromMilliseconds(idleRuns.Order().ElementAt(idleRuns.Count / 2));

        Console.WriteLine(Machine.Describe());
        Console.WriteLine(cached ? $"{stages:N0} open stages ({due:N0} due) copied from {cache}" : $"seeded {stages:N0} open stages ({due:N0} due) in {seedSeconds:F1} s");
        Console.WriteLine("| run | stages | due steps | fired | outbox rows | due steps left | time | goal |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"| sweep with due steps | {stages:N0} | {due:N0} | {first.Fired:N0} | {outbox:N0} | {open:N0} | {busy.TotalSeconds:F2} s | ≤ 2 s |");
        Console.Error.WriteLine($"busy sweep CPU time {busyCpu.TotalSeconds:F2} s");
        Console.WriteLine($"| idle sweep (median of 5) | {stages:N0} | 0 | 0 | | | {idle.TotalMilliseconds:F1} ms | ≤ 20 ms |");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        return first.Fired == due && open == 0 ? 0 : 1;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
