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
        var now = time.GetUtcNow();
        db.Outbox.Add(to.Channel == InboundChannel.Kf
            ? Outbound.Text(Target.Kf(to.SenderId, to.OpenKfId), text, null, null, now)
            : Outbound.Text(Target.User(to.SenderId), text, null, null, now, answer: true));
    }

    /// <summary>A text to a person by the channel they are reachable on (farmers: 微信客服 when they wrote from there).</summary>
    public void ToPerson(InboundChannel channel, string id, string? openKfId, string template, object? model = null) =>
        db.Outbox.Add(Outbound.Text(channel == InboundChannel.Kf ? Target.Kf(id, openKfId) : Target.User(id), templates.Render(template, model), null, null, time.GetUtcNow()));

    /// <summary>
    /// A 微信客服 text held for the farmer (their 48-hour window is closed): it leaves the next time they write, before the
    /// answer to what they wrote (<see cref="OutboxMessage.HeldForCustomer"/>).
    /// </summary>
    public void HoldForKf(string externalUserId, string? openKfId, string text)
    {
        var row = Outbound.Text(Target.Kf(externalUserId, openKfId), text, null, null, time.GetUtcNow());
        row.NotBefore = OutboxMessage.HeldForCustomer;
        row.LastError = "等待农户再次发消息：微信客服只能在农户最后一条消息后48小时内回复";
        db.Outbox.Add(row);
    }

    /// <summary>The welcome of a 微信客服 entry, through its one-time welcome_code (never send_msg before the customer wrote).</summary>
    public void KfWelcome(string externalUserId, string? openKfId, string welcomeCode, string text, IReadOnlyList<string> menu) =>
        db.Outbox.Add(Outbound.Welcome(Target.Kf(externalUserId, openKfId), new WelcomeBody(welcomeCode, text, menu), time.GetUtcNow()));

    /// <param name="dedupeKey">Makes the notice once only: a second row with the same key is refused by the database.</param>
    public void ToStaff(string userId, string template, object? model = null, string? dedupeKey = null) =>
        db.Outbox.Add(Outbound.Text(Target.User(userId), templates.Render(template, model), null, dedupeKey, time.GetUtcNow()));

    /// <summary>
    /// One send of a task card to all its holders (WeCom: a task_id is used once per app, §12), keyed by the task_id so the
    /// outbox can never send the same task_id twice.
    /// </summary>
    public void Card(IReadOnlyCollection<string> userIds, CardBody card)
    {
        if (userIds.Count == 0) return;
        db.Outbox.Add(Outbound.Card(userIds, card, time.GetUtcNow()));
    }

    /// <summary>Replaces the buttons of a sent card for its holders (response code: the click that allows the update).</summary>
    public void UpdateCard(CardUpdateBody update) => db.Outbox.Add(Outbound.CardUpdate(update, time.GetUtcNow()));
}

/// <summary>How task-card outbox rows are keyed: <c>card:{task_id}</c>; a later card of the same assignment is <c>{task}@{n}</c>.</summary>
public static class CardRows
{
    public const string Prefix = Outbound.CardPrefix;

    public static string DedupeKey(string cardTaskId) => Outbound.CardKey(cardTaskId);

    /// <summary>The assignment's (or deferral's) task id a card task id belongs to: the part before '@'.</summary>
    public static string TaskOf(string cardTaskId)
    {
        var at = cardTaskId.IndexOf('@');
        return at < 0 ? cardTaskId : cardTaskId[..at];
    }
}
