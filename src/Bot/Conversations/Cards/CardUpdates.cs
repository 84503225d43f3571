using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Conversations.Cards;

/// <summary>
/// Ends a task's cards on their final state for every holder, the clicker included (wecom-protocol notes §4.4, §12): the
/// passive reply to a click counts only inside WeCom's 5 s and only on the instance that received it, so every holder's
/// card is also updated through <c>update_template_card</c> — the clicked card with the click's response code, any other
/// card of the task (a holder added later got their own) with its send's code. Each code is used once.
/// </summary>
public sealed class CardUpdates(BotDb db, Messenger messenger, ILogger<CardUpdates> log)
{
    /// <param name="taskId">The assignment's or deferral's task id.</param>
    /// <param name="label">The final text, with who did it ("已比对无异常（陈石）").</param>
    /// <param name="clickedCard">The card task id that was clicked, and its click's response code, when a click did it.</param>
    public async Task FinishAsync(string taskId, string label, (string CardTaskId, string? Code, string Clicker)? clickedCard, CancellationToken ct)
    {
        var key = CardRows.DedupeKey(taskId);
        var rows = await db.Outbox.AsNoTracking()
            .Where(o => o.Kind == OutboundKind.Card && o.DedupeKey != null && (o.DedupeKey == key || o.DedupeKey.StartsWith(key + "@")))
            .Select(o => new { o.DedupeKey, o.Recipient, o.ResponseCode }).ToListAsync(ct);
        var clickedSeen = false;
        foreach (var r in rows)
        {
            var card = r.DedupeKey![CardRows.Prefix.Length..];
            var holders = r.Recipient.Split('|', StringSplitOptions.RemoveEmptyEntries);
            var clicked = clickedCard is { } c && c.CardTaskId == card && !string.IsNullOrEmpty(c.Code);
            clickedSeen |= clicked;
            var code = clicked ? clickedCard!.Value.Code : r.ResponseCode;
            if (string.IsNullOrEmpty(code))
            {
                log.LogInformation("Card {Task} has no response code (not sent yet or sent without one); its holders keep the buttons", card);
                continue;
            }

            messenger.UpdateCard(new CardUpdateBody(card, label, holders, code));
        }

        // A card sent before cards were keyed (or by another path): the clicker's own card still ends final.
        if (!clickedSeen && clickedCard is { Code: { Length: > 0 } only } x)
            messenger.UpdateCard(new CardUpdateBody(x.CardTaskId, label, [x.Clicker], only));
    }

    /// <summary>Only the clicker's card, with the click's code (e.g. a click on a task someone else already finished).</summary>
    public void FinishFor(string clicker, string cardTaskId, string? clickCode, string label)
    {
        if (!string.IsNullOrEmpty(clickCode)) messenger.UpdateCard(new CardUpdateBody(cardTaskId, label, [clicker], clickCode));
    }
}
