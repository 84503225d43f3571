using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Inbox;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Bot.WeCom.Callbacks;
using RapidResponse.Bot.WeCom.Kf;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Kf;

/// <summary>
/// Pulls 微信客服 messages after a notification (§5.3) through <see cref="KfSyncClient"/> (kf/sync_msg with the callback
/// Token, page after page while has_more = 1), next_cursor persisted after every page ("kf:cursor:{open_kfid}"), each customer
/// message stored once in the inbox under "kfmsg|{msgid}". Notifications arrive through <see cref="Enqueue(KfMsgOrEvent)"/>;
/// one reader works them in order, so pulls of one account never overlap. On start it catches up every known account
/// (without a token, which WeCom rate-limits strictly, once).
/// </summary>
public sealed class KfPuller(
    IServiceScopeFactory scopes,
    KfSyncClient sync,
    InboxWriter inbox,
    KfSessions sessions,
    TimeProvider time,
    ILogger<KfPuller> log) : BackgroundService
{
    public const string CursorPrefix = "kf:cursor:";

    private readonly Channel<(string OpenKfId, string? Token)> _queue =
        Channel.CreateUnbounded<(string, string?)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues a pull for the notification's account with its Token (valid 10 minutes). Never blocks.</summary>
    public void Enqueue(KfMsgOrEvent notification) => Enqueue(notification.OpenKfId, notification.Token);

    public void Enqueue(string openKfId, string? token) => _queue.Writer.TryWrite((openKfId, token));

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        try
        {
            await CatchUpAsync(stop);
            await foreach (var (openKfId, token) in _queue.Reader.ReadAllAsync(stop))
                await TryPullAsync(openKfId, token, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task CatchUpAsync(CancellationToken stop)
    {
        List<string> accounts;
        await using (var scope = scopes.CreateAsyncScope())
        {
            accounts = await scope.ServiceProvider.GetRequiredService<BotDb>().KeyValues.AsNoTracking()
                .Where(x => x.Key.StartsWith(CursorPrefix)).Select(x => x.Key.Substring(CursorPrefix.Length)).ToListAsync(stop);
        }

        foreach (var openKfId in accounts) await TryPullAsync(openKfId, null, stop);
    }

    private async Task TryPullAsync(string openKfId, string? token, CancellationToken stop)
    {
        try
        {
            await PullAsync(openKfId, token, stop);
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            // The cursor is saved page by page: the next notification (or restart) continues from there.
            log.LogWarning(e, "微信客服 pull for {OpenKfId} stopped", LogMask.Id(openKfId));
        }
    }

    /// <summary>Pulls until has_more = 0; returns how many new inbound messages were stored.</summary>
    public async Task<int> PullAsync(string openKfId, string? token, CancellationToken ct)
    {
        var cursor = await LoadCursorAsync(openKfId, ct);
        var stored = 0;
        await sync.ReadAsync(openKfId, cursor, token, async (page, c) =>
        {
            foreach (var m in page.Messages) stored += await HandleAsync(m, openKfId, c) ? 1 : 0;
            if (page.NewCursor is not null) await SaveCursorAsync(openKfId, page.NewCursor, c);
        }, ct);
        return stored;
    }

    private async Task<bool> HandleAsync(KfMessage m, string openKfId, CancellationToken ct)
    {
        var at = m.SendTime > 0 ? DateTimeOffset.FromUnixTimeSeconds(m.SendTime) : time.GetUtcNow();
        var kfId = m.OpenKfId ?? openKfId;
        switch (m.Origin)
        {
            case 3 when !string.IsNullOrEmpty(m.ExternalUserId):
                var text = m.MsgType == "text" ? m.Field("text", "content") : null;
                // Photos, voice and files carry a media_id (3 days) for media/get: evidence.
                var mediaId = m.MsgType is "image" or "voice" or "file" ? m.Field(m.MsgType, "media_id") : null;
                var kind = text is not null ? InboundKind.Text : mediaId is not null ? InboundKind.Media : InboundKind.Other;
                var inbound = new Inbound(InboundChannel.Kf, m.ExternalUserId, m.MsgId, kind, at, Text: text, Key: m.Field("text", "menu_id"), OpenKfId: kfId,
                    MediaId: mediaId, MediaType: mediaId is null ? null : m.MsgType, FileName: m.MsgType == "file" ? m.Field("file", "file_name") : null);
                if (!await inbox.AcceptAsync(inbound, DedupeKey(m.MsgId), ct)) return false;
                await UserWroteAsync(kfId, m.ExternalUserId, ct);
                return true;
            case 4 when m.MsgType == "event":
                return await HandleEventAsync(m, kfId, at, ct);
            default:
                // 5 = a human servicer wrote from WeCom; our own send_msg replies are never returned.
                return false;
        }
    }

    private async Task<bool> HandleEventAsync(KfMessage m, string kfId, DateTimeOffset at, CancellationToken ct)
    {
        var type = m.Field("event", "event_type");
        var user = m.Field("event", "external_userid") ?? m.ExternalUserId;
        kfId = m.Field("event", "open_kfid") ?? kfId;
        if (user is null) return false;
        switch (type)
        {
            case "enter_session":
                var enter = new Inbound(InboundChannel.Kf, user, m.MsgId, InboundKind.Enter, at, Key: m.Field("event", "scene_param"), OpenKfId: kfId,
                    WelcomeCode: m.Field("event", "welcome_code"));
                if (!await inbox.AcceptAsync(enter, DedupeKey(m.MsgId), ct)) return false;
                await sessions.EnsureBotHandlesAsync(kfId, user, ct);
                return true;
            case "session_status_change":
                await sessions.ForgetAsync(kfId, user, ct);
                return false;
            case "msg_send_fail":
                await MarkReplyFailedAsync(m.Field("event", "fail_msgid"), m.Field("event", "fail_type"), ct);
                return false;
            default:
                return false;
        }
    }

    public static string DedupeKey(string msgId) => $"kfmsg|{msgId}";

    /// <summary>The 48 h window reopens and the 5-reply count resets: replies waiting for this user become due now.</summary>
    private async Task UserWroteAsync(string kfId, string user, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using (var scope = scopes.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BotDb>().Outbox
                .Where(x => x.Channel == OutboundChannel.Kf && x.Recipient == user && x.Status == OutboxStatus.Pending && x.NotBefore > now)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.NotBefore, now), ct);
        }

        await sessions.EnsureBotHandlesAsync(kfId, user, ct);
    }

    /// <summary>send_msg answered 0 but delivery failed later (§5.4): the reply row is dead after all, with the reason.</summary>
    private async Task MarkReplyFailedAsync(string? failMsgId, string? failType, CancellationToken ct)
    {
        const string prefix = "rrb-outbox-";
        if (failMsgId is null || !failMsgId.StartsWith(prefix, StringComparison.Ordinal) || !long.TryParse(failMsgId[prefix.Length..], out var id)) return;
        var reason = $"微信客服投递失败（fail_type {failType}：{KfSyncClient.FailType(failType)}）";
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BotDb>().Outbox.Where(x => x.Id == id && x.Channel == OutboundChannel.Kf)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, OutboxStatus.Dead).SetProperty(x => x.LastError, reason), ct);
        log.LogWarning("微信客服 reply {Id} failed after sending: {Reason}", id, reason);
    }

    private async Task<string?> LoadCursorAsync(string openKfId, CancellationToken ct)
    {
        var key = CursorPrefix + openKfId;
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BotDb>().KeyValues.AsNoTracking()
            .Where(x => x.Key == key).Select(x => x.Value).FirstOrDefaultAsync(ct);
    }

    private async Task SaveCursorAsync(string openKfId, string cursor, CancellationToken ct)
    {
        var key = CursorPrefix + openKfId;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var entry = await db.KeyValues.FirstOrDefaultAsync(x => x.Key == key, ct);
        if (entry is null) db.KeyValues.Add(entry = new KeyValueEntry { Key = key, Value = cursor });
        entry.Value = cursor;
        entry.UpdatedAt = time.GetUtcNow();
        entry.Version++;
        await db.SaveChangesAsync(ct);
    }
}
