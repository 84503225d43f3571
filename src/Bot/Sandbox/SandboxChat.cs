using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Bot.Inbox;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Sandbox;

/// <summary>What became of a message sent in the sandbox: whether the bot finished with it in time, and what it answered.</summary>
public sealed record SendOutcome(bool Processed, string? Label, IReadOnlyList<MailboxItem> Replies);

/// <summary>
/// Puts a message into the bot "as if from that person", through the same inbox the WeCom callbacks use, and waits
/// until the bot has processed it and the outbox has delivered what it caused, so the answer can be read at once.
/// </summary>
public sealed class SandboxChat(InboxWriter inbox, CardReplies replies, SandboxTransport transport, RapidResponse.Bot.WeCom.Simulator.WeComSimulator weCom,
    IServiceScopeFactory scopes, TimeProvider time, SandboxOptions options)
{
    /// <summary>Staff (a userid on the roster) write through the app; anyone else is a farmer on 微信客服.</summary>
    public async Task<SendOutcome> SendAsync(string from, string text, CancellationToken ct = default)
    {
        var staff = await IsStaffAsync(from, ct);
        // A farmer's message reopens WeCom's 48-hour 微信客服 reply window (and its 5-reply count).
        var id = staff ? "sbx" + Guid.NewGuid().ToString("N") : weCom.CustomerWrites(options.KfAccount, from, text).MsgId;
        var m = staff
            ? new Inbound(InboundChannel.App, from, id, InboundKind.Text, time.GetUtcNow(), Text: text)
            : new Inbound(InboundChannel.Kf, from, id, InboundKind.Text, time.GetUtcNow(), Text: text, OpenKfId: options.KfAccount);
        return await DeliverAsync(m, $"sandbox|{id}", null, ct);
    }

    /// <summary>
    /// A photo (<c>image</c>), voice message (<c>voice</c>) or file (<c>file</c>) sent from the page: WeCom (the rule-keeper)
    /// holds the bytes under a media_id for 3 days, the bot gets the message with it and downloads it with media/get. Waits
    /// for the download too, so the answer ("已收到照片…") comes back with the call.
    /// </summary>
    public async Task<SendOutcome> SendMediaAsync(string from, string type, byte[] bytes, string contentType, string fileName, CancellationToken ct = default)
    {
        var staff = await IsStaffAsync(from, ct);
        string id, mediaId;
        if (staff) { mediaId = weCom.AddInboundMedia(bytes, contentType, fileName); id = "sbx" + Guid.NewGuid().ToString("N"); }
        else (id, _, mediaId) = weCom.CustomerSendsMedia(options.KfAccount, from, type, bytes, contentType, fileName);
        var m = new Inbound(staff ? InboundChannel.App : InboundChannel.Kf, from, id, InboundKind.Media, time.GetUtcNow(), OpenKfId: staff ? null : options.KfAccount,
            MediaId: mediaId, MediaType: type, FileName: type == "file" ? fileName : null);
        var started = Stopwatch.GetTimestamp();
        var before = await LastMailboxIdAsync(ct);
        var outcome = await DeliverAsync(m, $"sandbox|{id}", null, ct);
        var settled = await UntilAsync(async db =>
        {
            var now = time.GetUtcNow();
            return !await db.Evidence.AnyAsync(e => e.SourceMessageId == id && e.Status == Domain.Evidence.EvidenceStatus.Pending && e.NextAttemptAt <= now, ct)
                   && !await db.Outbox.AnyAsync(o => (o.Status == OutboxStatus.Pending && o.NotBefore <= now) || o.Status == OutboxStatus.Sending, ct);
        }, started, ct);
        await using var scope = scopes.CreateAsyncScope();
        var answers = await new SandboxMailbox(scope.ServiceProvider.GetRequiredService<BotDb>()).ListAsync(from, before, ct);
        return new SendOutcome(outcome.Processed && settled, null, answers);
    }

    /// <summary>Where a farmer who came in through a village's link is remembered, so the page can play them (value: the village code).</summary>
    public const string EntryPrefix = "sandbox:entry:";

    /// <summary>
    /// A village's 微信客服 link (<c>wecom kf-links</c>) scanned: a new farmer opens the chat with the village code as the
    /// entry's scene_param (enter_session, with WeCom's welcome code), exactly as a farmer scanning the poster would.
    /// </summary>
    public async Task<(string FarmerId, SendOutcome Outcome)> EnterAsync(string villageCode, CancellationToken ct = default)
    {
        var id = $"wm_entry_{villageCode}_{Guid.NewGuid():N}"[..^24];
        var (enter, _) = weCom.CustomerEnters(options.KfAccount, id, "qr", villageCode);
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            db.KeyValues.Add(new KeyValueEntry { Key = EntryPrefix + id, Value = villageCode, UpdatedAt = time.GetUtcNow() });
            await db.SaveChangesAsync(ct);
        }

        var m = new Inbound(InboundChannel.Kf, id, enter.MsgId, InboundKind.Enter, time.GetUtcNow(), Key: villageCode, OpenKfId: options.KfAccount,
            WelcomeCode: enter.WelcomeCode);
        return (id, await DeliverAsync(m, $"sandbox|{enter.MsgId}", null, ct));
    }

    /// <summary>
    /// A card button click (template_card_event) with the response code WeCom issues for it. Null when WeCom would not
    /// let that person click it: not a holder of the card, no such button, or the card is already greyed.
    /// </summary>
    public async Task<SendOutcome?> ClickAsync(string from, string taskId, string key, CancellationToken ct = default)
    {
        if (weCom.Click(from, taskId, key) is not { } click) return null;
        var m = new Inbound(InboundChannel.App, from, click.ResponseCode, InboundKind.CardClick, time.GetUtcNow(), TaskId: taskId, Key: key, ResponseCode: click.ResponseCode);
        return await DeliverAsync(m, $"sandbox|{click.ResponseCode}", click.ResponseCode, ct);
    }

    public async Task<bool> IsStaffAsync(string userId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BotDb>().Staff.AnyAsync(s => s.UserId == userId, ct);
    }

    private async Task<SendOutcome> DeliverAsync(Inbound m, string dedupeKey, string? responseCode, CancellationToken ct)
    {
        // Real elapsed time (monotonic), not the sandbox clock: the virtual clock jumps, the wait for replies must not.
        var started = Stopwatch.GetTimestamp();
        var before = await LastMailboxIdAsync(ct);
        // Listen for the click's outcome before the message exists, or it could finish unheard.
        var label = responseCode is null ? null : replies.WaitAsync(dedupeKey, options.SendWait, ct);
        await inbox.AcceptAsync(m, dedupeKey, ct);
        var processed = await UntilAsync(db => db.Inbox.AnyAsync(x => x.DedupeKey == dedupeKey && x.Status != InboxStatus.Pending, ct), started, ct);
        string? clicked = null;
        if (label is not null)
        {
            clicked = await label;
            // The passive update_button reply, applied by WeCom only inside its 5 s (real time here, as in production).
            if (!string.IsNullOrEmpty(clicked) && weCom.PassiveReply(m.SenderId, m.TaskId!, clicked, Stopwatch.GetElapsedTime(started)))
                await transport.RecordClickReplyAsync(m.SenderId, m.TaskId!, clicked, ct);
            else clicked = null;
        }
        if (processed)
        {
            processed = await UntilAsync(async db =>
            {
                var now = time.GetUtcNow();
                return !await db.Outbox.AnyAsync(o => (o.Status == OutboxStatus.Pending && o.NotBefore <= now) || o.Status == OutboxStatus.Sending, ct);
            }, started, ct);
        }
        await using var scope = scopes.CreateAsyncScope();
        var answers = await new SandboxMailbox(scope.ServiceProvider.GetRequiredService<BotDb>()).ListAsync(m.SenderId, before, ct);
        return new SendOutcome(processed, clicked, answers);
    }

    private async Task<long> LastMailboxIdAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BotDb>().SandboxMailbox.MaxAsync(x => (long?)x.Id, ct) ?? 0;
    }

    private async Task<bool> UntilAsync(Func<BotDb, Task<bool>> done, long started, CancellationToken ct)
    {
        while (true)
        {
            await using (var scope = scopes.CreateAsyncScope())
                if (await done(scope.ServiceProvider.GetRequiredService<BotDb>())) return true;
            if (Stopwatch.GetElapsedTime(started) >= options.SendWait) return false;
            await Task.Delay(25, ct);
        }
    }
}
