using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Bot.Conversations.Access;

/// <summary>A refusal with the reason shown to the person (DESIGN §6: a person acts only on what is theirs).</summary>
public sealed record Decision(bool Allowed, string Reason)
{
    public static readonly Decision Yes = new(true, "");
    public static Decision No(string reason) => new(false, reason);
}

/// <summary>
/// Role and jurisdiction checks: a village cadre acts only in their village, a department only on its own tasks,
/// township and county staff within their region, leaders read-only across theirs.
/// </summary>
public sealed class Jurisdiction(BotDb db)
{
    private static readonly StaffRole[] VillageRoles = [StaffRole.GridMonitor, StaffRole.VillageCadre, StaffRole.WorkTeam];
    private static readonly StaffRole[] TownshipRoles = [StaffRole.TownshipOfficer, StaffRole.TownshipLead];

    /// <summary>The township and county codes above a village.</summary>
    public ValueTask<RegionChain> ChainOf(string villageCode, CancellationToken ct = default) => RegionChain.LoadAsync(db, villageCode, ct);

    /// <summary>Who files alerts (预警): village, township and county office staff; leaders only read, departments report lists.</summary>
    public static bool CanFileAlerts(Staff s) => s.Role is not (StaffRole.CountyLeader or StaffRole.DepartmentOfficer);

    /// <summary>Whether a village lies in the staff member's own region: their village, their township's villages, their county's.</summary>
    public async Task<bool> Covers(Staff s, string villageCode, CancellationToken ct = default)
    {
        if (s.RegionCode == villageCode) return true;
        var (_, township, county) = await ChainOf(villageCode, ct);
        return s.Role switch
        {
            _ when TownshipRoles.Contains(s.Role) => s.RegionCode == township,
            StaffRole.CountyOffice or StaffRole.CountyLeader => s.RegionCode == county,
            _ => false,
        };
    }

    /// <summary>Whether the staff member may read the case.</summary>
    public async Task<Decision> CanView(Staff s, Case c, CancellationToken ct = default)
    {
        var (_, township, county) = await ChainOf(c.VillageCode, ct);
        var ok = s.Role switch
        {
            _ when VillageRoles.Contains(s.Role) => s.RegionCode == c.VillageCode || HoldsTask(s, c),
            _ when TownshipRoles.Contains(s.Role) => s.RegionCode == township,
            StaffRole.CountyOffice or StaffRole.CountyLeader => s.RegionCode == county,
            StaffRole.DepartmentOfficer => HoldsTask(s, c),
            _ => false,
        };
        return ok ? Decision.Yes : Decision.No($"案件{c.Number}不在您的管辖范围内（您是{RoleName(s.Role)}，负责{await RegionName(s.RegionCode, ct)}）");
    }

    /// <summary>Whether the staff member may act on a task of the case's current stage.</summary>
    public async Task<Decision> CanAct(Staff s, Case c, StageAssignment task, StageDefinition stage, CancellationToken ct = default)
    {
        if (s.Role == StaffRole.CountyLeader) return Decision.No("县级领导账号只能查看，不能办理任务。如需办理，请由县级办公室操作");
        var (_, township, county) = await ChainOf(c.VillageCode, ct);
        var holder = IsHolder(s, task);
        var ok = stage.Actor switch
        {
            StageActor.Departments => holder,
            StageActor.Village or StageActor.ContactPerson => holder
                || (VillageRoles.Contains(s.Role) && s.RegionCode == c.VillageCode)
                || (TownshipRoles.Contains(s.Role) && s.RegionCode == township),
            StageActor.Township => holder || (TownshipRoles.Contains(s.Role) && s.RegionCode == township) || (s.Role == StaffRole.CountyOffice && s.RegionCode == county),
            StageActor.County => holder || (s.Role == StaffRole.CountyOffice && s.RegionCode == county),
            _ => holder,
        };
        if (ok) return Decision.Yes;
        if (stage.Actor == StageActor.Departments)
            return Decision.No($"“{stage.Name}”任务属于其他部门，您只能办理本部门（{s.DepartmentCode ?? "未登记部门"}）的任务");
        return Decision.No($"案件{c.Number}的“{stage.Name}”不由您办理（您是{RoleName(s.Role)}，负责{await RegionName(s.RegionCode, ct)}）");
    }

