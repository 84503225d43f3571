namespace RapidResponse.Bot.Conversations.Cards;

/// <summary>A click that needs words (a reason, a problem note, a plan): waits in chat for the next text.</summary>
public sealed class NotePrompt
{
    public const string FormName = "note";
    public required string TaskId { get; set; }
    public required string Key { get; set; }
    public string? ResponseCode { get; set; }
    public string? CaseNumber { get; set; }
}
