using Microsoft.Data.Sqlite;

namespace RapidResponse.Bench;

/// <summary>≥ 100,000 malformed inputs against /wecom/callback and /wecom/kf of a running bot process.</summary>
public static class FuzzBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var n = args is ["--inputs", var v, ..] ? int.Parse(v) : 100_000;
        await using var bot = await BotProcess.StartAsync();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 16 };
        using var http = new HttpClient(handler) { BaseAddress = bot.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var started = DateTime.UtcNow;
        var tally = await FuzzRunner.RunAsync(http, FuzzInputs.Generate(20261110, n, (BotProcess.Token, BotProcess.AesKey), (BotProcess.KfToken, BotProcess.KfAesKey), BotProcess.CorpId), 16);
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        long inbox;
        await using (var c = new SqliteConnection($"Data Source={Path.Combine(bot.Directory, "bot.db")};Mode=ReadOnly"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM Inbox";
            inbox = (long)(await cmd.ExecuteScalarAsync())!;
        }
        var live = (await http.GetAsync("/health/live")).IsSuccessStatusCode;
        var ready = (await http.GetAsync("/health/ready")).IsSuccessStatusCode;
        Console.WriteLine(Machine.Describe());
        Console.WriteLine("| inputs | kinds | time | accepted (2xx) | 5xx | transport errors | inbox rows | health live/ready | goal |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"| {tally.Sent:N0} | {tally.ByKind.Keys.Select(k => k.Kind).Distinct().Count()} | {seconds:F0} s | {tally.Accepted} | {tally.ServerErrors} | {tally.Transport} | {inbox} | {(live ? "OK" : "DOWN")}/{(ready ? "OK" : "DOWN")} | 0 / 0 / 0 rows / OK |");
        Console.WriteLine();
        Console.WriteLine("| input kind | status | count |");
        Console.WriteLine("|---|---|---|");
        foreach (var ((kind, status), count) in tally.ByKind.OrderBy(k => k.Key.Kind, StringComparer.Ordinal).ThenBy(k => k.Key.Status))
            Console.WriteLine($"| {kind} | {status} | {count:N0} |");
        return tally.Accepted == 0 && tally.ServerErrors == 0 && inbox == 0 && live && ready ? 0 : 1;
    }
}
