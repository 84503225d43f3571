using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Import;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Import;

namespace RapidResponse.Bench;

/// <summary>A 50,000-row department warning list imported, routed and carded in one go (the admin endpoint's code path).</summary>
public static class ImportBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.SkipWhile(a => a != "--rows").Skip(1).Select(int.Parse).FirstOrDefault(50_000);
        await using var host = await BenchHost.CreateAsync();
        var seed = new Seeder(host.DatabasePath);
        seed.Roster();
        seed.Households(rows * 2L);
        seed.Exec("ANALYZE;");
        var csv = new StringBuilder("department_code,id_number,household_no,warning_type,date,note\n");
        for (var i = 0; i < rows; i++)
            csv.Append(new[] { "WJ", "MZ", "JT" }[i % 3]).Append(',').Append(Seeder.IdNumberOf(i * 2L)).Append(",,自付医疗费超标,2026-10-31,\n");
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        await using var scope = host.Scope();
        using var profile = args.Contains("--profile") ? new ImportProfile() : null;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var gc = GC.GetTotalPauseDuration();
        var t = Stopwatch.StartNew();
        var result = await DepartmentListEndpoints.RunAsync(scope.ServiceProvider, new MemoryStream(bytes), ImportFormat.Csv, new Actor("bench", "CountyOffice"), default);
        var took = t.Elapsed;
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        gc = GC.GetTotalPauseDuration() - gc;
        profile?.Dispose();
        var outbox = seed.Scalar("SELECT COUNT(*) FROM Outbox");
        Console.WriteLine(Machine.Describe());
        Console.WriteLine("| import | rows | cases created | rejected | task cards in outbox | time | goal |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Console.WriteLine($"| department list (CSV {bytes.Length / 1024:N0} KiB) | {rows:N0} | {result.Created:N0} | {result.Rejected:N0} | {outbox:N0} | {took.TotalSeconds:F1} s | ≤ 30 s |");
        Console.WriteLine($"CPU time of the import: {cpu.TotalSeconds:F1} s (less sensitive than wall time to other load on the machine); GC pauses {gc.TotalSeconds:F1} s");
        profile?.Print(rows);
        return result.Created == rows ? 0 : 1;
    }
}
