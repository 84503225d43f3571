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
    private int _msgIds;

    private Cluster(PostgresDatabase db, WireMockServer weCom, TimeProvider time)
    {
        Database = db;
        WeCom = weCom;
        Time = time;
    }

    public PostgresDatabase Database { get; }

    public WireMockServer WeCom { get; }

    public TimeProvider Time { get; }

    public List<ClusterNode> Nodes { get; } = [];

    public static async Task<Cluster> StartAsync(int instances, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null, int tokenDelayMs = 0)
    {
        var db = await PostgresDatabase.CreateAsync();
        var weCom = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        var token = Response.Create().WithBodyAsJson(new { errcode = 0, errmsg = "ok", access_token = "shared-token", expires_in = 7200 });
        weCom.Given(Request.Create().WithPath(TokenPath).UsingGet()).RespondWith(tokenDelayMs > 0 ? token.WithDelay(tokenDelayMs) : token);
        var cluster = new Cluster(db, weCom, time ?? new FakeTimeProvider(new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8))));
        // Every send API (message/send, appchat/send, webhooks) succeeds with a fresh msgid.
        weCom.Given(Request.Create().UsingPost())
            .RespondWith(Response.Create().WithCallback(_ => new WireMock.ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
                BodyData = new WireMock.Util.BodyData
                {
                    DetectedBodyType = WireMock.Types.BodyType.String,
                    BodyAsString = $"{{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":\"m{Interlocked.Increment(ref cluster._msgIds)}\"}}",
                },
            }));
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
