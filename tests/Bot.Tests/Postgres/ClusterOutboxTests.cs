using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>Every instance runs an outbox dispatcher on the one table: each message leaves once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterOutboxTests
{
    [PostgresFact]
    public async Task Dispatchers_ShouldSendEveryMessageOnce_WhenThreeInstancesWorkOneOutboxUnderLoad()
    {
        await using var c = await Cluster.StartAsync(3, new Dictionary<string, string?> { ["Outbox:BatchSize"] = "20" });
        const int recipients = 60, perRecipient = 5;
        for (var r = 0; r < recipients; r++) c.Simulator.SetMember($"user_{r:00}"); // members of the simulated corp
        var now = c.Time.GetUtcNow();
        // Written from every instance, as feature code on each of them would.
        for (var n = 0; n < c.Nodes.Count; n++)
        {
            await using var db = c.Nodes[n].NewDb();
            for (var r = n; r < recipients; r += c.Nodes.Count)
                for (var i = 0; i < perRecipient; i++)
                    db.Outbox.Add(new OutboxMessage
                    {
                        Channel = OutboundChannel.AppUser, Recipient = $"user_{r:00}", Kind = OutboundKind.Text,
                        Payload = OutboundPayload.Serialize(new TextBody($"msg {r:00}-{i}")), CreatedAt = now, NotBefore = now,
                    });
            await db.SaveChangesAsync();
        }

        await c.WaitUntilAsync(async db => await db.Outbox.CountAsync(o => o.Status == OutboxStatus.Sent) == recipients * perRecipient, "all sent", 60_000);

        var contents = c.Bodies(Cluster.SendPath).Select(b => JsonNode.Parse(b)!["text"]!["content"]!.GetValue<string>()).ToList();
        Assert.Equal(recipients * perRecipient, contents.Count);
        Assert.Equal(contents.Count, contents.Distinct().Count());
        await using var check = c.NewDb();
        var msgIds = await check.Outbox.AsNoTracking().Select(o => o.PlatformMessageId).ToListAsync();
        Assert.Equal(msgIds.Count, msgIds.Distinct().Count());
        Assert.All(await check.Outbox.AsNoTracking().ToListAsync(), o => Assert.Equal(1, o.Attempts));
    }

    /// <summary>
    /// Issue 11 item 6 across instances: 60020 seen by every instance opens one circuit (a KeyValues row), alerts the county
    /// office once, keeps every row pending, and the whole cluster sends one probe per interval; the probe that succeeds
    /// resumes sending on all instances.
    /// </summary>
    [PostgresFact]
    public async Task Dispatchers_ShouldShareOneCircuitOneAlertAndOneProbe_WhenWeComAnswers60020ToEveryInstance()
    {
        await using var c = await Cluster.StartAsync(3, new Dictionary<string, string?> { ["Outbox:BatchSize"] = "5" });
        var time = (Microsoft.Extensions.Time.Testing.FakeTimeProvider)c.Time;
        var refusing = true;
        c.WeCom.Given(WireMock.RequestBuilders.Request.Create().WithPath(Cluster.SendPath).UsingPost().WithBody((string? _) => refusing)).AtPriority(-10) // before the cluster's catch-all (priority 0)
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithBodyAsJson(new { errcode = 60020, errmsg = "not allow to access from your ip" }));
        var now = time.GetUtcNow();
        await using (var db = c.Nodes[0].NewDb())
        {
            db.Staff.Add(new RapidResponse.Domain.Roster.Staff { UserId = "office1", Name = "县办甲", Role = RapidResponse.Domain.Roster.StaffRole.CountyOffice, RegionCode = "530000" });
            for (var i = 0; i < 30; i++) c.Simulator.SetMember($"user_{i:00}");
            for (var i = 0; i < 30; i++)
                db.Outbox.Add(new OutboxMessage
                {
                    Channel = OutboundChannel.AppUser, Recipient = $"user_{i:00}", Kind = OutboundKind.Text,
                    Payload = OutboundPayload.Serialize(new TextBody($"msg {i:00}")), CreatedAt = now, NotBefore = now,
                });
            await db.SaveChangesAsync();
        }

        // Batches claimed before the circuit opened finish first (their in-flight sends are refused too); then nothing moves.
        await c.WaitUntilAsync(async db => await db.KeyValues.AnyAsync(k => k.Key.StartsWith("outbox:circuit:"))
                                           && !await db.Outbox.AnyAsync(o => o.Status == OutboxStatus.Sending), "circuit open, batches done");
        await Task.Delay(500);
        var refused = c.Count(Cluster.SendPath);
        await using (var db = c.NewDb())
        {
            Assert.Equal(0, await db.Outbox.CountAsync(o => o.Status == OutboxStatus.Dead));
            Assert.Equal(1, await db.Outbox.CountAsync(o => o.DedupeKey != null && o.DedupeKey.StartsWith("alert:outbox:")));
            Assert.Equal(1, await db.KeyValues.CountAsync(k => k.Key.StartsWith("outbox:circuit:")));
        }

        // Still refused at the first probe: exactly one request from the whole cluster.
        time.Advance(TimeSpan.FromMinutes(5));
        await c.WaitUntilAsync(async db => c.Count(Cluster.SendPath) > refused && !await db.Outbox.AnyAsync(o => o.Status == OutboxStatus.Sending), "probe");
        await Task.Delay(500);
        Assert.Equal(refused + 1, c.Count(Cluster.SendPath));

        refusing = false;
        time.Advance(TimeSpan.FromMinutes(5));
        await c.WaitUntilAsync(async db => await db.Outbox.CountAsync(o => o.Status != OutboxStatus.Sent) == 0, "all sent after the probe", 60_000);
        await using var check = c.NewDb();
        Assert.Equal(31, await check.Outbox.CountAsync());
        Assert.False(await check.KeyValues.AnyAsync(k => k.Key.StartsWith("outbox:circuit:")));
    }
}
