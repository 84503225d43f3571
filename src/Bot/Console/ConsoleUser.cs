using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>
/// The signed-in person as the staff roster has them now: the role and region decide every row shown (DESIGN §6: a person
/// sees and acts only on what is theirs). County office and county leaders: the county; township staff: their township;
/// village staff: their village; a department: the cases in which it holds a task. Leaders only read.
/// </summary>
public sealed record ConsoleUser(string UserId, string Name, StaffRole Role, string RegionCode, string? DepartmentCode)
{
    public static ConsoleUser From(Staff s) => new(s.UserId, s.Name, s.Role, s.RegionCode, s.DepartmentCode);

    public bool IsCounty => Role is StaffRole.CountyOffice or StaffRole.CountyLeader;
    public bool IsTownship => Role is StaffRole.TownshipOfficer or StaffRole.TownshipLead;
    public bool IsVillage => Role is StaffRole.GridMonitor or StaffRole.VillageCadre or StaffRole.WorkTeam;
    public bool IsDepartment => Role == StaffRole.DepartmentOfficer;

    /// <summary>Leaders (县/乡 领导) read; they do not act through the console.</summary>
    public bool ReadOnly => Role is StaffRole.CountyLeader or StaffRole.TownshipLead;

    public bool IsCountyOffice => Role == StaffRole.CountyOffice;

    public string RoleName => Role switch
    {
        StaffRole.GridMonitor => "网格监测员",
        StaffRole.VillageCadre => "村两委",
        StaffRole.WorkTeam => "驻村工作队",
        StaffRole.TownshipOfficer => "乡镇干部",
        StaffRole.TownshipLead => "乡镇分管领导",
        StaffRole.CountyOffice => "县级办公室",
        StaffRole.CountyLeader => "县级领导",
        StaffRole.DepartmentOfficer => "行业部门",
        _ => Role.ToString(),
    };

    /// <summary>The cases this person may see.</summary>
    public IQueryable<Case> Cases(BotDb db)
    {
        var q = db.Cases.AsNoTracking();
        if (IsCounty) return q;
        if (IsTownship)
        {
            var villages = db.Regions.Where(r => r.ParentCode == RegionCode).Select(r => r.Code);
            return q.Where(c => villages.Contains(c.VillageCode));
        }

        if (IsVillage) return q.Where(c => c.VillageCode == RegionCode);
        if (IsDepartment && DepartmentCode is { } dept)
            return q.Where(c => db.Assignments.Any(a => a.AssigneeKind == AssigneeKind.Department && a.AssigneeId == dept && a.Stage!.CaseId == c.Id));
        return q.Where(_ => false);
    }

    /// <summary>
    /// Whether this person may read a household's full ID and phone: the household's village, its township and the county
    /// office — not leaders, not departments (DESIGN §6).
    /// </summary>
    public bool MayReveal(string villageCode, string? townshipCode) => Role switch
    {
        StaffRole.CountyOffice => true,
        StaffRole.TownshipOfficer => townshipCode == RegionCode,
        StaffRole.GridMonitor or StaffRole.VillageCadre or StaffRole.WorkTeam => villageCode == RegionCode,
        _ => false,
    };

    /// <summary>The townships this person may filter by (their own only, below county).</summary>
    public async Task<List<Region>> TownshipsAsync(BotDb db, CancellationToken ct)
    {
        var q = db.Regions.AsNoTracking().Where(r => r.Level == RegionLevel.Township);
        if (IsTownship) q = q.Where(r => r.Code == RegionCode);
        else if (IsVillage) q = q.Where(r => db.Regions.Any(v => v.Code == RegionCode && v.ParentCode == r.Code));
        return await q.OrderBy(r => r.Code).ToListAsync(ct);
    }
}
