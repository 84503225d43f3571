using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Bot.WeCom;
using RapidResponse.Bot.WeCom.Callbacks;
using RapidResponse.Bot.Kf;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using Microsoft.Extensions.Options;

namespace RapidResponse.Bot.Inbox;

/// <summary>
/// The production sink of authenticated app callbacks: translates WeCom's typed messages into the channel-neutral
/// <see cref="Inbound"/> and stores them in the database inbox under their dedupe key. A 微信客服 notification carries no
/// message (§5.3): it is handed to <see cref="KfPuller"/>, which pulls the messages and stores each in the inbox itself.
/// </summary>
public sealed class DatabaseInboundSink(InboxWriter inbox, KfPuller kf, IServiceScopeFactory scopes, ILogger<DatabaseInboundSink> log) : IInboundSink
{
    public async Task<bool> AcceptAsync(InboundEnvelope e, CancellationToken ct)
    {
        if (e.Message is KfMsgOrEvent notification)
        {
            // Redeliveries wake the puller too: pulling is idempotent (cursor + msgid), and a lost wake-up would delay replies.
            kf.Enqueue(notification);
            return true;
        }
        var at = e.ReceivedAt;
        Inbound? m = e.Message switch
        {
            TextMessage t => new(InboundChannel.App, t.FromUserName, t.MsgId.ToString(CultureInfo.InvariantCulture), InboundKind.Text, at, Text: t.Content),
            TemplateCardEvent c => new(InboundChannel.App, c.FromUserName, c.ResponseCode, InboundKind.CardClick, at, TaskId: c.TaskId, Key: c.EventKey, ResponseCode: c.ResponseCode),
            ClickEvent c => new(InboundChannel.App, c.FromUserName, e.DedupeKey, InboundKind.MenuClick, at, Key: c.EventKey),
            EnterAgentEvent c => new(InboundChannel.App, c.FromUserName, e.DedupeKey, InboundKind.Enter, at),
            ImageMessage i => Media(i, at, "image", i.MediaId, null),
            VoiceMessage v => Media(v, at, "voice", v.MediaId, null),
            FileMessage f => Media(f, at, "file", f.MediaId, f.FileName),
            InboundChatMessage c => new(InboundChannel.App, c.FromUserName, c.MsgId.ToString(CultureInfo.InvariantCulture), InboundKind.Other, at),
            _ => null,
        };
        if (e.Message is ChangeContactEvent { ChangeType: "delete_user", UserId: { } gone })
        {
            // A member removed from the address book can no longer act; their open tasks stay visible to the county office.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            await db.Staff.Where(s => s.UserId == gone).ExecuteUpdateAsync(u => u.SetProperty(s => s.Active, false), ct);
            log.LogInformation("Staff member deactivated after delete_user");
            return true;
        }
        if (m is null)
        {
            log.LogInformation("Callback {MsgType} stored nowhere: nothing acts on it", e.Message.MsgType);
            return true;
        }
        return await inbox.AcceptAsync(m, $"app|{e.DedupeKey}", ct);
    }

    /// <summary>A photo, voice message or file: evidence, fetched later by its media id (3 days).</summary>
    private static Inbound Media(InboundChatMessage c, DateTimeOffset at, string type, string mediaId, string? fileName) =>
        new(InboundChannel.App, c.FromUserName, c.MsgId.ToString(CultureInfo.InvariantCulture), InboundKind.Media, at, MediaId: mediaId, MediaType: type, FileName: fileName);
}

/// <summary>Answers a card click passively with its real outcome when processing finishes in time (WeCom waits 5 s).</summary>
public sealed class CardClickReplies(CardReplies replies, IOptions<WeComOptions> options, TimeProvider time) : IPassiveReplyProvider
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);

    public async Task<string?> ReplyForAsync(InboundEnvelope e, bool isNew, CancellationToken ct)
    {
        if (e.Message is not TemplateCardEvent c || !isNew) return null;
        // No answer in time, or an action that did not happen: no passive reply, so the card keeps its live buttons. The
        // final state reaches every holder, the clicker included, through update_template_card (§12).
        var label = await replies.WaitAsync($"app|{e.DedupeKey}", Wait, ct);
        if (string.IsNullOrEmpty(label)) return null;
        return $"<xml><ToUserName><![CDATA[{Cdata(c.FromUserName)}]]></ToUserName><FromUserName><![CDATA[{Cdata(options.Value.CorpId)}]]></FromUserName>"
               + $"<CreateTime>{time.GetUtcNow().ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[update_button]]></MsgType>"
               + $"<Button><ReplaceName><![CDATA[{Cdata(label)}]]></ReplaceName></Button></xml>";
    }

    private static string Cdata(string s) => s.Replace("]]>", "]]]]><![CDATA[>");
}
