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
        var order = clock.Profile.OrderFor(c.ActiveScreening, c.Severity == Severity.Serious, c.FoundByCounty).Where(k => k != StageKind.Tracking);
        var first = DueText.Of(c.CurrentStage?.DueAt);
        return new ReceiptModel(c.Number, first,
            [.. order.Select(k => new StagePromise(clock.Profile.Stage(k).Name,
                Limit(clock.Profile.Stage(k), clock.Profile.DeadlineFor(k, c.ActiveScreening))))]);
    }

    /// <summary>"2个工作日内", "公示5天", or empty when the stage has no limit.</summary>
    private static string Limit(Domain.Timelines.StageDefinition def, Domain.Timelines.DeadlineRule rule) =>
        def.Notice is { } notice ? $"公示{notice.Describe()}"
        : rule.Kind == Domain.Timelines.DeadlineKind.None ? ""
        : rule.Kind == Domain.Timelines.DeadlineKind.MonthEnd ? rule.Describe()
        : rule.Describe() + "内";
}
