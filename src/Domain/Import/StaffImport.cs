using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Import;

/// <summary>staff: wecom_userid, name, phone, role, region_code, department_code — the region's level must fit the role.</summary>
internal static class StaffImport
{
    private sealed record Row(int Line, string UserId, string Name, string? Phone, StaffRole Role, string RegionCode, string? DepartmentCode);

    public static async Task RunAsync(ImportRun run, List<TableRow> rows)
    {
        // Regions and departments are small (a county has a few hundred villages); one query each.
        var regions = await run.Db.Regions.AsNoTracking().Select(x => new { x.Code, x.Level }).ToDictionaryAsync(x => x.Code, x => x.Level, run.Ct);
        var departments = (await run.Db.Departments.AsNoTracking().Select(x => x.Code).ToListAsync(run.Ct)).ToHashSet();

        var valid = new List<Row>();
        foreach (var r in rows)
        {
            var problems = new List<string>();
            var userId = run.Cell(r, "wecom_userid");
            var name = run.Cell(r, "name");
            var phone = run.Cell(r, "phone");
            var roleText = run.Cell(r, "role");
            var region = run.Cell(r, "region_code");
            var department = run.Cell(r, "department_code");
            if (userId.Length == 0 && phone.Length > 0 && PhoneNumber.Validate(phone) is null)
            {
                // Issue 14: a row may give the phone only; the account comes from the corp's address book.
                var found = run.Accounts is null
                    ? StaffAccount.Missing("企业微信账号（wecom_userid）为空：这里不能按手机号查找账号，请填写企业微信账号，例如 gm_lishu")
                    : await run.Accounts.FindByPhoneAsync(PhoneNumber.Normalize(phone), run.Ct);
                if (found.UserId is null)
                {
                    run.Reject(r.Line, $"按手机号 {Privacy.Mask.Phone(PhoneNumber.Normalize(phone))} 找不到企业微信账号：{found.Problem}");
                    continue;
                }
                userId = found.UserId;
            }
            if (Codes.CheckUserId(userId, "企业微信账号（wecom_userid）") is { } bad) problems.Add(userId.Length == 0 ? bad + "，或填写手机号（phone）由系统查找" : bad);
            else if (run.SeenBefore("userid", userId, r.Line) is { } first) problems.Add($"企业微信账号 {userId} 与第{first}行重复");
            if (name.Length == 0) problems.Add("姓名不能为空");
            if (phone.Length > 0 && PhoneNumber.Validate(phone) is { } badPhone) problems.Add(badPhone + Codes.PhoneHint(phone));
            var hasRole = RosterValues.TryRole(roleText, out var role);
            if (!hasRole)
                problems.Add(roleText.Length == 0 ? $"角色不能为空，可填 {RosterValues.RoleChoices}" : $"角色“{roleText}”不认识，可填 {RosterValues.RoleChoices}");
            if (region.Length == 0) problems.Add("所属区域代码（region_code）不能为空");
            else if (!regions.TryGetValue(region, out var level)) problems.Add($"区域代码 {region} 不存在：请先导入区域（regions）");
            else if (hasRole && level != LevelOf(role))
                problems.Add($"{role.Chinese()}应属于{LevelOf(role).Chinese()}级区域，而 {region} 是{level.Chinese()}");
            if (department.Length > 0 && !departments.Contains(department)) problems.Add($"部门代码 {department} 不存在：请先导入部门（departments）");
            else if (department.Length == 0 && hasRole && role == StaffRole.DepartmentOfficer) problems.Add("部门人员必须填写部门代码（department_code），例如 WJ");
            if (problems.Count > 0) run.Reject(r.Line, problems);
            else valid.Add(new Row(r.Line, userId, name, phone.Length == 0 ? null : PhoneNumber.Normalize(phone), role, region, department.Length == 0 ? null : department));
        }

        await run.UpsertAsync(valid, x => x.UserId,
            keys => run.Db.Staff.Where(x => keys.Contains(x.UserId)), x => x.UserId,
            x => new Staff { UserId = x.UserId, Name = x.Name, Phone = x.Phone, Role = x.Role, RegionCode = x.RegionCode, DepartmentCode = x.DepartmentCode },
            (e, x) =>
            {
                if (e.Name == x.Name && e.Phone == x.Phone && e.Role == x.Role && e.RegionCode == x.RegionCode && e.DepartmentCode == x.DepartmentCode && e.Active
                    && e.UndeliverableSince is null) return false;
                (e.Name, e.Phone, e.Role, e.RegionCode, e.DepartmentCode, e.Active) = (x.Name, x.Phone, x.Role, x.RegionCode, x.DepartmentCode, true);
                // A re-import is the county saying the account is fixed (activated, licensed, in range): try it again.
                (e.UndeliverableReason, e.UndeliverableSince) = (null, null);
                return true;
            });
    }

    /// <summary>Village workers sit in a village, township cadres in a township, the rest at county level.</summary>
    internal static RegionLevel LevelOf(StaffRole role) => role switch
    {
        StaffRole.GridMonitor or StaffRole.VillageCadre or StaffRole.WorkTeam => RegionLevel.Village,
        StaffRole.TownshipOfficer or StaffRole.TownshipLead => RegionLevel.Township,
        _ => RegionLevel.County,
    };
}
