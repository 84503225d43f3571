namespace RapidResponse.Bot.Conversations.Reports;

/// <summary>A farmer's application in progress (persisted between messages).</summary>
public sealed class ReportDraft
{
    public const string IdStep = "id", NameStep = "name", VillageStep = "village", RiskStep = "risk",
        DescriptionStep = "description", PhoneStep = "phone", ConfirmStep = "confirm";

    public string? IdNumber { get; set; }
    public long? HouseholdId { get; set; }
    /// <summary>Fields taken from the roster (最多报一次): not asked again.</summary>
    public bool FromRoster { get; set; }
    public string? Name { get; set; }
    public string? VillageCode { get; set; }
    public string? VillageName { get; set; }
    public List<string>? RiskTypes { get; set; }
    public string? Description { get; set; }
    public string? Phone { get; set; }
    /// <summary>Steps the person answered, in order; "返回" undoes the last.</summary>
    public List<string> Answered { get; set; } = [];
    /// <summary>Villages offered with "是否是…", awaiting a choice.</summary>
    public List<VillageRef>? Suggestions { get; set; }

    public string Step =>
        IdNumber is null ? IdStep
        : Name is null ? NameStep
        : VillageCode is null ? VillageStep
        : RiskTypes is null ? RiskStep
        : Description is null ? DescriptionStep
        : Phone is null ? PhoneStep
        : ConfirmStep;

    /// <summary>Clears the last answered step (and what the roster filled in with an ID number).</summary>
    public bool Back()
    {
        Suggestions = null;
        if (Answered.Count == 0) return false;
        var last = Answered[^1];
        Answered.RemoveAt(Answered.Count - 1);
        switch (last)
        {
            case IdStep:
                IdNumber = null;
                if (FromRoster) { HouseholdId = null; Name = null; VillageCode = null; VillageName = null; Phone = null; FromRoster = false; }
                break;
            case NameStep: Name = null; break;
            case VillageStep: VillageCode = null; VillageName = null; break;
            case RiskStep: RiskTypes = null; break;
            case DescriptionStep: Description = null; break;
            case PhoneStep: Phone = null; break;
        }
        return true;
    }
}
