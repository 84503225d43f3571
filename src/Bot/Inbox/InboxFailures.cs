using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Inbox;

/// <summary>
/// What happens when an inbound message is given up after its last try: the sender is told it was passed on to people,
/// and every active county-office member (Staff role CountyOffice) gets one notice naming the row, masked. Both are
/// outbox rows in the caller's context, saved with the row's Failed status.
/// </summary>
public sealed class InboxFailures(BotDb db, Messenger messenger, ILogger<InboxFailures> log)
{
    public async Task GiveUpAsync(InboxMessage row, CancellationToken ct)
    {
        var m = Read(row);
        if (m is not null) messenger.Reply(m, "inbox.failed_apology");
        var office = await db.Staff.AsNoTracking().Where(s => s.Role == StaffRole.CountyOffice && s.Active).OrderBy(s => s.UserId).Select(s => s.UserId).ToListAsync(ct);
        if (office.Count == 0) log.LogCritical("Inbound message {Id} failed and no active county-office staff is on the roster to tell", row.Id);
        var model = new
        {
            row.Id,
            Sender = LogMask.Id(row.SenderId),
            Channel = ChannelName(row.Channel),
            Summary = Summary(row),
            row.Attempts,
            Error = Mask.Text(row.Error),
            Apologised = m is not null,
        };
        foreach (var user in office) messenger.ToStaff(user, "inbox.failed_notice", model);
    }

    /// <summary>The stored message, or null when its payload cannot be read back.</summary>
    public static Inbound? Read(InboxMessage row)
    {
        try { return JsonSerializer.Deserialize<Inbound>(row.Payload, InboxWriter.Json); }
        catch (JsonException) { return null; }
    }

    /// <summary>What the message was, in a few masked words: "文字：申报 身份证号4101**********1234…", "卡片按钮 no_anomaly".</summary>
    public static string Summary(InboxMessage row)
    {
        var m = Read(row);
        return m?.Kind switch
        {
            null => "（内容无法读取）",
            InboundKind.Text => "文字：" + Truncate(Mask.Text(m.Text), 40),
            InboundKind.CardClick => $"卡片按钮 {m.Key}（任务 {m.TaskId}）",
            InboundKind.MenuClick => $"菜单 {m.Key}",
            InboundKind.Enter => "进入会话",
            _ => "其他消息",
        };
    }

    public static string ChannelName(InboundChannel c) => c switch
    {
        InboundChannel.App => "企业微信应用",
        InboundChannel.Kf => "微信客服",
        InboundChannel.Sandbox => "演示环境",
        _ => c.ToString(),
    };

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
