using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Tests.Infrastructure;

/// <summary>
/// The real bot host on the ASP.NET test server, with its own empty directory and a real SQLite file in it,
/// and a <see cref="FakeTimeProvider"/> as the only clock.
/// </summary>
public sealed class BotFactory : WebApplicationFactory<Program>
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "rrb-tests", Guid.NewGuid().ToString("N"));
    public FakeTimeProvider Time { get; }
    public Dictionary<string, string?> Settings { get; } = new();

    public BotFactory(DateTimeOffset? now = null, string? directory = null)
    {
        if (directory is not null) Directory = directory;
        System.IO.Directory.CreateDirectory(Directory);
        Time = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8)));
        Settings["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(Directory, "bot.db")}";
        Settings["Admin:ApiToken"] = "test-admin-token";
        // Quartz schedulers are process-wide by name; hosts that test the scheduler turn it on themselves.
        Settings["Scheduler:Enabled"] = "false";
        Settings["Sandbox:Enabled"] = "false";
    }

    public string DatabasePath => Path.Combine(Directory, "bot.db");

    /// <summary>More test services (e.g. a database interceptor that injects a fault), set before the host starts.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>WireMock standing in for the WeCom API (started by <see cref="WithWeCom"/>); every outbound call lands here.</summary>
    public WireMock.Server.WireMockServer? WeComApi { get; private set; }

    /// <summary>
    /// Configures the WeCom app with the official test-vector credentials (WeCom/Vectors.cs) and a WireMock WeCom API that
    /// answers gettoken and every send with errcode 0 (tests may add their own mappings).
    /// </summary>
    public BotFactory WithWeCom()
    {
        WeComApi = WireMock.Server.WireMockServer.Start(new WireMock.Settings.WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        WeComApi.Given(WireMock.RequestBuilders.Request.Create().WithPath("/cgi-bin/gettoken").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithBodyAsJson(new { errcode = 0, errmsg = "ok", access_token = "test-token", expires_in = 7200 }));
        WeComApi.Given(WireMock.RequestBuilders.Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/cgi-bin/*")).UsingPost()).AtPriority(100)
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithBodyAsJson(new { errcode = 0, errmsg = "ok", msgid = "wx-msg" }));
        Settings["Outbox:PollInterval"] = "00:00:00.050";
        return WithWeCom(WeComApi.Urls[0]);
    }

    /// <summary>The JSON bodies WeCom received on a path, oldest first.</summary>
    public List<System.Text.Json.JsonElement> WeComCalls(string path) =>
        [.. (WeComApi?.LogEntries ?? []).Where(e => e.RequestMessage.Path == path).OrderBy(e => e.RequestMessage.DateTime)
            .Select(e => System.Text.Json.JsonDocument.Parse(e.RequestMessage.Body ?? "{}").RootElement.Clone())];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) WeComApi?.Stop();
    }

    /// <summary>Configures the WeCom app with the official test-vector credentials (WeCom/Vectors.cs) and an API host.</summary>
    public BotFactory WithWeCom(string apiBaseUrl)
    {
        Settings["WeCom:CorpId"] = WeCom.Vectors.CorpId;
        Settings["WeCom:AgentId"] = "1000002";
        Settings["WeCom:Secret"] = "app-secret";
        Settings["WeCom:Token"] = WeCom.Vectors.Token;
        Settings["WeCom:EncodingAESKey"] = WeCom.Vectors.AesKey;
        Settings["WeCom:ApiBaseUrl"] = apiBaseUrl;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(Directory);
        builder.UseEnvironment("Testing");
        foreach (var (k, v) in Settings) builder.UseSetting(k, v);
        builder.ConfigureTestServices(s =>
        {
            s.RemoveAll<TimeProvider>();
            s.AddSingleton<TimeProvider>(Time);
            TestServices?.Invoke(s);
        });
    }

    /// <summary>A fresh scope's database context for assertions and seeding.</summary>
    public BotDb NewDb() => Services.CreateScope().ServiceProvider.GetRequiredService<BotDb>();

    public HttpClient AdminClient()
    {
        var c = CreateClient();
        c.DefaultRequestHeaders.Authorization = new("Bearer", "test-admin-token");
        return c;
    }
}
