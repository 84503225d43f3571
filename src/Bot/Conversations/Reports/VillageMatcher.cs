using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Conversations.Reports;

/// <summary>A village on the roster with its township, for matching and display.</summary>
public sealed record VillageRef(string Code, string Name, string TownshipName)
{
    public string Display => $"{TownshipName}{Name}";
}

/// <summary>The result of matching typed text to the roster's villages.</summary>
public sealed record VillageMatch(VillageRef? Exact, IReadOnlyList<VillageRef> Suggestions);

/// <summary>Matches a typed village name: exact, without the 村 suffix, with the township, or close (one character off) → "是否是…".</summary>
public sealed class VillageMatcher(BotDb db)
{
    public async Task<IReadOnlyList<VillageRef>> AllAsync(CancellationToken ct)
    {
        var regions = await db.Regions.AsNoTracking().ToListAsync(ct);
        var byCode = regions.ToDictionary(r => r.Code);
        return [.. regions.Where(r => r.Level == RegionLevel.Village)
            .Select(v => new VillageRef(v.Code, v.Name, v.ParentCode is { } p && byCode.TryGetValue(p, out var t) ? t.Name : ""))];
    }

    public async Task<VillageMatch> MatchAsync(string text, CancellationToken ct)
    {
        var t = text.Trim().Replace(" ", "");
        var all = await AllAsync(ct);
        var byCode = all.FirstOrDefault(v => v.Code == t);
        if (byCode is not null) return new(byCode, []);
        static string Core(string s) => s.EndsWith("村", StringComparison.Ordinal) ? s[..^1] : s;
        var exact = all.Where(v => v.Name == t || v.Display == t || Core(v.Name) == Core(t) || v.TownshipName + Core(v.Name) == Core(t)).ToList();
        if (exact.Count == 1) return new(exact[0], []);
        if (exact.Count > 1) return new(null, exact);
        var close = all.Where(v => v.Name.Contains(Core(t), StringComparison.Ordinal) || (Core(t).Length >= 2 && t.Contains(Core(v.Name), StringComparison.Ordinal))
                                   || Distance(Core(v.Name), Core(t)) <= 1).Take(5).ToList();
        return new(null, close);
    }

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1) return 2;
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
