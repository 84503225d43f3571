using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RapidResponse.Scheduler.Escalation;

namespace RapidResponse.Bench;

/// <summary>
/// Real <see cref="DeadlineSweep"/>s over 1,000,000 open stages of which 10,000 have a due ladder step, then idle sweeps.
/// The busy sweep runs <c>--runs</c> times in the same host, the seeded database file put back before each repeat: the first
/// run is the first sweep of a fresh process (JIT, EF model and query compilation included), the others are the sweep as
/// the running bot does it every minute.
/// </summary>
public static class SweepBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var stages = Option(args, "--stages") is { } s ? int.Parse(s) : 1_000_000;
        var runs = Option(args, "--runs") is { } r ? Math.Max(1, int.Parse(r)) : 6;
        // --seed-cache FILE: reuse a seeded database file (made by an earlier run with the same --stages and schema).
        var cache = Option(args, "--seed-cache");
        // --sql: log every SQL command the sweeps run, with its time.
        var sql = args.Contains("--sql");
        // --warm-up: run the bot's start-up warm-up (SweepWarmUp, as SweepWarmUpService does before the sweep job's first run)
        // before the first sweep, and report its time.
        var warmUp = args.Contains("--warm-up");
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
        }
        var seedSeconds = t.Elapsed.TotalSeconds;
        // The pristine seeded file, put back before each repeat.
        var pristine = cached ? cache! : cache ?? Path.Combine(dir, "seeded.db");
        if (!cached && (runs > 1 || cache is not null))
        {
            seed.Exec("PRAGMA wal_checkpoint(TRUNCATE);");
            seed.Exec($"VACUUM INTO '{pristine.Replace("'", "''")}';");
        }

        double? warmUpSeconds = null, warmUpCpu = null;
        if (warmUp)
        {
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            t.Restart();
            await host.Services.GetRequiredService<SweepWarmUp>().RunAsync();
            warmUpSeconds = t.Elapsed.TotalSeconds;
            warmUpCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            Console.Error.WriteLine($"warm-up: {warmUpSeconds:F2} s, CPU {warmUpCpu:F2} s");
        }

        var busy = new List<double>();
        var busyCpu = new List<double>();
        long outbox = 0, open = 0, fired = 0;
        for (var run = 0; run < runs; run++)
        {
            if (run > 0) Restore(host.DatabasePath, pristine, seed);
            await using var scope = host.Scope();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var gc0 = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());
            t.Restart();
            var result = await scope.ServiceProvider.GetRequiredService<DeadlineSweep>().RunAsync(now);
            busy.Add(t.Elapsed.TotalSeconds);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
            busyCpu.Add(cpu.TotalSeconds);
            outbox = seed.Scalar("SELECT COUNT(*) FROM Outbox");
            open = seed.Scalar("SELECT COUNT(*) FROM LadderSteps WHERE DoneAt IS NULL AND FireAt <= " + now.UtcTicks);
            fired = result.Fired;
            Console.Error.WriteLine($"busy sweep {run + 1}: {busy[^1]:F2} s ({result}), CPU {cpu.TotalSeconds:F2} s, GC pauses "
                                    + $"{(GC.GetTotalPauseDuration() - gc0.Item1).TotalMilliseconds:F0} ms, gen0/gen2 {GC.CollectionCount(0) - gc0.Item2}/{GC.CollectionCount(2) - gc0.Item3}, "
                                    + $"allocated {(GC.GetTotalAllocatedBytes() - gc0.Item4) / 1048576.0:F0} MiB");
            if (fired != due || open != 0) break;
        }
        var idleRuns = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await using var scope = host.Scope();
            t.Restart();
            var result = await scope.ServiceProvider.GetRequiredService<DeadlineSweep>().RunAsync(now.AddSeconds(30 + i));
            idleRuns.Add(t.Elapsed.TotalMilliseconds);
            if (result.Fired != 0) throw new InvalidOperationException("idle sweep fired " + result);
        }

        Console.WriteLine(Machine.Describe());
        Console.WriteLine(cached ? $"{stages:N0} open stages ({due:N0} due) copied from {cache}" : $"seeded {stages:N0} open stages ({due:N0} due) in {seedSeconds:F1} s");
        Console.WriteLine("| run | stages | due steps | fired | outbox rows | due steps left | time | goal |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        if (warmUpSeconds is { } w)
            Console.WriteLine($"| start-up warm-up (SweepWarmUp, before the first tick; CPU {warmUpCpu:F2} s) | {stages:N0} | | | | | {w:F2} s | |");
        Console.WriteLine($"| sweep with due steps, first in the process{(warmUp ? " after the warm-up" : "")} (CPU {busyCpu[0]:F2} s) | {stages:N0} | {due:N0} | {fired:N0} | {outbox:N0} | {open:N0} | {busy[0]:F2} s | ≤ 2 s |");
        if (busy.Count > 1)
        {
            var warm = busy.Skip(1).ToList();
            Console.WriteLine($"| sweep with due steps, repeated in the same process (median of {warm.Count}, min–max {warm.Min():F2}–{warm.Max():F2} s) "
                              + $"| {stages:N0} | {due:N0} | {fired:N0} | {outbox:N0} | {open:N0} | {Median(warm):F2} s | ≤ 2 s |");
        }
        Console.WriteLine($"| idle sweep (median of 5) | {stages:N0} | 0 | 0 | | | {Median(idleRuns):F1} ms | ≤ 20 ms |");
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        return fired == due && open == 0 ? 0 : 1;
    }

    /// <summary>Puts the seeded file back in place of the swept one (no connection is open between sweeps) and re-enables WAL.</summary>
    private static void Restore(string databasePath, string pristine, Seeder seed)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "-wal", "-shm" }) File.Delete(databasePath + suffix);
        File.Copy(pristine, databasePath, overwrite: true);
        seed.Exec("PRAGMA journal_mode=WAL;");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
