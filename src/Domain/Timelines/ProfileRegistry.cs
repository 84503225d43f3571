namespace RapidResponse.Domain.Timelines;

/// <summary>The profile new cases start with, and the versions older cases keep.</summary>
public sealed class ProfileRegistry
{
    private readonly Dictionary<(string, int), TimelineProfile> _all = [];

    public ProfileRegistry(TimelineProfile current, IEnumerable<TimelineProfile>? others = null)
    {
        Current = current;
        foreach (var p in (others ?? []).Append(current)) _all[(p.Name, p.Version)] = p;
        foreach (var name in ProfileLoader.BuiltInNames)
        {
            var p = ProfileLoader.Load(name);
            _all.TryAdd((p.Name, p.Version), p);
        }
    }

    public TimelineProfile Current { get; }

    /// <summary>The exact version a case started with; falls back to the newest of that name (and says so in the case's audit elsewhere).</summary>
    public TimelineProfile Get(string name, int version) =>
        _all.TryGetValue((name, version), out var p) ? p
        : _all.Values.Where(x => x.Name == name).OrderByDescending(x => x.Version).FirstOrDefault() ?? Current;
}
