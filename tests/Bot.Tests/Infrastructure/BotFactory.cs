using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Tests.Infrastructure;

/// <summary>
/// The real bot (Program, its own registration order) on the ASP.NET test server or, after <c>UseKestrel(0)</c>, on a
/// real loopback port, with its own empty directory and a real SQLite file in it, and a <see cref="FakeTimeProvider"/> as
/// the only clock. The only overrides are the clock, the fake WeCom (<see cref="WithWeCom()"/>), the database and settings.
/// </summary>
public sealed class BotFactory : WebApplicationFactory<Program>
{
    private bool _ownsWeCom = true;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "rrb-tests", Guid.NewGuid().ToString("N"));
    public FakeTimeProvider Time { get; }
    public Dictionary<string, string?> Settings { get; } = new();

    public BotFactory(DateTimeOffset? now = null, string? directory = null, FakeTimeProvider? time = null)
    {
        if (directory is not null) Directory = directory;
        System.IO.Directory.CreateDirectory(Directory);
        Time = time ?? new FakeTimeProvider(now ?? new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8)));
        Settings["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(Directory, "bot.db")}";
        Settings[$"Admin:Tokens:{AdminTokenName}"] = AdminToken;
        // Quartz schedulers are process-wide by name; hosts that test the scheduler turn it on themselves.
        Settings["Scheduler:Enabled"] = "false";
        Settings["Sandbox:Enabled"] = "false";
    }

    /// <summary>The test suite's named admin token (Admin:Tokens:test-suite); its name is the actor of what admin calls enter.</summary>
    public const string AdminTokenName = "test-suite", AdminToken = "test-admin-token-of-the-test-suite-0001";

    public string DatabasePath => Path.Combine(Directory, "bot.db");

    /// <summary>More test services (e.g. a database interceptor that injects a fault), set before the host starts.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>Every log line the app writes (Debug and up), when <see cref="CaptureLogs"/> was called before the host starts.</summary>
    public LogCapture? Logs { get; private set; }

    /// <summary>Records the app's log lines in <see cref="Logs"/> (the app's own logging stays as configured).</summary>
    public BotFactory CaptureLogs()
    {
        Logs ??= new LogCapture();
        return this;
    }

    /// <summary>The fake WeCom (WireMock answered by the rule-keeper; started by <see cref="WithWeCom()"/>); every outbound call lands here.</summary>
    public FakeWeCom? WeCom { get; private set; }

    public WireMock.Server.WireMockServer? WeComApi => WeCom?.Server;

    /// <summary>
    /// Configures the WeCom app with the official test-vector credentials (WeCom/Vectors.cs) and the rule-keeping fake WeCom.
    /// The simulated corp's address book is the bot's staff roster (active staff are active members), its group chats and
    /// robots those of the roster's group bindings; a test changes a member with <c>WeCom.Simulator.SetMember</c>.
    /// </summary>
    public BotFactory WithWeCom() => WithWeCom(new FakeWeCom(Time));

    /// <summary>As <see cref="WithWeCom()"/> with a given fake WeCom (e.g. one whose simulator has other settings); the factory disposes it.</summary>
    public BotFactory WithWeCom(FakeWeCom weCom)
    {
        WeCom = weCom;
        RapidResponse.Bot.Sandbox.SandboxWeCom.UseRoster(WeCom.Simulator, () => Services.CreateScope()); // lazily: the host starts later
        Settings["Outbox:PollInterval"] = "00:00:00.050";
        // 微信客服 with its own secret and callback crypto (the simulated corp keeps the two tokens apart).
        Settings["WeCom:Kf:Secret"] = "kf-secret";
        Settings["WeCom:Kf:Token"] = Callbacks.KfToken;
        Settings["WeCom:Kf:EncodingAESKey"] = RapidResponse.Bot.Tests.WeCom.Vectors.V3AesKey;
        return WithWeCom(WeCom.Url);
    }

    /// <summary>The JSON bodies WeCom received on a path, oldest first.</summary>
    public List<System.Text.Json.JsonElement> WeComCalls(string path) => WeCom?.Calls(path) ?? [];

    /// <summary>
    /// Stops this instance the way a deployment does (graceful) and returns a new one on the same directory, database file,
    /// clock, settings, test services and fake WeCom (which the new instance then owns): a restart.
    /// </summary>
    public BotFactory Restart()
    {
        var next = new BotFactory(directory: Directory, time: Time) { TestServices = TestServices, Logs = Logs, _sandbox = _sandbox };
        foreach (var (k, v) in Settings) next.Settings[k] = v;
        if (WeCom is not null)
        {
            next.WeCom = WeCom;
            RapidResponse.Bot.Sandbox.SandboxWeCom.UseRoster(WeCom.Simulator, () => next.Services.CreateScope());
            _ownsWeCom = false;
        }

        if (_kestrel) next.UseKestrel(0);
        Dispose();
        return next;
    }

    private bool _kestrel, _sandbox;
    private HttpClient? _http;

    /// <summary>One client for the app (on Kestrel: a plain HTTP client to its port), disposed with the factory.</summary>
    public HttpClient Http => _http ??= _kestrel ? new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) } : CreateClient();

    /// <summary>
    /// The bot in sandbox mode (Sandbox:Enabled) on the demo county, its Quartz scheduler on: the app then runs on its own
    /// movable sandbox clock (starting at <paramref name="startAt"/>), which tests move through /sandbox/clock as a user does,
    /// so <see cref="Time"/> is not the app's clock here.
    /// </summary>
    public BotFactory WithSandbox(DateTimeOffset? startAt = null)
    {
        _sandbox = true;
        Settings["Sandbox:Enabled"] = "true";
        if (startAt is { } s) Settings["Sandbox:StartAt"] = s.ToString("O");
        Settings["Scheduler:Enabled"] = "true";
        Settings["Scheduler:InstanceName"] = "sandbox-" + Guid.NewGuid().ToString("N");
        Settings["Logging:LogLevel:Default"] = "Warning";
        // Real-time wait for a message's replies: 5 s by default, which a loaded CI machine can exceed (the demo then
        // moves on and its transcript misses a line). Only an upper bound: a send returns as soon as its replies exist.
        Settings["Sandbox:SendWait"] = "00:00:20";
        return this;
    }

    /// <summary>Serves the app on Kestrel at a free loopback port (for a real browser or a raw HTTP client) and starts it.</summary>
    public BotFactory StartOnKestrel()
    {
        _kestrel = true;
        UseKestrel(0);
        StartServer();
        return this;
    }

    /// <summary>The Kestrel address after <see cref="StartOnKestrel"/>, e.g. http://127.0.0.1:43121.</summary>
    public Uri BaseAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    protected override void Dispose(bool disposing)
    {
        if (disposing) _http?.Dispose();
        base.Dispose(disposing);
        if (disposing && _ownsWeCom)
        {
            _ownsWeCom = false;
            WeCom?.Dispose();
        }
    }

    /// <summary>Configures the WeCom app with the official test-vector credentials (WeCom/Vectors.cs) and an API host.</summary>
    public BotFactory WithWeCom(string apiBaseUrl)
    {
        Settings["WeCom:CorpId"] = RapidResponse.Bot.Tests.WeCom.Vectors.CorpId;
        Settings["WeCom:AgentId"] = "1000002";
        Settings["WeCom:Secret"] = "app-secret";
        Settings["WeCom:Token"] = RapidResponse.Bot.Tests.WeCom.Vectors.Token;
        Settings["WeCom:EncodingAESKey"] = RapidResponse.Bot.Tests.WeCom.Vectors.AesKey;
        Settings["WeCom:ApiBaseUrl"] = apiBaseUrl;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(Directory);
        builder.UseEnvironment("Testing");
        foreach (var (k, v) in Settings) builder.UseSetting(k, v);
        if (Logs is { } logs) builder.ConfigureLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureTestServices(s =>
        {
            if (!_sandbox)
            {
                s.RemoveAll<TimeProvider>();
                s.AddSingleton<TimeProvider>(Time);
            }

            TestServices?.Invoke(s);
        });
    }

    /// <summary>A fresh scope's database context for assertions and seeding.</summary>
    public BotDb NewDb() => Services.CreateScope().ServiceProvider.GetRequiredService<BotDb>();

    public HttpClient AdminClient()
    {
        var c = CreateClient();
        c.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken);
        return c;
    }
}
