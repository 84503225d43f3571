using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.WeCom.Simulator;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using WireMock.Logging;

namespace RapidResponse.Bot.Tests.Outbox;

/// <summary>
/// The real app (<see cref="BotFactory"/> on Program) against the rule-keeping fake WeCom, and the steps outbox tests take:
/// seed rows as feature code does, wait (real time) for the dispatcher, read what WeCom received.
/// </summary>
internal static class OutboxRows
{
    public const string AgentId = "1000002";
    public const string OpenKfId = "wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q";
    public const string SendPath = "/cgi-bin/message/send";
    public const string SyncPath = "/cgi-bin/kf/sync_msg";

    /// <summary>
    /// Starts the app (unless <paramref name="start"/> is false) with its logs captured. The simulated corp knows the members
    /// these tests write to (zhangsan, lisi, wangwu, user0…user5), the robots hook-1 and hook-key-1, the group chat
    /// chatDaping01 and the 微信客服 account <see cref="OpenKfId"/>; anyone else is unknown to it.
    /// </summary>
    public static Task<BotFactory> StartAsync(Dictionary<string, string?>? settings = null, bool start = true)
    {
        var f = new BotFactory().WithWeCom().CaptureLogs();
        f.Settings["Outbox:PollInterval"] = "00:00:00.020";
        foreach (var (k, v) in settings ?? []) f.Settings[k] = v;
        var sim = f.WeCom!.Simulator;
        foreach (var m in new[] { "zhangsan", "lisi", "wangwu", "user0", "user1", "user2", "user3", "user4", "user5" }) sim.SetMember(m);
        sim.AddRobot("hook-1");
        sim.AddRobot("hook-key-1");
        sim.AddChat("chatDaping01", "大坪村工作群", "zhangsan", "lisi");
        sim.KfAccounts.Add(OpenKfId);
        if (start) f.StartServer();
        return Task.FromResult(f);
    }

    /// <summary>Seeds rows directly, as feature code does (NotBefore = now unless set).</summary>
    public static async Task<List<OutboxMessage>> SeedAsync(this BotFactory f, params OutboxMessage[] rows)
    {
        await using var db = f.NewDb();
        foreach (var r in rows)
        {
            if (r.CreatedAt == default) r.CreatedAt = f.Time.GetUtcNow();
            if (r.NotBefore == default) r.NotBefore = f.Time.GetUtcNow();
        }

        db.Outbox.AddRange(rows);
        await db.SaveChangesAsync();
        return [.. rows];
    }

    public static OutboxMessage Text(string to, string content, OutboundChannel channel = OutboundChannel.AppUser, IReadOnlyList<string>? mentions = null) => new()
    {
        Channel = channel, Recipient = to, Kind = OutboundKind.Text, Payload = OutboundPayload.Serialize(new TextBody(content, mentions)),
    };

    /// <summary>Every request WeCom received on <paramref name="path"/> (refused ones included).</summary>
    public static IReadOnlyList<ILogEntry> Requests(this BotFactory f, string path) => [.. f.WeComApi!.LogEntries.Where(e => e.RequestMessage.Path == path)];

    public static IReadOnlyList<JsonNode> Bodies(this BotFactory f, string path) => [.. f.Requests(path).Select(e => JsonNode.Parse(e.RequestMessage.Body!)!)];

    /// <summary>What the simulator answered on <paramref name="path"/> (the calls it saw, oldest first).</summary>
    public static IReadOnlyList<SimExchange> Answers(this BotFactory f, string path) => f.WeCom!.Simulator.CallsTo(path);

    /// <summary>Polls (real time) until the condition on a fresh database context holds.</summary>
    public static async Task WaitUntilAsync(this BotFactory f, Func<BotDb, Task<bool>> condition, string what, int timeoutMs = 15000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            await using (var db = f.NewDb())
            {
                if (await condition(db)) return;
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }

    public static Task WaitForStatusAsync(this BotFactory f, long id, OutboxStatus status) =>
        f.WaitUntilAsync(async db => (await db.Outbox.AsNoTracking().FirstAsync(x => x.Id == id)).Status == status, $"row {id} {status}");

    /// <summary>Lets the dispatcher run a few polls (real time) so that "nothing happened" is meaningful.</summary>
    public static Task SettleAsync() => Task.Delay(300);

    public static async Task<OutboxMessage> RowAsync(this BotFactory f, long id)
    {
        await using var db = f.NewDb();
        return await db.Outbox.AsNoTracking().FirstAsync(x => x.Id == id);
    }
}
