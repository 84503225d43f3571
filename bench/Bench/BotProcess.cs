using System.Diagnostics;
using System.Net.Sockets;

namespace RapidResponse.Bench;

/// <summary>The real bot as a separate process on 127.0.0.1, on its own SQLite file, configured like a WeCom deployment.</summary>
public sealed class BotProcess : IAsyncDisposable
{
    public const string Token = "QDG6eK";
    public const string AesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    public const string CorpId = "wx5823bf96d3bd56c7";
    /// <summary>微信客服 callback crypto (V3's token and key; receiveid is the CorpID as for the app).</summary>
    public const string KfToken = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
    public const string KfAesKey = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";

    private readonly Process _process;
    public string Directory { get; }
    public Uri BaseAddress { get; }

    private BotProcess(Process p, string dir, Uri address) { _process = p; Directory = dir; BaseAddress = address; }

    public int Pid => _process.Id;

    public static async Task<BotProcess> StartAsync(string? directory = null, IDictionary<string, string>? extra = null, string apiBaseUrl = "http://127.0.0.1:9")
    {
        var dir = directory ?? Path.Combine(Path.GetTempPath(), "rrb-bench", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        var port = FreePort();
        var dll = BotDll();
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", dir])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir,
        };
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__Bot"] = $"Data Source={Path.Combine(dir, "bot.db")}",
            ["WeCom__CorpId"] = CorpId, ["WeCom__AgentId"] = "1000002", ["WeCom__Secret"] = "bench-secret",
            ["WeCom__Token"] = Token, ["WeCom__EncodingAESKey"] = AesKey, ["WeCom__ApiBaseUrl"] = apiBaseUrl,
            ["WeCom__Kf__Token"] = KfToken, ["WeCom__Kf__EncodingAESKey"] = KfAesKey,
            ["Bench__CeilingEndpoint"] = "true",
            // The load generator is one address: the per-address callback limit would measure the limiter, not the bot.
            ["WeCom__CallbackLimit__Burst"] = "1000000", ["WeCom__CallbackLimit__PerPeriod"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Templates__Directory"] = Path.Combine(RepoRoot(), "templates"),
            ["DOTNET_gcServer"] = "1",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) env[k] = v;
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { if (e.Data is { } l && Verbose) Console.Error.WriteLine("[bot] " + l); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is { } l) Console.Error.WriteLine("[bot] " + l); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var bot = new BotProcess(p, dir, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = bot.BaseAddress };
        for (var i = 0; i < 600; i++)
        {
            if (p.HasExited) throw new InvalidOperationException($"bot exited with {p.ExitCode}");
            try { if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) return bot; } catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("bot did not become ready in 60 s");
    }

    public static bool Verbose { get; set; }

    /// <summary>SIGKILL: no shutdown hooks, no flush.</summary>
    public void Kill() { if (!_process.HasExited) _process.Kill(entireProcessTree: true); _process.WaitForExit(); }

    /// <summary>CPU time the bot process has used so far.</summary>
    public TimeSpan CpuTime { get { _process.Refresh(); return _process.TotalProcessorTime; } }

    /// <summary>Resident memory of the bot process, bytes.</summary>
    public long WorkingSet { get { _process.Refresh(); return _process.WorkingSet64; } }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        await Task.CompletedTask;
    }

    /// <summary>The bot beside this assembly when it was built as an app there (bench/), else the bot project's own output of the same configuration (tests).</summary>
    public static string BotDll()
    {
        var here = Path.Combine(AppContext.BaseDirectory, "RapidResponse.Bot.dll");
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, "RapidResponse.Bot.runtimeconfig.json"))) return here;
        var config = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Name; // …/bin/<Configuration>/net10.0/
        var built = Path.Combine(RepoRoot(), "src", "Bot", "bin", config, "net10.0", "RapidResponse.Bot.dll");
        return File.Exists(built) ? built : here;
    }

    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Bot.sln"))) return d.FullName;
        throw new InvalidOperationException("run from inside the repository");
    }

    private static int FreePort()
    {
        var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
