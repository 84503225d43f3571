namespace RapidResponse.Domain.Roster;

/// <summary>What a staff member is in the rapid-response chain; decides what they may do and where.</summary>
public enum StaffRole
{
    /// <summary>网格监测员</summary>
    GridMonitor = 1,
    /// <summary>村两委</summary>
    VillageCadre = 2,
    /// <summary>驻村工作队</summary>
    WorkTeam = 3,
    /// <summary>乡镇干部</summary>
    TownshipOfficer = 4,
    /// <summary>乡镇分管领导</summary>
    TownshipLead = 5,
    /// <summary>县级办公室（县乡村振兴局或其后继机构）</summary>
    CountyOffice = 6,
    /// <summary>县级领导</summary>
    CountyLeader = 7,
    /// <summary>行业部门工作人员</summary>
    DepartmentOfficer = 8,
}

/// <summary>A cadre or officer with a WeCom account.</summary>
public class Staff
{
    /// <summary>WeCom userid.</summary>
    public required string UserId { get; set; }
    public required string Name { get; set; }
    public string? Phone { get; set; }
    public StaffRole Role { get; set; }
    public required string RegionCode { get; set; }
    public string? DepartmentCode { get; set; }
    public bool Active { get; set; } = true;

    /// <summary>
    /// Why WeCom did not deliver to this person (账号未激活或不在应用可见范围 / 未分配许可), from a send's
    /// <c>invaliduser</c> / <c>unlicenseduser</c>; null when reachable. Cleared by a later successful send or a re-import.
    /// </summary>
    public string? UndeliverableReason { get; set; }

    /// <summary>When WeCom first reported the person undeliverable (null when reachable).</summary>
    public DateTimeOffset? UndeliverableSince { get; set; }
}
