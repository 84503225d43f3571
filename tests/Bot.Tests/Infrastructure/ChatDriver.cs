using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Inbox;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Infrastructure;

/// <summary>Feeds inbound messages through the real inbox (as the callback endpoints do) and waits until they are processed.</summary>
public sealed class ChatDriver(BotFactory f)
{
    private int _seq;

    public async Task<Inbound> SendAsync(string from, string text, InboundChannel channel = InboundChannel.App, string? openKfId = null)
    {
        var m = new Inbound(channel, from, $"m{Interlocked.Increment(ref _seq)}-{Guid.NewGuid():N}", InboundKind.Text, f.Time.GetUtcNow(), Text: text, OpenKfId: openKfId);
        await DeliverAsync(m, m.MessageId);
        return m;
    }

    public async Task ClickAsync(string from, string taskId, string key, string? responseCode = null)
    {
        var code = responseCode ?? f.WeCom?.Simulator.Click(from, taskId, key)?.ResponseCode ?? $"rc-{Guid.NewGuid():N}";
        var m = new Inbound(InboundChannel.App, from, $"click-{Guid.NewGuid():N}", InboundKind.CardClick, f.Time.GetUtcNow(), TaskId: taskId, Key: key, ResponseCode: code);
        await DeliverAsync(m, m.ResponseCode!);
    }

    public async Task DeliverAsync(Inbound m, string dedupeKey)
    {
        var writer = f.Services.GetRequiredService<InboxWriter>();
        await writer.AcceptAsync(m, dedupeKey);
        await WaitIdleAsync();
    }

    /// <summary>Waits until no inbox row is pending (the processor runs in the background).</summary>
    public async Task WaitIdleAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            using var db = f.NewDb();
            if (!await db.Inbox.AnyAsync(x => x.Status == InboxStatus.Pending)) return;
            await Task.Delay(20);
        }
        throw new TimeoutException("inbox not drained in 20 s");
    }

    /// <summary>Texts sent to a recipient so far (outbox), oldest first.</summary>
    public List<string> TextsTo(string recipient)
    {
        using var db = f.NewDb();
        return db.Outbox.AsNoTracking().Where(o => o.Recipient == recipient && o.Kind == OutboundKind.Text).OrderBy(o => o.Id).AsEnumerable()
            .Select(o => OutboundPayload.Deserialize<TextBody>(o.Payload).Content).ToList();
    }

    public string LastTextTo(string recipient) => TextsTo(recipient).LastOrDefault() ?? "";

    public List<CardBody> CardsTo(string recipient)
    {
        using var db = f.NewDb();
        // One send per task to all its holders: the recipient is one of "a|b|c".
        return db.Outbox.AsNoTracking().Where(o => o.Kind == OutboundKind.Card && (o.Recipient == recipient || o.Recipient.Contains(recipient))).OrderBy(o => o.Id).AsEnumerable()
            .Where(o => o.Recipient.Split('|').Contains(recipient))
            .Select(o => OutboundPayload.Deserialize<CardBody>(o.Payload)).ToList();
    }
}
