using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Outbox;

/// <summary>A channel whose sending is stopped on a configuration fault, as health and operators see it (no secrets).</summary>
/// <param name="Key">Circuit key: <c>app</c>, <c>kf</c> or <c>webhook:&lt;hash of the key&gt;</c>.</param>
/// <param name="Channel">What stopped, in Chinese (a robot's key masked).</param>
/// <param name="Code">WeCom's errcode that opened it.</param>
/// <param name="Fix">What the operator must change.</param>
public sealed record OpenCircuit(
    string Key, string Channel, string Code, string Reason, string Fix, DateTimeOffset OpenedAt, DateTimeOffset NextProbeAt, [property: System.Text.Json.Serialization.JsonIgnore] long Version)
{
    /// <summary>Identifies one opening (alerts are deduplicated by it).</summary>
    public string Opening => OpenedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What health checks ask of the outbox: which channels are stopped, with the code and the fix.</summary>
public interface IOutboxCircuits
{
    Task<IReadOnlyList<OpenCircuit>> OpenCircuitsAsync(CancellationToken ct = default);
}

/// <summary>
/// Circuits per WeCom credential (protocol notes §12: 60020 / 40001 / 40013 / 48002 / 95003 are configuration faults, not
/// message faults): the app secret covers app messages and app group chats, the 微信客服 secret 微信客服, a webhook key its own
/// robot. An open circuit is a <c>KeyValues</c> row, so every instance of a cluster sees it, exactly one opens it (the
/// primary key) and so exactly one alert goes out per opening. While open, its rows stay pending and unclaimed; every
/// <see cref="OutboxOptions.CircuitProbeInterval"/> one instance takes the probe (compare-and-swap on the row's version)
/// and sends one row; its success closes the circuit.
/// </summary>
public sealed class OutboxCircuits(IServiceScopeFactory scopes, IOptions<OutboxOptions> options, TimeProvider time, ILogger<OutboxCircuits> log)
    : IOutboxCircuits
{
    public const string Prefix = "outbox:circuit:";
    public const string App = "app";
    public const string Kf = "kf";

    private sealed record State(string Code, string Reason, string? Webhook, DateTimeOffset OpenedAt, DateTimeOffset NextProbeAt);

    /// <summary>The circuit (credential) a row is sent with.</summary>
    public static string KeyOf(OutboxMessage row) => row.Channel switch
    {
        OutboundChannel.Kf => Kf,
        OutboundChannel.Webhook => WebhookKey(row.Recipient),
        _ => App,
    };

    /// <summary>A robot's circuit key: a hash, so the webhook key (its only credential) is not repeated in a key or a log.</summary>
    public static string WebhookKey(string webhook) =>
        "webhook:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(webhook)))[..16].ToLowerInvariant();

    /// <summary>Channels a circuit stops (a webhook circuit stops only rows to its robot).</summary>
    public static OutboundChannel[] ChannelsOf(string key) => key switch
    {
        App => [OutboundChannel.AppUser, OutboundChannel.AppChat],
        Kf => [OutboundChannel.Kf],
        _ => [],
    };

    public async Task<IReadOnlyList<OpenCircuit>> OpenCircuitsAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var rows = await db.KeyValues.AsNoTracking().Where(k => k.Key.StartsWith(Prefix)).ToListAsync(ct);
        return [.. rows.Select(ToCircuit).OrderBy(c => c.OpenedAt)];
    }

    /// <summary>The raw webhook keys of open robot circuits (the claim query excludes their rows).</summary>
    internal async Task<(IReadOnlyList<OpenCircuit> Open, HashSet<string> Webhooks)> SnapshotAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var rows = await db.KeyValues.AsNoTracking().Where(k => k.Key.StartsWith(Prefix)).ToListAsync(CancellationToken.None);
        var hooks = rows.Select(r => Read(r).Webhook).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return ([.. rows.Select(ToCircuit)], hooks);
    }

    /// <summary>Opens the row's circuit; the new circuit only for the caller that opened it (who then alerts), null when it was open already.</summary>
    public async Task<OpenCircuit?> TryOpenAsync(OutboxMessage row, string code, string reason)
    {
        var now = time.GetUtcNow();
        var key = KeyOf(row);
        var state = new State(code, reason, row.Channel == OutboundChannel.Webhook ? row.Recipient : null, now, now + options.Value.CircuitProbeInterval);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        if (await db.KeyValues.AsNoTracking().AnyAsync(k => k.Key == Prefix + key, CancellationToken.None)) return null;
        var entry = new KeyValueEntry { Key = Prefix + key, Value = JsonSerializer.Serialize(state), UpdatedAt = now, Version = 1 };
        db.KeyValues.Add(entry);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateException)
        {
            // Another dispatcher or instance opened it first: one opening, one alert.
            return null;
        }

        log.LogCritical("Outbox circuit {Key} opened on code {Code}: {Reason}; rows stay pending, probe every {Interval}",
            key, code, reason, options.Value.CircuitProbeInterval);
        return ToCircuit(entry);
    }

    /// <summary>
    /// Takes the circuit's due probe for this caller: moves its next probe one interval on, if no one else did since
    /// <paramref name="c"/> was read. True = send one row of the circuit now.
    /// </summary>
    public async Task<bool> TryTakeProbeAsync(OpenCircuit c)
    {
        var now = time.GetUtcNow();
        if (c.NextProbeAt > now) return false;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var entry = await db.KeyValues.AsNoTracking().FirstOrDefaultAsync(k => k.Key == Prefix + c.Key, CancellationToken.None);
        if (entry is null || entry.Version != c.Version) return false;
        var next = JsonSerializer.Serialize(Read(entry) with { NextProbeAt = now + options.Value.CircuitProbeInterval });
        var taken = await db.KeyValues.Where(k => k.Key == entry.Key && k.Version == c.Version).ExecuteUpdateAsync(s => s
            .SetProperty(k => k.Value, next).SetProperty(k => k.UpdatedAt, now).SetProperty(k => k.Version, c.Version + 1), CancellationToken.None);
        return taken == 1;
    }

    /// <summary>WeCom answered the probe: sending resumes on the circuit's channel.</summary>
    public async Task CloseAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        if (await db.KeyValues.Where(k => k.Key == Prefix + key).ExecuteDeleteAsync(CancellationToken.None) > 0)
            log.LogWarning("Outbox circuit {Key} closed: WeCom answered the probe, sending resumes", key);
    }

    private static State Read(KeyValueEntry e) => JsonSerializer.Deserialize<State>(e.Value)!;

    private static OpenCircuit ToCircuit(KeyValueEntry e)
    {
        var s = Read(e);
        var key = e.Key[Prefix.Length..];
        var channel = key switch
        {
            App => "应用消息和应用群聊（应用 Secret）",
            Kf => "微信客服（微信客服 Secret）",
            _ => $"群机器人 {LogMask.Id(s.Webhook)}",
        };
        return new OpenCircuit(key, channel, s.Code, s.Reason, CircuitFixes.For(s.Code), s.OpenedAt, s.NextProbeAt, e.Version);
    }
}

