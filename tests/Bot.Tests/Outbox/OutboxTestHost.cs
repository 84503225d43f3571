using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Bot.Admin;
using RapidResponse.Bot.Outbox;
using RapidResponse.Bot.Persistence;
using RapidResponse.Bot.Tests.WeCom;
using RapidResponse.Bot.WeCom;
using RapidResponse.Bot.Kf;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using System.Text.Json;
using WireMock;
using WireMock.Logging;
using WireMock.Types;
using WireMock.Util;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace RapidResponse.Bot.Tests.Outbox;

/// <summary>
/// WireMock on 127.0.0.1 as the WeCom API, and a real Kestrel host composed like production (AddBotDatabase, AddWeCom,
/// AddOutbox, AddKf) on a real SQLite file. <see cref="RestartAsync"/> builds a new host on the same file, clock and WireMock.
/// Program.cs is not used because it does not register the WeCom areas yet.
/// </summary>
internal sealed class OutboxTestHost : IAsyncDisposable
{
    public const string AgentId = "1000002";
    public const string OpenKfId = "wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q";
    public const string SendPath = "/cgi-bin/message/send";
    public const string SyncPath = "/cgi-bin/kf/sync_msg";

    private WebApplication? _app;

    private OutboxTestHost(WireMockServer server, string directory, FakeTimeProvider time, Dictionary<string, string?> extra)
    {
        Server = server;
        Directory = directory;
        Time = time;
        Extra = extra;
    }

    public WireMockServer Server { get; }

    public string Directory { get; }

    public FakeTimeProvider Time { get; }

    public Dictionary<string, string?> Extra { get; }

    public LogCapture Logs { get; private set; } = new();

    public HttpClient Http { get; private set; } = new();

    public IServiceProvider Services => _app!.Services;

    public static async Task<OutboxTestHost> StartAsync(Dictionary<string, string?>? settings = null, bool start = true)
    {
        var server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        server.Given(Request.Create().WithPath("/cgi-bin/gettoken").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { errcode = 0, errmsg = "ok", access_token = "tok", expires_in = 7200 }));
        var dir = Path.Combine(Path.GetTempPath(), "rrb-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        var host = new OutboxTestHost(server, dir, new FakeTimeProvider(new DateTimeOffset(2026, 10, 12, 1, 0, 0, TimeSpan.Zero)), settings ?? []);
        if (start) await host.StartAppAsync();
        return host;
    }

