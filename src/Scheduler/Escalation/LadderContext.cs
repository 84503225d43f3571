using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Scheduler.Escalation;

/// <summary>The roster facts a batch of ladder steps needs, read with one query per table (no query per step).</summary>
public sealed class LadderContext
{
    private Dictionary<string, Region> _regions = [];
    private ILookup<string, Staff> _officers = Array.Empty<Staff>().ToLookup(s => "");
    private ILookup<string, Staff> _leads = Array.Empty<Staff>().ToLookup(s => "");
    private List<Staff> _countyOffice = [];
    private Dictionary<string, string> _staffNames = [];
    private Dictionary<string, string> _deptNames = [];
    private Dictionary<(string, GroupPurpose), GroupBinding> _groups = [];

    public static async Task<LadderContext> LoadAsync(BotDb db, IReadOnlyCollection<CaseStage> stages,
        Dictionary<(string, GroupPurpose), GroupBinding> groups, CancellationToken ct)
    {
        var villages = stages.Select(s => s.Case!.VillageCode).Distinct().ToList();
        var regions = await db.Regions.AsNoTracking().Where(r => villages.Contains(r.Code)).ToListAsync(ct);
        var townships = regions.Select(r => r.ParentCode).OfType<string>().Distinct().ToList();
        regions.AddRange(await db.Regions.AsNoTracking().Where(r => townships.Contains(r.Code)).ToListAsync(ct));
        var counties = regions.Where(r => r.Level == RegionLevel.Township).Select(r => r.ParentCode).OfType<string>().Distinct().ToList();
        regions.AddRange(await db.Regions.AsNoTracking().Where(r => counties.Contains(r.Code)).ToListAsync(ct));
        var deptCodes = stages.SelectMany(s => s.Assignments).Where(a => a.AssigneeKind == AssigneeKind.Department).Select(a => a.AssigneeId).Distinct().ToList();
        var staffIds = stages.SelectMany(s => s.Assignments).Where(a => a.AssigneeKind == AssigneeKind.Staff).Select(a => a.AssigneeId).Distinct().ToList();
        var officers = await db.Staff.AsNoTracking().Where(s => s.Active && s.DepartmentCode != null && deptCodes.Contains(s.DepartmentCode)).ToListAsync(ct);
        var leads = await db.Staff.AsNoTracking().Where(s => s.Active && s.Role == StaffRole.TownshipLead && townships.Contains(s.RegionCode)).ToListAsync(ct);
        var office = await db.Staff.AsNoTracking().Where(s => s.Active && s.Role == StaffRole.CountyOffice).ToListAsync(ct);
        var named = await db.Staff.AsNoTracking().Where(s => staffIds.Contains(s.UserId)).Select(s => new { s.UserId, s.Name }).ToListAsync(ct);
        var depts = await db.Departments.AsNoTracking().Where(d => deptCodes.Contains(d.Code)).Select(d => new { d.Code, d.Name }).ToListAsync(ct);
        return new LadderContext
        {
            _regions = regions.DistinctBy(r => r.Code).ToDictionary(r => r.Code),
            _officers = officers.OrderBy(s => s.UserId, StringComparer.Ordinal).ToLookup(s => s.DepartmentCode!),
            _leads = leads.OrderBy(s => s.UserId, StringComparer.Ordinal).ToLookup(s => s.RegionCode),
            _countyOffice = [.. office.OrderBy(s => s.UserId, StringComparer.Ordinal)],
            _staffNames = named.ToDictionary(s => s.UserId, s => s.Name),
            _deptNames = depts.ToDictionary(d => d.Code, d => d.Name),
            _groups = groups,
        };
    }

    public string RegionName(string? code) => code is not null && _regions.TryGetValue(code, out var r) ? r.Name : code ?? "";
    public RegionChain ChainOf(string villageCode) => RegionChain.Of(villageCode, _regions);
    public IReadOnlyList<string> OfficersOf(string deptCode) => [.. _officers[deptCode].Select(s => s.UserId)];
    public IReadOnlyList<string> LeadsOf(string townshipCode) => [.. _leads[townshipCode].Select(s => s.UserId)];
    public IReadOnlyList<string> LeadNamesOf(string townshipCode) => [.. _leads[townshipCode].Select(s => s.Name)];

    /// <summary>County office staff of the county (all of them when the county is unknown).</summary>
    public IReadOnlyList<string> CountyOffice(string? county) =>
        [.. _countyOffice.Where(s => county is null || s.RegionCode == county).Select(s => s.UserId)];

    public GroupBinding? Group(string? region, GroupPurpose purpose) =>
        region is not null && _groups.TryGetValue((region, purpose), out var g) ? g : null;

    public string NameOf(StageAssignment a) => a.AssigneeKind == AssigneeKind.Department
        ? _deptNames.GetValueOrDefault(a.AssigneeId, a.AssigneeId)
        : _staffNames.GetValueOrDefault(a.AssigneeId, a.AssigneeId);
}
