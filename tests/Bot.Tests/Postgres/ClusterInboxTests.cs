using System.Net;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>Several instances behind one callback URL: WeCom's re-deliveries reach any instance, each message acts once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterInboxTests
{
    [PostgresFact]
    public async Task Callback_ShouldActOnce_WhenCopiesOfOneMessageReachEveryInstanceAtOnce()
    {
        await using var c = await Cluster.StartAsync(3);
        await using (var db = c.NewDb()) TestRoster.Seed(db);
        var farmers = Enumerable.Range(1, 12).Select(i => $"farmer_{i:00}").ToList();

        // Each farmer's message is delivered four times (WeCom retries), the copies spread over the three instances, all at once.
        var posts = farmers.SelectMany((f, i) => Enumerable.Range(0, 4).Select(copy =>
            c.Nodes[(i + copy) % c.Nodes.Count].PostCallbackAsync(ClusterNode.TextCallback(f, "申报", 8_100_000 + i, c.Time.GetUtcNow()))));
        var answers = await Task.WhenAll(posts);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await c.WaitInboxIdleAsync();
        // What one delivery of the message causes (greeting and first question), for comparison.
        await c.Nodes[0].PostCallbackAsync(ClusterNode.TextCallback("farmer_once", "申报", 8_199_999, c.Time.GetUtcNow()));
        await c.WaitInboxIdleAsync();

        await using var check = c.NewDb();
        var once = await check.Outbox.CountAsync(o => o.Recipient == "farmer_once" && o.Kind == OutboundKind.Text);
        Assert.True(once > 0);
        var inbox = await check.Inbox.AsNoTracking().Where(r => r.SenderId != "farmer_once").ToListAsync();
        Assert.Equal(farmers.Count, inbox.Count);
        Assert.All(inbox, r => Assert.Equal(InboxStatus.Processed, r.Status));
        // Each farmer got what one delivery causes: the message was acted on once, by one instance.
        var replies = await check.Outbox.AsNoTracking().Where(o => o.Kind == OutboundKind.Text && o.Recipient != "farmer_once").GroupBy(o => o.Recipient)
            .Select(g => new { g.Key, N = g.Count() }).ToListAsync();
        Assert.Equal(farmers.Order(), replies.Select(r => r.Key).Order());
        Assert.All(replies, r => Assert.Equal(once, r.N));
    }

    [PostgresFact]
    public async Task InboxProcessor_ShouldKeepOnePersonsOrder_WhenTheirMessagesArriveAtDifferentInstances()
    {
        await using var c = await Cluster.StartAsync(3);
        await using (var db = c.NewDb()) TestRoster.Seed(db);
        // A whole report form, each step to another instance: any reordering or double handling breaks the form.
        var steps = new[] { "申报", TestRoster.IdUnknown, "刘一", "13800009999", "李树村", "因病", "丈夫住院，自付医疗费三万元", "确认" };
        for (var i = 0; i < steps.Length; i++)
        {
            var r = await c.Nodes[i % c.Nodes.Count].PostCallbackAsync(ClusterNode.TextCallback("villager_liu", steps[i], 8_200_000 + i, c.Time.GetUtcNow()));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            // The copy WeCom sends when it did not get our answer in time lands on the next instance.
            await c.Nodes[(i + 1) % c.Nodes.Count].PostCallbackAsync(ClusterNode.TextCallback("villager_liu", steps[i], 8_200_000 + i, c.Time.GetUtcNow()));
        }
        await c.WaitInboxIdleAsync();

        await using var check = c.NewDb();
        Assert.Equal(steps.Length, await check.Inbox.CountAsync());
        Assert.Equal(1, await check.Cases.CountAsync());
        var texts = (await check.Outbox.AsNoTracking().Where(o => o.Recipient == "villager_liu" && o.Kind == OutboundKind.Text).OrderBy(o => o.Id).ToListAsync())
            .Select(o => OutboundPayload.Deserialize<TextBody>(o.Payload).Content).ToList();
        // The greeting, then one answer per message (plus the identity notice: this ID is not on the roster), ending in the receipt.
        Assert.Equal(steps.Length + 2, texts.Count);
        Assert.Equal(texts.Count, texts.Distinct().Count());
        Assert.Contains("YL-2026-000001", texts[^1]);
    }
}
