namespace RapidResponse.Bench;

/// <summary>
/// Callback ingest against a running bot on SQLite: the real endpoint (verify, decrypt, parse, store in the inbox, ack)
/// and, in the same run and process, the bare ceiling (verify + decrypt only), at 1, 16 and 64 connections.
/// </summary>
public static class Ingest
{
    public static async Task<int> RunAsync(string[] args)
    {
        var n = args is ["--requests", var v, ..] ? int.Parse(v) : 20_000;
        await using var bot = await BotProcess.StartAsync();
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        Console.WriteLine("| target | connections | requests | errors | req/s | p50 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        // Warm-up of both paths (JIT, connection pools, SQLite page cache).
        // Enough requests for tiered JIT to reach its optimised code on both paths, single- and multi-connection.
        foreach (var c in new[] { 1, 16 })
        {
            await LoadRun.RunAsync(bot.BaseAddress, "/bench/ceiling", Build(1500), c);
            await LoadRun.RunAsync(bot.BaseAddress, "/wecom/callback", Build(1500), c);
        }
        foreach (var c in new[] { 1, 16, 64 })
        {
            var count = c == 1 ? Math.Min(n, 5000) : n;
            var ceiling = await LoadRun.RunAsync(bot.BaseAddress, "/bench/ceiling", Build(count), c);
            var real = await LoadRun.RunAsync(bot.BaseAddress, "/wecom/callback", Build(count), c);
            Print(ceiling);
            Print(real);
            Console.WriteLine($"| ratio real/ceiling | {c} | | | {real.PerSecond / ceiling.PerSecond:F2} | | |");
        }
        return 0;
    }

    // Users rotate so the inbox processor sees many senders, as in a county.
    private static List<CallbackFactory.Request> Build(int count) =>
        [.. Enumerable.Range(0, count).Select(i => CallbackFactory.Text($"bench_user_{i % 500}", "进度"))];

    private static void Print(LoadRun.Result r) =>
        Console.WriteLine($"| {r.Target} | {r.Connections} | {r.Requests} | {r.Errors} | {r.PerSecond:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} |");
}
