using System.Text;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Domain.Messaging;
using CardButton = RapidResponse.Bot.WeCom.Api.Requests.CardButton;

namespace RapidResponse.Bot.Outbox;

/// <summary>One outbox row as a ready WeCom call: how to send it, what limits it counts against, which block applies.</summary>
/// <param name="Send">Performs the call; returns what WeCom answered (message id, a card's response code, recipients it refused).</param>
/// <param name="BlockKey">Key of the 45009 frequency block the call falls under (per robot for webhooks, per API otherwise).</param>
/// <param name="Limits">Rate-limit keys the send counts against (§7): the API's corp-wide base frequency and the recipient's limits.</param>
public sealed record OutboundCall(
    Func<WeComApiClient, CancellationToken, Task<SendReceipt>> Send,
    string BlockKey,
    IReadOnlyList<(RateScope Scope, string Key)> Limits)
{
    /// <summary>The request record that <see cref="Send"/> sends: its JSON is exactly the body WeCom receives (the sandbox shows it).</summary>
    public object? Request { get; init; }
}

/// <summary>What a successful send answered: the msgid, a task card's response_code, and recipients WeCom did not deliver to (§4.2).</summary>
public sealed record SendReceipt(string? MsgId, string? ResponseCode = null, IReadOnlyList<string>? InvalidUsers = null, IReadOnlyList<string>? UnlicensedUsers = null)
{
    public static readonly SendReceipt None = new((string?)null);

    public static SendReceipt Of(SendMessageResponse r) => new(r.MsgId, r.ResponseCode, Split(r.InvalidUser), Split(r.UnlicensedUser));

    private static IReadOnlyList<string>? Split(string? ids) =>
        string.IsNullOrEmpty(ids) ? null : ids.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The message cannot take any WeCom shape (wrong channel/kind pair, over a hard limit). The message is Chinese-readable.</summary>
public sealed class UndeliverableException(string reason) : Exception(reason);

/// <summary>Translates channel-neutral outbox payloads (<see cref="OutboundPayload"/>) to WeCom requests (protocol notes §4–5).</summary>
public static class WeComOutbound
{
    /// <summary>Seconds WeCom drops an identical app message request (§4.2); covers a resend after a crash between send and commit.</summary>
    public const int DuplicateCheckSeconds = 1800;

    public static OutboundCall Build(OutboxMessage row) => (row.Channel, row.Kind) switch
    {
        (OutboundChannel.AppUser, OutboundKind.Text) => AppText(row, Text(row)),
        (OutboundChannel.AppUser, OutboundKind.Markdown) => App(row, new SendMarkdownRequest { ToUsers = Users(row), Markdown = new(Markdown(row).Content), DuplicateCheckInterval = DuplicateCheckSeconds }),
        (OutboundChannel.AppUser, OutboundKind.Card) => App(row, new SendTemplateCardRequest { ToUsers = Users(row), TemplateCard = Card(OutboundPayload.Deserialize<CardBody>(row.Payload)), DuplicateCheckInterval = DuplicateCheckSeconds }),
        (OutboundChannel.AppUser, OutboundKind.CardUpdate) => CardUpdate(OutboundPayload.Deserialize<CardUpdateBody>(row.Payload)),
        (OutboundChannel.AppChat, OutboundKind.Text or OutboundKind.Markdown) => AppChat(row),
        (OutboundChannel.Webhook, OutboundKind.Text or OutboundKind.Markdown) => Webhook(row),
        (OutboundChannel.Kf, OutboundKind.Text or OutboundKind.Markdown) => Kf(row),
        (OutboundChannel.Kf, OutboundKind.Welcome) => KfWelcome(row),
        _ => throw new UndeliverableException($"{OutboxAlerts.ChannelName(row.Channel)}不支持 {row.Kind} 类消息（只有应用消息能发任务卡片和更新卡片）"),
    };

    /// <summary>
    /// A task card as <c>button_interaction</c>. That type has no <c>emphasis_content</c> (§4.3, text_notice only), so the
    /// emphasis becomes the first key/value row; rows beyond WeCom's six go under the subtitle, as the sandbox renders them.
    /// </summary>
    public static TemplateCard Card(CardBody c)
    {
        var fields = c.Emphasis is null ? c.Fields : [new CardField(c.EmphasisLabel ?? "提示", c.Emphasis), .. c.Fields];
        var rows = fields.Take(6).Select(f => new HorizontalContent(f.Label, f.Value)).ToList();
        var overflow = fields.Skip(6).Select(f => $"{f.Label}：{f.Value}");
        var sub = string.Join("\n", new[] { c.Description }.Concat(overflow).Where(s => !string.IsNullOrEmpty(s)));
        return TemplateCard.ButtonInteraction(c.TaskId, new CardMainTitle(c.Title), [.. c.Buttons.Select(b => new CardButton(b.Text, b.Key, b.Style))]) with
        {
            SubTitleText = sub.Length > 0 ? sub : null,
            HorizontalContentList = rows.Count > 0 ? rows : null,
        };
    }

    /// <summary>
    /// App text. Notifications ask WeCom to drop an identical request within <see cref="DuplicateCheckSeconds"/> (a resend
    /// after a timeout or a crash between send and commit is not delivered twice). Answers to what a person wrote do not:
    /// the same question twice must get the same answer twice; a resend after a timeout may then repeat it (at least once).
    /// </summary>
    private static OutboundCall AppText(OutboxMessage row, TextBody t) =>
        App(row, new SendTextRequest { ToUsers = Users(row), Text = new(t.Content), EnableDuplicateCheck = t.Answer ? 0 : 1, DuplicateCheckInterval = DuplicateCheckSeconds });

