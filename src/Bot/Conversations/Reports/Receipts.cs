using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;

namespace RapidResponse.Bot.Conversations.Reports;

/// <summary>The promises a receipt makes: each stage with the time the profile allows.</summary>
public static class Receipts
{
    public sealed record StagePromise(string Name, string Limit);
    public sealed record ReceiptModel(string CaseNumber, string FirstDue, IReadOnlyList<StagePromise> Stages);

    public static ReceiptModel Model(Case c, CaseClock clock)
    {
        var order = clock.Profile.OrderFor(c.ActiveScreening).Where(k => k != StageKind.Tracking);
        var first = DueText.Of(c.CurrentStage?.DueAt);
        return new ReceiptModel(c.Number, first,
            [.. order.Select(k => new StagePromise(clock.Profile.Stage(k).Name, clock.Profile.DeadlineFor(k, c.ActiveScreening).Describe()))]);
    }
}
