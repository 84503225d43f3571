using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>What instances share through the database: one access_token, and WeCom's per-recipient limits.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterWeComTests
{
    [PostgresFact]
    public async Task AccessToken_ShouldBeFetchedOnceForTheDeployment_WhenEveryInstanceNeedsItAtOnce()
    {
        // gettoken answers slowly, so every instance is waiting for a token at the same time.
        await using var c = await Cluster.StartAsync(3, new Dictionary<string, string?> { ["Outbox:BatchSize"] = "2" }, tokenDelayMs: 700);
        Assert.All(c.Nodes, n => Assert.IsType<DatabaseAccessTokenStore>(n.Services.GetRequiredService<IAccessTokenStore>()));
        await SeedAsync(c, Enumerable.Range(0, 30).Select(i => $"user_{i:00}"));

        await c.WaitUntilAsync(async db => await db.Outbox.CountAsync(o => o.Status == OutboxStatus.Sent) == 30, "all sent");
        Assert.Equal(1, c.Count(Cluster.TokenPath));
        // Every instance sent with the one token WeCom issued.
        Assert.Single(c.WeCom.LogEntries.Where(e => e.RequestMessage.Path == Cluster.SendPath)
            .Select(e => System.Web.HttpUtility.ParseQueryString(new Uri(e.RequestMessage.Url).Query)["access_token"]).Distinct());
    }

    [PostgresFact]
    public async Task TryInvalidate_ShouldKeepAPeersFreshToken_WhenAnInstanceReportsTheTokenItUsedAsFailed()
    {
        await using var c = await Cluster.StartAsync(2);
        var one = c.Nodes[0].Services.GetRequiredService<IAccessTokenStore>();
        var two = c.Nodes[1].Services.GetRequiredService<IAccessTokenStore>();
        var now = c.Time.GetUtcNow();
        await one.SetAsync("corp:app", new AccessToken("old", now.AddHours(2), now.AddHours(1)), default);
        // Instance two saw "old" fail (42001), refreshed and stored "new"; instance one's report about "old" arrives late.
        Assert.True(await two.TryInvalidateAsync("corp:app", "old", default));
        await two.SetAsync("corp:app", new AccessToken("new", now.AddHours(2), now.AddHours(1)), default);
        Assert.False(await one.TryInvalidateAsync("corp:app", "old", default));
        Assert.Equal("new", (await one.GetAsync("corp:app", default))?.Value);
        Assert.True(await one.TryInvalidateAsync("corp:app", "new", default));
        Assert.Null(await two.GetAsync("corp:app", default));
    }

    [PostgresFact]
    public async Task RateLimits_ShouldHoldForTheDeployment_WhenThreeInstancesSendToOneMember()
    {
        await using var c = await Cluster.StartAsync(3, new Dictionary<string, string?> { ["Outbox:BatchSize"] = "5" });
        Assert.All(c.Nodes, n => Assert.IsType<DatabaseRateGate>(n.Services.GetRequiredService<ISendRateGate>()));
        await SeedAsync(c, Enumerable.Repeat("busy_member", 40));

        // 30 a minute per member (§7): the clock stands still, so exactly 30 leave and 10 wait for the window.
        await c.WaitUntilAsync(async db => await db.Outbox.CountAsync(o => o.Status == OutboxStatus.Sent) == 30
            && await db.Outbox.CountAsync(o => o.Status == OutboxStatus.Pending && o.NotBefore > c.Time.GetUtcNow()) == 10, "30 sent, 10 deferred");
        await Task.Delay(500);
        Assert.Equal(30, c.Count(Cluster.SendPath));
        await using var db = c.NewDb();
        var deferred = await db.Outbox.AsNoTracking().Where(o => o.Status == OutboxStatus.Pending).ToListAsync();
        Assert.All(deferred, o => Assert.Equal(c.Time.GetUtcNow().AddMinutes(1), o.NotBefore));
    }

    private static async Task SeedAsync(Cluster c, IEnumerable<string> recipients)
    {
        var now = c.Time.GetUtcNow();
        await using var db = c.NewDb();
        var i = 0;
        foreach (var r in recipients) c.Simulator.SetMember(r); // members of the simulated corp
        foreach (var r in recipients)
            db.Outbox.Add(new OutboxMessage
            {
                Channel = OutboundChannel.AppUser, Recipient = r, Kind = OutboundKind.Text,
                Payload = OutboundPayload.Serialize(new TextBody($"msg {i++}")), CreatedAt = now, NotBefore = now,
            });
        await db.SaveChangesAsync();
    }
}