    /// <summary>
    /// Whether the staff member may record a visit (走访) on the case: the right to act on its household — the holder of its
    /// open task, the household's contact person (帮扶联系人), the village's cadres and the township's officers — not merely
    /// the right to read the case (a county office or a department reads it but does not visit).
    /// </summary>
    public async Task<Decision> CanRecordVisit(Staff s, Case c, CancellationToken ct = default)
    {
        if (s.Role == StaffRole.CountyLeader) return Decision.No("县级领导账号只能查看，不能记录走访。走访记录由村、乡镇干部和帮扶联系人填写");
        var (_, township, _) = await ChainOf(c.VillageCode, ct);
        var ok = c.CurrentStage?.Assignments.Any(a => a.IsOpen && IsHolder(s, a)) == true
                 || (VillageRoles.Contains(s.Role) && s.RegionCode == c.VillageCode)
                 || (TownshipRoles.Contains(s.Role) && s.RegionCode == township)
                 || (c.HouseholdId is { } id && await db.Households.AsNoTracking().AnyAsync(h => h.Id == id && h.ContactUserId == s.UserId, ct));
        if (ok) return Decision.Yes;
        return Decision.No($"案件{c.Number}的走访不由您记录（您是{RoleName(s.Role)}，负责{await RegionName(s.RegionCode, ct)}）。走访记录由本村干部、乡镇干部和该户的帮扶联系人填写");
    }

    /// <summary>
    /// Who approves a deferral of this stage: one level up (village → township; township/department → county office), never
    /// the requester: a township lead who asks for a village stage's deferral is approved by the county office
    /// (DESIGN §2 and docs/policy-matrix.md YL-6: a deferral needs a written reason approved one level up).
    /// </summary>
    public async Task<IReadOnlyList<string>> DeferralApprovers(Case c, StageDefinition stage, string requestedBy, CancellationToken ct = default)
    {
        var (_, township, county) = await ChainOf(c.VillageCode, ct);
        if (stage.Actor is StageActor.Village or StageActor.ContactPerson)
        {
            var leads = await db.Staff.AsNoTracking().Where(x => x.RegionCode == township && x.Active && x.Role == StaffRole.TownshipLead && x.UserId != requestedBy)
                .Select(x => x.UserId).ToListAsync(ct);
            if (leads.Count > 0) return leads;
        }
        return await db.Staff.AsNoTracking().Where(x => x.RegionCode == county && x.Active && x.Role == StaffRole.CountyOffice && x.UserId != requestedBy)
            .Select(x => x.UserId).ToListAsync(ct);
    }

    public static bool IsHolder(Staff s, StageAssignment task) =>
        task.AssigneeKind == AssigneeKind.Staff ? task.AssigneeId == s.UserId : s.Role == StaffRole.DepartmentOfficer && s.DepartmentCode == task.AssigneeId;

    private static bool HoldsTask(Staff s, Case c) => c.Stages.SelectMany(x => x.Assignments).Any(a => IsHolder(s, a));

    private async Task<string> RegionName(string code, CancellationToken ct) =>
        await db.Regions.AsNoTracking().Where(r => r.Code == code).Select(r => r.Name).FirstOrDefaultAsync(ct) ?? code;

    public static string RoleName(StaffRole r) => r switch
    {
        StaffRole.GridMonitor => "网格监测员",
        StaffRole.VillageCadre => "村两委干部",
        StaffRole.WorkTeam => "驻村工作队员",
        StaffRole.TownshipOfficer => "乡镇干部",
        StaffRole.TownshipLead => "乡镇分管领导",
        StaffRole.CountyOffice => "县级办公室工作人员",
        StaffRole.CountyLeader => "县级领导",
        StaffRole.DepartmentOfficer => "部门工作人员",
        _ => r.ToString(),
    };
}
