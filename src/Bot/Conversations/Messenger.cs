using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Templates;

namespace RapidResponse.Bot.Conversations;

/// <summary>
/// Replies and notifications as outbox rows added to the caller's <see cref="BotDb"/>, so they are saved in the same
/// transaction as the change that caused them. Never sends directly.
/// </summary>
public sealed class Messenger(BotDb db, TemplateRenderer templates, TimeProvider time)
{
    public TemplateRenderer Templates => templates;

    /// <summary>Answers the sender on the channel they wrote from.</summary>
    public void Reply(Inbound to, string template, object? model = null) => ReplyText(to, templates.Render(template, model));

    public void ReplyText(Inbound to, string text)
    {
        if (to.Channel == InboundChannel.Kf) Add(OutboundChannel.Kf, to.SenderId, OutboundKind.Text, new TextBody(text), to.OpenKfId);
        else Add(OutboundChannel.AppUser, to.SenderId, OutboundKind.Text, new TextBody(text, Answer: true));
    }

    /// <summary>A text to a person by the channel they are reachable on (farmers: 微信客服 when they wrote from there).</summary>
    public void ToPerson(InboundChannel channel, string id, string? openKfId, string template, object? model = null)
    {
        var text = templates.Render(template, model);
        if (channel == InboundChannel.Kf) Add(OutboundChannel.Kf, id, OutboundKind.Text, new TextBody(text), openKfId);
        else Add(OutboundChannel.AppUser, id, OutboundKind.Text, new TextBody(text));
    }

    /// <summary>
    /// A 微信客服 text held for the farmer (their 48-hour window is closed): it leaves the next time they write, before the
    /// answer to what they wrote (<see cref="OutboxMessage.HeldForCustomer"/>).
    /// </summary>
    public void HoldForKf(string externalUserId, string? openKfId, string text)
    {
        Add(OutboundChannel.Kf, externalUserId, OutboundKind.Text, new TextBody(text), openKfId);
        var row = db.Outbox.Local.Last();
        row.NotBefore = OutboxMessage.HeldForCustomer;
        row.LastError = "等待农户再次发消息：微信客服只能在农户最后一条消息后48小时内回复";
    }

    /// <summary>The welcome of a 微信客服 entry, through its one-time welcome_code (never send_msg before the customer wrote).</summary>
    public void KfWelcome(string externalUserId, string? openKfId, string welcomeCode, string text, IReadOnlyList<string> menu) =>
        Add(OutboundChannel.Kf, externalUserId, OutboundKind.Welcome, new WelcomeBody(welcomeCode, text, menu), openKfId);

    public void ToStaff(string userId, string template, object? model = null) =>
        Add(OutboundChannel.AppUser, userId, OutboundKind.Text, new TextBody(templates.Render(template, model)));

    /// <summary>
    /// One send of a task card to all its holders (WeCom: a task_id is used once per app, §12), keyed by the task_id so the
    /// outbox can never send the same task_id twice.
    /// </summary>
    public void Card(IReadOnlyCollection<string> userIds, CardBody card)
    {
        if (userIds.Count == 0) return;
        Add(OutboundChannel.AppUser, string.Join('|', userIds.Distinct(StringComparer.Ordinal)), OutboundKind.Card, card, dedupeKey: CardRows.DedupeKey(card.TaskId));
    }

    /// <summary>Replaces the buttons of a sent card for its holders (response code: the click that allows the update).</summary>
    public void UpdateCard(CardUpdateBody update) =>
        Add(OutboundChannel.AppUser, string.Join('|', update.UserIds), OutboundKind.CardUpdate, update);

    private void Add<T>(OutboundChannel channel, string recipient, OutboundKind kind, T body, string? openKfId = null, string? dedupeKey = null)
    {
        var now = time.GetUtcNow();
        db.Outbox.Add(new OutboxMessage
        {
            Channel = channel,
            Recipient = recipient,
            OpenKfId = openKfId,
            Kind = kind,
            Payload = OutboundPayload.Serialize(body),
            CreatedAt = now,
            NotBefore = now,
            DedupeKey = dedupeKey,
        });
    }
}

/// <summary>How task-card outbox rows are keyed: <c>card:{task_id}</c>; a later card of the same assignment is <c>{task}@{n}</c>.</summary>
public static class CardRows
{
    public const string Prefix = "card:";

    public static string DedupeKey(string cardTaskId) => Prefix + cardTaskId;

    /// <summary>The assignment's (or deferral's) task id a card task id belongs to: the part before '@'.</summary>
    public static string TaskOf(string cardTaskId)
    {
        var at = cardTaskId.IndexOf('@');
        return at < 0 ? cardTaskId : cardTaskId[..at];
    }
}
