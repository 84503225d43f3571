using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Domain.Routing;

/// <summary>Turns a stage's actor into assignees from the roster (issue: routing).</summary>
public sealed class StageRouter(BotDb db, RoutingOptions options)
{
    private static readonly StaffRole[] VillageRoles = [StaffRole.GridMonitor, StaffRole.VillageCadre, StaffRole.WorkTeam];

    // Regions and departments are read once per router (one message, one import): a 50,000-row department list routes
    // without those queries per case. Staff are read each time (who is active can change while a router lives), unless
    // a bulk operation gives the router its Snapshot.
    private Dictionary<string, Region>? _regions;
    /// <summary>
    /// Set by a bulk operation in one transaction (a department list import): households and active staff come from it
    /// instead of a query per case. Null (the default) reads the database each time.
    /// </summary>
    public RosterSnapshot? Snapshot { get; set; }
    private List<Department>? _departments;

    private async Task LoadRosterAsync(CancellationToken ct)
    {
        if (_regions is not null) return;
        _regions = await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Code, ct);
        _departments = await db.Departments.AsNoTracking().ToListAsync(ct);
    }

    public async Task<IReadOnlyList<Assignee>> RouteAsync(Case c, StageDefinition stage, CancellationToken ct = default)
    {
        await LoadRosterAsync(ct);
        var chain = RegionChain.Of(c.VillageCode, _regions!);
        var townshipCode = chain.Township;
        Household? household = c.HouseholdId is { } hid
            ? Snapshot?.Household(hid) ?? await db.Households.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hid, ct)
            : null;
        switch (stage.Actor)
        {
            case StageActor.Departments:
                return await DepartmentsFor(c.RiskTypes, ct);
            case StageActor.Township:
                return await StaffIn(townshipCode, [StaffRole.TownshipOfficer, StaffRole.TownshipLead], 1, ct);
            case StageActor.County:
                return await StaffIn(chain.County, [StaffRole.CountyOffice], 1, ct);
            // A contact person who left (inactive) falls back to the village staff below.
            case StageActor.ContactPerson when household?.ContactUserId is { } contact && await IsActive(contact, ct):
                return [new Assignee(AssigneeKind.Staff, contact)];
            default:
            {
                var list = new List<Assignee>();
                // Intake goes to the household's contact person first, then the village's grid monitor or cadres.
                if (stage.Kind == StageKind.Intake && household?.ContactUserId is { } cp && await IsActive(cp, ct))
                    list.Add(new Assignee(AssigneeKind.Staff, cp));
                foreach (var a in await StaffIn(c.VillageCode, VillageRoles, stage.Assignees, ct))
                    if (list.Count < stage.Assignees && list.All(x => x.Id != a.Id)) list.Add(a);
                if (list.Count == 0) list.AddRange(await StaffIn(townshipCode, [StaffRole.TownshipOfficer], 1, ct));
                return list;
            }
        }
    }

    private async Task<IReadOnlyList<Assignee>> DepartmentsFor(IEnumerable<string> riskTypes, CancellationToken ct)
    {
        await LoadRosterAsync(ct);
        var departments = _departments!;
        var codes = new List<string>();
        foreach (var rt in riskTypes)
        {
            codes.AddRange(options.DepartmentsFor(rt));
            codes.AddRange(departments.Where(d => d.RiskTypes.Contains(rt)).Select(d => d.Code));
        }
        codes.AddRange(options.AlwaysCompare);
        return [.. codes.Distinct().Where(code => departments.Any(d => d.Code == code)).Select(code => new Assignee(AssigneeKind.Department, code))];
    }

    private async Task<IReadOnlyList<Assignee>> StaffIn(string? regionCode, StaffRole[] roles, int count, CancellationToken ct)
    {
        if (regionCode is null) return [];
        var staff = Snapshot is { } snapshot
            ? snapshot.ActiveIn(regionCode, roles).ToList()
            : await db.Staff.AsNoTracking().Where(s => s.RegionCode == regionCode && s.Active && roles.Contains(s.Role)).ToListAsync(ct);
        return [.. staff.OrderBy(s => Array.IndexOf(roles, s.Role)).ThenBy(s => s.UserId, StringComparer.Ordinal).Take(count)
            .Select(s => new Assignee(AssigneeKind.Staff, s.UserId))];
    }

    private Task<bool> IsActive(string userId, CancellationToken ct) =>
        Snapshot is { } snapshot ? Task.FromResult(snapshot.IsActive(userId)) : db.Staff.AnyAsync(s => s.UserId == userId && s.Active, ct);
}
