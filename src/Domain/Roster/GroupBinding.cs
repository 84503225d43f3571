namespace RapidResponse.Domain.Roster;

/// <summary>What a group chat is for.</summary>
public enum GroupPurpose
{
    /// <summary>乡镇工作群: overdue level 1.</summary>
    TownshipWork = 1,
    /// <summary>县领导群: overdue level 2 and 3.</summary>
    CountyLeaders = 2,
    /// <summary>通报群: bulletins.</summary>
    Bulletin = 3,
}

/// <summary>A group chat bound to a region and a purpose: an app group chat (chat_id) or a group-robot webhook (webhook_key).</summary>
public class GroupBinding
{
    public long Id { get; set; }
    public required string RegionCode { get; set; }
    public GroupPurpose Purpose { get; set; }
    public string? ChatId { get; set; }
    public string? WebhookKey { get; set; }
}