    private static OutboundCall App(OutboxMessage row, AppMessageRequest request) => new(
        async (client, ct) => SendReceipt.Of(await client.SendAsync(request, ct)),
        "api:" + request.Path,
        [(RateScope.Api, request.Path), .. Users(row).Select(u => (RateScope.AppRecipient, u))]) { Request = request };

    /// <summary>Update_button for the holders; without a response code WeCom has nothing to update (§4.4).</summary>
    private static OutboundCall CardUpdate(CardUpdateBody u)
    {
        if (string.IsNullOrEmpty(u.ResponseCode))
            throw new UndeliverableException($"卡片 {u.TaskId} 没有 response_code，无法更新");
        var request = UpdateTemplateCardRequest.UpdateButton(u.ResponseCode, u.ReplaceText, u.UserIds);
        return new(async (client, ct) => { await client.SendAsync(request, ct); return SendReceipt.None; }, "api:" + request.Path, [(RateScope.Api, request.Path)]) { Request = request };
    }

    /// <summary>Mentions in app group chats are <c>&lt;@userid&gt;</c> inside markdown (§4.6, §4.8), so a text with mentions goes as markdown.</summary>
    private static OutboundCall AppChat(OutboxMessage row)
    {
        var (content, mentions) = ContentOf(row);
        var request = row.Kind == OutboundKind.Text && mentions.Count == 0
            ? AppChatSendRequest.ForText(row.Recipient, content)
            : AppChatSendRequest.ForMarkdown(row.Recipient, WithMentions(content, mentions));
        return new(async (client, ct) => { await client.SendAsync(request, ct); return SendReceipt.None; }, "api:" + request.Path, [(RateScope.Api, request.Path), (RateScope.AppChatMember, row.Recipient)]) { Request = request };
    }

    /// <summary>Text mentions go in <c>mentioned_list</c>; markdown is never sent over 4096 bytes — splitting is the scheduler's job.</summary>
    private static OutboundCall Webhook(OutboxMessage row)
    {
        var (content, mentions) = ContentOf(row);
        WebhookSendRequest request;
        if (row.Kind == OutboundKind.Text)
        {
            request = WebhookSendRequest.ForText(row.Recipient, content, mentions.Count > 0 ? mentions : null);
        }
        else
        {
            var md = WithMentions(content, mentions);
            var bytes = Encoding.UTF8.GetByteCount(md);
            if (bytes > ContentLimits.WebhookMarkdown)
                throw new UndeliverableException($"群机器人 markdown 有 {bytes} 字节，超过 {ContentLimits.WebhookMarkdown} 字节上限；需拆分后重新排队");
            request = WebhookSendRequest.ForMarkdown(row.Recipient, md);
        }

        return new(async (client, ct) => { await client.SendAsync(request, ct); return SendReceipt.None; }, "webhook:" + row.Recipient, [(RateScope.Webhook, row.Recipient)]) { Request = request };
    }

    /// <summary>微信客服 takes text only (WeChat does not render WeCom markdown). Our msgid makes a resend recognisable (§5.4).</summary>
    private static OutboundCall Kf(OutboxMessage row)
    {
        if (string.IsNullOrEmpty(row.OpenKfId))
            throw new UndeliverableException("微信客服消息缺少 open_kfid（客服账号）");
        var request = new KfSendMsgRequest { ToUser = row.Recipient, OpenKfId = row.OpenKfId, MsgId = KfMsgId(row.Id), Text = new(ContentOf(row).Content) };
        return new(async (client, ct) => new SendReceipt((await client.SendAsync(request, ct)).MsgId ?? request.MsgId), "api:" + request.Path, [(RateScope.Api, request.Path)]) { Request = request };
    }

    /// <summary>The welcome of an enter_session, with its welcome_code; a menu when it has items (§5.4).</summary>
    private static OutboundCall KfWelcome(OutboxMessage row)
    {
        var w = OutboundPayload.Deserialize<WelcomeBody>(row.Payload);
        var request = new KfSendMsgOnEventRequest
        {
            Code = w.Code,
            MsgId = KfMsgId(row.Id),
            Text = w.Menu.Count == 0 ? new(w.Text) : null,
            Menu = w.Menu.Count == 0 ? null : new KfMsgMenu(w.Text, [.. w.Menu.Select((m, i) => KfMenuItem.Of($"m{i + 1}", m))], w.Tail),
        };
        return new(async (client, ct) => new SendReceipt((await client.SendAsync(request, ct)).MsgId ?? request.MsgId), "api:" + request.Path, [(RateScope.Api, request.Path)]) { Request = request };
    }

    /// <summary>msgid of the kf reply for outbox row <paramref name="rowId"/>; comes back in msg_send_fail events.</summary>
    public static string KfMsgId(long rowId) => $"rrb-outbox-{rowId}";

    private static string[] Users(OutboxMessage row) => row.Recipient.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static TextBody Text(OutboxMessage row) => OutboundPayload.Deserialize<TextBody>(row.Payload);

    private static MarkdownBody Markdown(OutboxMessage row) => OutboundPayload.Deserialize<MarkdownBody>(row.Payload);

    private static (string Content, IReadOnlyList<string> Mentions) ContentOf(OutboxMessage row)
    {
        if (row.Kind == OutboundKind.Text)
        {
            var t = Text(row);
            return (t.Content, t.Mentions ?? []);
        }

        var m = Markdown(row);
        return (m.Content, m.Mentions ?? []);
    }

    private static string WithMentions(string content, IReadOnlyList<string> mentions) =>
        mentions.Count == 0 ? content : content + "\n" + string.Join(' ', mentions.Select(u => $"<@{u}>"));
}
