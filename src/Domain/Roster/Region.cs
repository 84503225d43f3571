namespace RapidResponse.Domain.Roster;

/// <summary>Administrative level of a region (县 → 乡镇 → 村).</summary>
public enum RegionLevel { County = 1, Township = 2, Village = 3 }

/// <summary>A county, township or village, keyed by its administrative code.</summary>
public class Region
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string? ParentCode { get; set; }
    public RegionLevel Level { get; set; }
}
