using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Persistence;
using RapidResponse.Scheduler.Escalation;

namespace RapidResponse.Bench;

/// <summary>One real <see cref="DeadlineSweep"/> over 1,000,000 open stages of which 10,000 have a due ladder step, then an idle sweep.</summary>
public static class SweepBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var stages = args is ["--stages", var s, ..] ? int.Parse(s) : 1_000_000;
        const int due = 10_000;
        await using var host = await BenchHost.CreateAsync();
        var seed = new Seeder(host.DatabasePath);
        var now = Seeder.Now;
        var t = Stopwatch.StartNew();
        seed.Roster();
        seed.OpenCases(stages, due, now, i => now.AddDays(-1).AddMinutes(-(i % 600)), householdCount: 0);
        seed.Exec("ANALYZE;");
        var seedSeconds = t.Elapsed.TotalSeconds;

        SweepResult first;
        TimeSpan busy, idle;
        await using (var scope = host.Scope())
        {
            t.Restart();
            first = await scope.ServiceProvider.GetRequiredService<DeadlineSweep>().RunAsync(now);
            busy = t.Elapsed;
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
        Console.WriteLine($"seeded {stages:N0} open stages ({due:N0} due) in {seedSeconds:F1} s");
        Console.WriteLine("| run | stages | due steps | fired | outbox rows | due steps left | time | goal |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"| sweep with due steps | {stages:N0} | {due:N0} | {first.Fired:N0} | {outbox:N0} | {open:N0} | {busy.TotalSeconds:F2} s | ≤ 2 s |");
        Console.WriteLine($"| idle sweep (median of 5) | {stages:N0} | 0 | 0 | | | {idle.TotalMilliseconds:F1} ms | ≤ 20 ms |");
        return first.Fired == due && open == 0 ? 0 : 1;
    }
}
