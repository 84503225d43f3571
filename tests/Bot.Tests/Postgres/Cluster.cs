using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Domain.Persistence;
using WireMock.Server;
using WireMock.Settings;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>
/// A deployment under test: one fresh PostgreSQL database, WireMock as WeCom (counting every request), and N bot instances
/// on that database. Instances share one clock (a <see cref="FakeTimeProvider"/> unless a test needs real time).
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    public const string SendPath = "/cgi-bin/message/send";
    public const string TokenPath = "/cgi-bin/gettoken";

    private Cluster(PostgresDatabase db, WireMockServer weCom, TimeProvider time)
    {
        Database = db;
        WeCom = weCom;
        Time = time;
    }

    public PostgresDatabase Database { get; }

    public WireMockServer WeCom { get; }

    /// <summary>The rule-keeper behind <see cref="WeCom"/>.</summary>
    public RapidResponse.Bot.WeCom.Simulator.WeComSimulator Simulator { get; private set; } = null!;

    public TimeProvider Time { get; }

    public List<ClusterNode> Nodes { get; } = [];

    public static async Task<Cluster> StartAsync(int instances, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null, int tokenDelayMs = 0)
    {
        var db = await PostgresDatabase.CreateAsync();
        var weCom = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        var clock = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8)));
        var cluster = new Cluster(db, weCom, clock);
        // The one rule-keeper answers every instance (shared, as WeCom is): tokens, task ids, response codes, members.
        var sim = cluster.Simulator = new RapidResponse.Bot.WeCom.Simulator.WeComSimulator(clock, new RapidResponse.Bot.WeCom.Simulator.SimulatorSettings
        {
            CorpId = RapidResponse.Bot.Tests.WeCom.Vectors.CorpId, AgentId = 1000002, AppSecret = "app-secret",
        });
        RapidResponse.Bot.Sandbox.SandboxWeCom.UseRoster(sim, () => cluster.Nodes[0].Services.CreateScope());
        WireMock.ResponseMessage Answer(WireMock.IRequestMessage req)
        {
            return RapidResponse.Bot.Tests.Infrastructure.FakeWeCom.ToResponse(
                sim.HandleRaw(req.Method, new Uri(req.Url).PathAndQuery, req.BodyAsBytes, RapidResponse.Bot.Tests.Infrastructure.FakeWeCom.ContentType(req)));
        }
        var token = Response.Create().WithCallback(Answer);
        weCom.Given(Request.Create().WithPath(TokenPath).UsingGet()).RespondWith(tokenDelayMs > 0 ? token.WithDelay(tokenDelayMs) : token);
        weCom.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/cgi-bin/*"))).AtPriority(RapidResponse.Bot.Tests.Infrastructure.FakeWeCom.SimulatorPriority)
            .RespondWith(Response.Create().WithCallback(Answer));
        // Started one after another: the first applies the migration, the others find it applied.
        for (var i = 0; i < instances; i++) await cluster.AddNodeAsync(settings);
        return cluster;
    }

    public async Task<ClusterNode> AddNodeAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var node = new ClusterNode($"node{Nodes.Count + 1}", Database.ConnectionString, WeCom.Url!, Time, settings ?? new Dictionary<string, string?>());
        _ = node.Server; // starts the host (migrates the database)
        Nodes.Add(node);
        await Task.Yield();
        return node;
    }

    /// <summary>Takes an instance away (its Quartz scheduler stops checking in; its peers recover what it held).</summary>
    public async Task StopNodeAsync(ClusterNode node)
    {
        Nodes.Remove(node);
        await node.DisposeAsync();
    }

    public BotDb NewDb() => Nodes[0].NewDb();

    /// <summary>Bodies of the requests WeCom received on <paramref name="path"/>.</summary>
    public List<string> Bodies(string path) => [.. WeCom.LogEntries.Where(e => e.RequestMessage.Path == path).Select(e => e.RequestMessage.Body ?? "")];

    public int Count(string path) => WeCom.LogEntries.Count(e => e.RequestMessage.Path == path);

    /// <summary>Polls (real time) until the condition on a fresh context holds.</summary>
    public async Task WaitUntilAsync(Func<BotDb, Task<bool>> condition, string what, int timeoutMs = 30000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            await using (var db = NewDb())
                if (await condition(db)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for: {what}");
            await Task.Delay(50);
        }
    }

    public Task WaitInboxIdleAsync() =>
        WaitUntilAsync(db => db.Inbox.AllAsync(x => x.Status != Domain.Messaging.InboxStatus.Pending), "inbox drained");

    public async ValueTask DisposeAsync()
    {
        foreach (var n in Nodes) await n.DisposeAsync();
        WeCom.Stop();
        WeCom.Dispose();
        await Database.DisposeAsync();
    }
}