    public async Task StartAppAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = Directory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(Directory, "bot.db")}",
            [$"Admin:Tokens:{Infrastructure.BotFactory.AdminTokenName}"] = Infrastructure.BotFactory.AdminToken,
            ["WeCom:CorpId"] = Vectors.CorpId,
            ["WeCom:AgentId"] = AgentId,
            ["WeCom:Secret"] = "app-secret",
            ["WeCom:Token"] = Vectors.Token,
            ["WeCom:EncodingAESKey"] = Vectors.AesKey,
            ["WeCom:ApiBaseUrl"] = Server.Url,
            ["WeCom:Kf:Secret"] = "kf-secret",
            ["WeCom:Kf:Token"] = CallbackTestHost.KfToken,
            ["WeCom:Kf:EncodingAESKey"] = Vectors.V3AesKey,
            ["Outbox:PollInterval"] = "00:00:00.020",
        };
        foreach (var (k, v) in Extra) config[k] = v;
        builder.Configuration.AddInMemoryCollection(config);
        Logs = new LogCapture();
        builder.Logging.ClearProviders().AddProvider(Logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.AddBotDatabase();
        builder.AddWeCom();
        builder.AddOutbox();
        // As AddCases does in Program: the outbox's alerts are templates.
        builder.Services.AddSingleton(new RapidResponse.Domain.Templates.TemplateRenderer(RapidResponse.Bot.Cases.CasesExtensions.TemplatesDirectory(null, AppContext.BaseDirectory)));
        builder.AddKf();
        builder.Services.AddSingleton<RapidResponse.Bot.WeCom.Callbacks.IInboundSink, RapidResponse.Bot.Inbox.DatabaseInboundSink>(); // as AddChannels: hands 微信客服 notifications to the puller

        _app = builder.Build();
        await _app.Services.MigrateDatabaseAsync();
        _app.MapWeCom();
        _app.MapAdminGroup("/api").MapOutboxEndpoints();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    /// <summary>Stops the host the way a deployment does (graceful), then starts a new one on the same database file.</summary>
    public async Task RestartAsync()
    {
        await StopAppAsync();
        await StartAppAsync();
    }

    public async Task StopAppAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public BotDb NewDb() => Services.CreateScope().ServiceProvider.GetRequiredService<BotDb>();

    /// <summary>Seeds rows directly, as feature code does (NotBefore = now unless set).</summary>
    public async Task<List<OutboxMessage>> SeedAsync(params OutboxMessage[] rows)
    {
        await using var db = NewDb();
        foreach (var r in rows)
        {
            if (r.CreatedAt == default) r.CreatedAt = Time.GetUtcNow();
            if (r.NotBefore == default) r.NotBefore = Time.GetUtcNow();
        }

        db.Outbox.AddRange(rows);
        await db.SaveChangesAsync();
        return [.. rows];
    }

    public static OutboxMessage Text(string to, string content, OutboundChannel channel = OutboundChannel.AppUser, IReadOnlyList<string>? mentions = null) => new()
    {
        Channel = channel, Recipient = to, Kind = OutboundKind.Text, Payload = OutboundPayload.Serialize(new TextBody(content, mentions)),
    };

    /// <summary>Answers <paramref name="path"/> with <paramref name="body"/>, optionally only when the request body contains <paramref name="bodyContains"/>.</summary>
    public void Given(string path, object body, string? bodyContains = null, int delayMs = 0, int priority = 10)
    {
        var request = Request.Create().WithPath(path).UsingPost();
        if (bodyContains is not null) request = request.WithBody(b => b != null && b.Contains(bodyContains, StringComparison.Ordinal));
        var response = Response.Create().WithBodyAsJson(body);
        Server.Given(request).AtPriority(priority).RespondWith(delayMs > 0 ? response.WithDelay(delayMs) : response);
    }

    /// <summary>Answers <paramref name="path"/> with the bodies in turn; the last one repeats.</summary>
    public void GivenSequence(string path, params object[] bodies)
    {
        var n = -1;
        GivenCallback(path, _ => bodies[Math.Min(Interlocked.Increment(ref n), bodies.Length - 1)]);
    }

    /// <summary>Answers <paramref name="path"/> with whatever <paramref name="answer"/> returns for the request body.</summary>
    public void GivenCallback(string path, Func<string, object> answer, int priority = 10) =>
        Server.Given(Request.Create().WithPath(path)).AtPriority(priority).RespondWith(Response.Create().WithCallback(req => new ResponseMessage
        {
            StatusCode = 200,
            Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
            BodyData = new BodyData { DetectedBodyType = BodyType.String, BodyAsString = JsonSerializer.Serialize(answer(req.Body ?? "")) },
        }));

    public IReadOnlyList<ILogEntry> Requests(string path) => [.. Server.LogEntries.Where(e => e.RequestMessage.Path == path)];

    public IReadOnlyList<JsonNode> Bodies(string path) => [.. Requests(path).Select(e => JsonNode.Parse(e.RequestMessage.Body!)!)];

    /// <summary>Polls (real time) until the condition on a fresh database context holds.</summary>
    public async Task WaitUntilAsync(Func<BotDb, Task<bool>> condition, string what, int timeoutMs = 15000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            await using (var db = NewDb())
            {
                if (await condition(db)) return;
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }

    public Task WaitForStatusAsync(long id, OutboxStatus status) =>
        WaitUntilAsync(async db => (await db.Outbox.AsNoTracking().FirstAsync(x => x.Id == id)).Status == status, $"row {id} {status}");

    /// <summary>Lets the dispatcher run a few polls (real time) so that "nothing happened" is meaningful.</summary>
    public static Task SettleAsync() => Task.Delay(300);

    public async Task<OutboxMessage> RowAsync(long id)
    {
        await using var db = NewDb();
        return await db.Outbox.AsNoTracking().FirstAsync(x => x.Id == id);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        Server.Stop();
        Server.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
