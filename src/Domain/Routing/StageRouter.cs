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

    public async Task<IReadOnlyList<Assignee>> RouteAsync(Case c, StageDefinition stage, CancellationToken ct = default) =>
        (await RouteOrRefer(c, stage, ct)).Assignees;

    /// <summary>
    /// Assignees of the stage; what the roster cannot staff goes to the county office instead, with what is missing
    /// (a village with no active village staff and no township officer, a department with no active officer), so a case
    /// is never left without someone to act and the county office learns what to fix. Gaps is empty when all was routed;
    /// Assignees is empty only when the county has no active county-office staff either.
    /// </summary>
    public async Task<(IReadOnlyList<Assignee> Assignees, IReadOnlyList<string> Gaps)> RouteOrRefer(Case c, StageDefinition stage, CancellationToken ct = default)
    {
        var routed = await RouteRosterAsync(c, stage, ct);
        var gaps = new List<string>();
        var list = new List<Assignee>();
        foreach (var a in routed)
        {
            if (a.Kind == AssigneeKind.Department && !await HasOfficer(a.Id, ct))
                gaps.Add($"{_departments!.FirstOrDefault(d => d.Code == a.Id)?.Name ?? a.Id}（{a.Id}）没有在岗的部门工作人员");
            else list.Add(a);
        }
        if (routed.Count == 0) gaps.Add(stage.Actor switch
        {
            StageActor.Departments => $"没有部门负责比对“{string.Join("、", c.RiskTypes)}”",
            StageActor.Township => $"{RegionName(_regions!.GetValueOrDefault(c.VillageCode)?.ParentCode)}没有在岗的乡镇干部",
            StageActor.County => "县级办公室没有在岗人员",
            _ => $"{RegionName(c.VillageCode)}没有在岗的网格员、村两委干部或驻村工作队员，乡镇也没有乡镇干部",
        });
        if (gaps.Count == 0) return (routed, gaps);
        var office = await StaffIn(RegionChain.Of(c.VillageCode, _regions!).County, [StaffRole.CountyOffice], 1, ct);
        if (office.Count == 0) office = await AnyCountyOffice(ct);
        list.AddRange(office.Where(o => list.All(x => x.Id != o.Id)));
        return (list, gaps);
    }

    private async Task<IReadOnlyList<Assignee>> RouteRosterAsync(Case c, StageDefinition stage, CancellationToken ct)
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

    private async Task<bool> HasOfficer(string departmentCode, CancellationToken ct) =>
        Snapshot is { } snapshot
            ? snapshot.OfficersOf(departmentCode).Count > 0
            : await db.Staff.AnyAsync(s => s.DepartmentCode == departmentCode && s.Active && s.Role == StaffRole.DepartmentOfficer, ct);

    private async Task<IReadOnlyList<Assignee>> AnyCountyOffice(CancellationToken ct)
    {
        var first = Snapshot is { } snapshot
            ? snapshot.ActiveWithRole(StaffRole.CountyOffice).Select(s => s.UserId).Order(StringComparer.Ordinal).FirstOrDefault()
            : await db.Staff.AsNoTracking().Where(s => s.Active && s.Role == StaffRole.CountyOffice).OrderBy(s => s.UserId).Select(s => s.UserId).FirstOrDefaultAsync(ct);
        return first is null ? [] : [new Assignee(AssigneeKind.Staff, first)];
    }

    private string RegionName(string? code) => code is null ? "所在乡镇" : _regions!.GetValueOrDefault(code)?.Name ?? code;

    private Task<bool> IsActive(string userId, CancellationToken ct) =>
        Snapshot is { } snapshot ? Task.FromResult(snapshot.IsActive(userId)) : db.Staff.AnyAsync(s => s.UserId == userId && s.Active, ct);
}
