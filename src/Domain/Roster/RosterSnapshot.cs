using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Domain.Roster;

/// <summary>
/// The roster as one bulk operation read it inside its transaction (a department list import opening thousands of cases):
/// the households it looked up and the active staff, so routing and task cards ask memory instead of the database per case.
/// Only for work that runs in one transaction and does not change the roster itself; routing one message reads the
/// database as before (<see cref="Routing.StageRouter"/> and the cards use a snapshot only when one is given to them).
/// </summary>
public sealed class RosterSnapshot
{
    private readonly Dictionary<long, Household> _households = [];
    private readonly Dictionary<string, List<Staff>> _activeByRegion;
    private readonly Dictionary<string, List<string>> _officersByDepartment;
    private readonly HashSet<string> _active;

    private RosterSnapshot(List<Staff> active)
    {
        _active = active.Select(s => s.UserId).ToHashSet(StringComparer.Ordinal);
        _activeByRegion = active.GroupBy(s => s.RegionCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        // In the database's UserId order, as the per-task query orders them.
        _officersByDepartment = active.Where(s => s.Role == StaffRole.DepartmentOfficer && s.DepartmentCode is not null)
            .GroupBy(s => s.DepartmentCode!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(s => s.UserId).ToList(), StringComparer.Ordinal);
    }

    /// <summary>Reads the active staff (one query); households are added by the caller as it looks them up.</summary>
    public static async Task<RosterSnapshot> LoadAsync(BotDb db, CancellationToken ct = default) =>
        new(await db.Staff.AsNoTracking().Where(s => s.Active).OrderBy(s => s.UserId).ToListAsync(ct));

    public void Add(Household h) => _households[h.Id] = h;

    /// <summary>A household added by the caller, or null when it was not (the caller then reads the database).</summary>
    public Household? Household(long id) => _households.GetValueOrDefault(id);

    public bool IsActive(string userId) => _active.Contains(userId);

    /// <summary>Active staff of a region in one of the roles (unordered; the router orders them).</summary>
    public IEnumerable<Staff> ActiveIn(string regionCode, StaffRole[] roles) =>
        _activeByRegion.TryGetValue(regionCode, out var list) ? list.Where(s => roles.Contains(s.Role)) : [];

    /// <summary>Active staff in a role, anywhere.</summary>
    public IEnumerable<Staff> ActiveWithRole(StaffRole role) => _activeByRegion.Values.SelectMany(l => l).Where(s => s.Role == role);

    /// <summary>A department's active officers by userid, as the database orders them.</summary>
    public IReadOnlyList<string> OfficersOf(string departmentCode) =>
        _officersByDepartment.TryGetValue(departmentCode, out var list) ? list : [];
}
