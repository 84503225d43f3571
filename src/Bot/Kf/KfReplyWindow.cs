using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Outbox;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Kf;

/// <summary>
/// 微信客服 reply window (§5.4): replies only within 48 h of the user's last message, at most 5 per user message.
/// Counted from the database (the user's messages in the inbox, our sent replies in the outbox), so a restart or a second
/// instance neither loses a window nor breaches it.
/// </summary>
public sealed class KfReplyWindow(IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>Null when a reply may go now; otherwise what to do with it (dead: window closed; deferred: wait for the user).</summary>
    public async Task<TransportResult?> CheckAsync(string externalUserId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var now = time.GetUtcNow();
        var enter = nameof(Conversations.InboundKind.Enter);
        var last = await db.Inbox.AsNoTracking()
            .Where(x => x.Channel == InboundChannel.Kf && x.SenderId == externalUserId && x.Kind != enter)
            .OrderByDescending(x => x.ReceivedAt).Select(x => (DateTimeOffset?)x.ReceivedAt).FirstOrDefaultAsync(ct);
        // Never dead because the window closed: held until the farmer writes again (KfPuller and the conversation engine
        // make held rows due at once then).
        if (last is null || now - last.Value >= RateLimits.KfReplyWindow)
            return TransportResult.Deferred(OutboxMessage.HeldForCustomer, "等待农户再次发消息：对方超过48小时没有发消息，微信客服暂不能回复");

        var replies = await db.Outbox.AsNoTracking()
            .CountAsync(x => x.Channel == OutboundChannel.Kf && x.Recipient == externalUserId && x.Status == OutboxStatus.Sent && x.SentAt >= last, ct);
        // The user's next message reopens the count; KfPuller then makes this row due at once.
        return replies >= RateLimits.KfRepliesPerUserMessage
            ? TransportResult.Deferred(last.Value + RateLimits.KfReplyWindow, "已回复5条，等对方再发消息后继续（微信客服每条用户消息最多回复5条）")
            : null;
    }
}
