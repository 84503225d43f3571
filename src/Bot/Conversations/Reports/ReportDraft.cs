namespace RapidResponse.Bot.Conversations.Reports;

/// <summary>A farmer's application in progress (persisted between messages).</summary>
public sealed class ReportDraft
{
    public const string IdStep = "id", NameStep = "name", VillageStep = "village", RiskStep = "risk",
        DescriptionStep = "description", PhoneStep = "phone", PhotoStep = "photo", ConfirmStep = "confirm";

    public string? IdNumber { get; set; }
    /// <summary>The roster household, set only once the sender proved they belong to it (<see cref="Verified"/>).</summary>
    public long? HouseholdId { get; set; }
    /// <summary>Fields taken from the roster (最多报一次) after the identity check: not asked again.</summary>
    public bool FromRoster { get; set; }
    /// <summary>ID number, name and phone were checked against the roster (once per set of answers).</summary>
    public bool Checked { get; set; }
    /// <summary>The check proved the sender belongs to the household: the report is linked and hears decisions.</summary>
    public bool Verified { get; set; }
    public string? Name { get; set; }
    public string? VillageCode { get; set; }
    public string? VillageName { get; set; }
    public List<string>? RiskTypes { get; set; }
    public string? Description { get; set; }
    public string? Phone { get; set; }
    /// <summary>The form asks for a photo (optional) after the description (<c>Conversations:AskPhoto</c>).</summary>
    public bool AskPhoto { get; set; }
    /// <summary>The photo step is over: a photo came, or the person answered 跳过.</summary>
    public bool PhotoDone { get; set; }
    /// <summary>Steps the person answered, in order; "返回" undoes the last.</summary>
    public List<string> Answered { get; set; } = [];
    /// <summary>Villages offered with "是否是…", awaiting a choice.</summary>
    public List<VillageRef>? Suggestions { get; set; }

    /// <summary>
    /// The same questions for everyone, in the same order (ID, name, phone, then the rest), so the questions asked never tell
    /// whether an ID number is on the roster; the check runs once the first three are in.
    /// </summary>
    public string Step =>
        IdNumber is null ? IdStep
        : Name is null ? NameStep
        : Phone is null ? PhoneStep
        : VillageCode is null ? VillageStep
        : RiskTypes is null ? RiskStep
        : Description is null ? DescriptionStep
        : AskPhoto && !PhotoDone ? PhotoStep
        : ConfirmStep;

    /// <summary>Ready for the identity check and not checked yet.</summary>
    public bool NeedsCheck => !Checked && IdNumber is not null && Name is not null && Phone is not null;

    /// <summary>Clears the last answered step; an answer the check used also clears the check and what the roster filled in.</summary>
    public bool Back()
    {
        Suggestions = null;
        if (Answered.Count == 0) return false;
        var last = Answered[^1];
        Answered.RemoveAt(Answered.Count - 1);
        switch (last)
        {
            case IdStep: IdNumber = null; Uncheck(); break;
            case NameStep: Name = null; Uncheck(); break;
            case PhoneStep: Phone = null; Uncheck(); break;
            case VillageStep: VillageCode = null; VillageName = null; break;
            case RiskStep: RiskTypes = null; break;
            case DescriptionStep: Description = null; break;
            case PhotoStep: PhotoDone = false; break;
        }
        return true;
    }

    /// <summary>Forgets the identity check and the roster's village (the person answers again).</summary>
    public void Uncheck()
    {
        Checked = false;
        Verified = false;
        HouseholdId = null;
        if (FromRoster) { VillageCode = null; VillageName = null; FromRoster = false; }
    }
}
