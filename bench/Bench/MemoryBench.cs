using System.Net.Http.Headers;
using System.Text;

namespace RapidResponse.Bench;

/// <summary>Resident memory of the real bot process on a database with 1,000,000 households, after start and a few requests.</summary>
public static class MemoryBench
{
    private const string AdminToken = "bench-admin-token-0123456789abcdef-0001";

    public static async Task<int> RunAsync(string[] args)
    {
        const long households = 1_000_000;
        var dir = Path.Combine(Path.GetTempPath(), "rrb-bench", Guid.NewGuid().ToString("N"));
        await using (var host = await BenchHost.CreateAsync(dir))
        {
            var seed = new Seeder(host.DatabasePath);
            seed.Roster();
            seed.Households(households);
            seed.OpenCases(20_000, 0, Seeder.Now, i => Seeder.Now.AddDays(-(i % 60)), households);
            seed.Exec("ANALYZE;");
        }
        await using var bot = await BotProcess.StartAsync(dir, new Dictionary<string, string> { ["Admin__Tokens__bench"] = AdminToken });
        var afterStart = bot.WorkingSet;
        using var http = new HttpClient { BaseAddress = bot.BaseAddress };
        for (var i = 0; i < 200; i++)
        {
            var r = CallbackFactory.Text($"villager_{i % 20}", i % 2 == 0 ? "进度" : "你好");
            (await http.PostAsync("/wecom/callback" + r.Query, new StringContent(r.Body, Encoding.UTF8, "text/xml"))).EnsureSuccessStatusCode();
        }
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        for (var i = 0; i < 20; i++) await http.GetAsync($"/api/cases/YL-2026-{i + 1:D7}");
        await http.GetAsync("/health/ready");
        await Task.Delay(TimeSpan.FromSeconds(5)); // the inbox processor works the 200 messages
        var afterRequests = bot.WorkingSet;
        Console.WriteLine(Machine.Describe());
        Console.WriteLine("| process | households | cases | working set after start | after 200 callbacks + 20 admin reads | goal |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Console.WriteLine($"| bot (server GC) | {households:N0} | 20,000 | {afterStart / 1048576.0:F0} MiB | {afterRequests / 1048576.0:F0} MiB | ≤ 300 MB |");
        return 0;
    }
}
