using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Domain.Roster;

/// <summary>A village and the township and county above it (either may be missing from a partial roster).</summary>
public sealed record RegionChain(string Village, string? Township, string? County)
{
    /// <summary>The one walk up the chain, over any way of finding a region's parent.</summary>
    public static async ValueTask<RegionChain> WalkAsync(string villageCode, Func<string, ValueTask<string?>> parentOf)
    {
        var township = await parentOf(villageCode);
        var county = township is null ? null : await parentOf(township);
        return new RegionChain(villageCode, township, county);
    }

    /// <summary>The chain from regions already in memory.</summary>
    public static RegionChain Of(string villageCode, IReadOnlyDictionary<string, Region> regions) =>
        WalkAsync(villageCode, c => ValueTask.FromResult(regions.GetValueOrDefault(c)?.ParentCode)).GetAwaiter().GetResult();

    /// <summary>The chain read from the database (one small query per level).</summary>
    public static ValueTask<RegionChain> LoadAsync(BotDb db, string villageCode, CancellationToken ct = default) =>
        WalkAsync(villageCode, async c => await db.Regions.AsNoTracking().Where(r => r.Code == c).Select(r => r.ParentCode).FirstOrDefaultAsync(ct));
}
