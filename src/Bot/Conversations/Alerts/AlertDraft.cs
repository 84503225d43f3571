using RapidResponse.Domain.Cases;

namespace RapidResponse.Bot.Conversations.Alerts;

/// <summary>A cadre's alert (预警) in progress.</summary>
public sealed class AlertDraft
{
    public const string HouseholdStep = "household", ConfirmHouseholdStep = "confirm_household", RiskStep = "risk",
        DescriptionStep = "description", SeverityStep = "severity", ProblemClassStep = "problem_class", ConfirmStep = "confirm";

    public long? HouseholdId { get; set; }
    public string? HouseholdLabel { get; set; }
    public bool HouseholdConfirmed { get; set; }
    public List<string>? RiskTypes { get; set; }
    public string? Description { get; set; }
    public Severity? Severity { get; set; }
    /// <summary>Asked only where the profile clears problems by class (丰都 第五步); null until answered.</summary>
    public bool AskProblemClass { get; set; }
    public ProblemClass? ProblemClass { get; set; }
    public List<string> Answered { get; set; } = [];

    public string Step =>
        HouseholdId is null ? HouseholdStep
        : !HouseholdConfirmed ? ConfirmHouseholdStep
        : RiskTypes is null ? RiskStep
        : Description is null ? DescriptionStep
        : Severity is null ? SeverityStep
        : AskProblemClass && ProblemClass is null ? ProblemClassStep
        : ConfirmStep;

    public bool Back()
    {
        if (Answered.Count == 0) return false;
        var last = Answered[^1];
        Answered.RemoveAt(Answered.Count - 1);
        switch (last)
        {
            case HouseholdStep: HouseholdId = null; HouseholdLabel = null; HouseholdConfirmed = false; break;
            case ConfirmHouseholdStep: HouseholdConfirmed = false; break;
            case RiskStep: RiskTypes = null; break;
            case DescriptionStep: Description = null; break;
            case SeverityStep: Severity = null; break;
            case ProblemClassStep: ProblemClass = null; break;
        }
        return true;
    }
}