/// <summary>What an operator changes for each stop-and-alert code (protocol notes §8), in plain Chinese.</summary>
public static class CircuitFixes
{
    public static string For(string code) => code switch
    {
        "60020" => "把服务器的出口IP加入企业微信管理后台 应用管理→本应用→企业可信IP（约1分钟生效）",
        "40001" or "41004" => "检查 WeCom:Secret（微信客服为 WeCom:Kf:Secret）是否与管理后台一致、是否已重置；Secret 连续错误会让服务器IP被封禁1小时",
        "40013" => "检查 WeCom:CorpId 是否为本企业的企业ID（管理后台 我的企业→企业信息）",
        "48002" => "本应用无权调用该接口：应用群聊要求应用可见范围为根部门；确认 Secret 属于本应用",
        "60011" => "检查应用的可见范围是否包含接收人",
        "301002" => "WeCom:AgentId 与 WeCom:Secret 不属于同一个应用",
        "93000" or "93004" or "93008" => "群机器人已失效、被停用或已移出群聊：在群里重新添加机器人，并用新的 webhook_key 重新导入该群（groups）",
        "95000" or "95004" => "检查客服账号 open_kfid 是否存在、是否属于本企业",
        "95003" => "企业未认证，微信客服可接待的客户数已达上限：请完成企业认证",
        "95011" or "95012" => "WeCom:Kf:Secret 应为“微信客服”的 Secret（注意联合版/独立版）",
        _ => "按错误码查阅企业微信全局错误码说明，修正配置",
    };
}
