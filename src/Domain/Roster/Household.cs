namespace RapidResponse.Domain.Roster;

/// <summary>Household category; the last three are the monitoring categories (三类监测户, 沈丘/方城).</summary>
public enum HouseholdCategory
{
    /// <summary>一般农户</summary>
    Ordinary = 1,
    /// <summary>脱贫户</summary>
    LiftedOut = 2,
    /// <summary>脱贫不稳定户</summary>
    UnstableLiftedOut = 3,
    /// <summary>边缘易致贫户</summary>
    MarginalAtRisk = 4,
    /// <summary>突发严重困难户</summary>
    SuddenHardship = 5,
}

/// <summary>湘阴 red / yellow / green card (红黄绿卡).</summary>
public enum CardColour { None = 0, Red = 1, Yellow = 2, Green = 3 }

/// <summary>A rural household on the county's roster.</summary>
public class Household
{
    public long Id { get; set; }
    /// <summary>户编号</summary>
    public required string HouseholdNo { get; set; }
    public required string HeadName { get; set; }
    /// <summary>Head's resident ID number (GB 11643). Never shown unmasked outside 1:1 chat with its owner.</summary>
    public required string IdNumber { get; set; }
    public string? Phone { get; set; }
    public required string VillageCode { get; set; }
    public HouseholdCategory Category { get; set; } = HouseholdCategory.Ordinary;
    public CardColour Card { get; set; }
    public int Members { get; set; }
    /// <summary>Per-capita net income, yuan per year.</summary>
    public decimal IncomePerCapita { get; set; }
    /// <summary>监测帮扶联系人 (WeCom userid).</summary>
    public string? ContactUserId { get; set; }
    /// <summary>Whole household without labour capacity: never marked risk-eliminated (丰都).</summary>
    public bool NoLabourCapacity { get; set; }

    public bool IsMonitored => Category is HouseholdCategory.UnstableLiftedOut or HouseholdCategory.MarginalAtRisk or HouseholdCategory.SuddenHardship;
}
