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
}
