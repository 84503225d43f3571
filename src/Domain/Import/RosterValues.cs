using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Import;

/// <summary>Enum values as a county writes them: the English code or the Chinese term.</summary>
public static class RosterValues
{
    private static readonly (string[] Names, RegionLevel Value)[] Levels =
    [
        (["county", "县", "县级", "区", "县（区）"], RegionLevel.County),
        (["township", "乡镇", "乡", "镇", "街道", "乡镇（街道）"], RegionLevel.Township),
        (["village", "村", "行政村", "社区", "村（社区）"], RegionLevel.Village),
    ];

    private static readonly (string[] Names, DepartmentKind Value)[] Kinds =
    [
        (["close", "密切监测", "close_monitoring", "密切监测单位", "紧密型", "动态监测紧密型"], DepartmentKind.CloseMonitoring),
        (["related", "相关", "相关单位", "相关部门"], DepartmentKind.Related),
        (["county_office", "牵头单位", "办公室", "联动小组办公室"], DepartmentKind.CountyOffice),
    ];

    private static readonly (string[] Names, StaffRole Value)[] Roles =
    [
        (["grid_monitor", "网格监测员", "网格员"], StaffRole.GridMonitor),
        (["village_cadre", "村两委", "村干部"], StaffRole.VillageCadre),
        (["work_team", "驻村工作队", "驻村工作队员", "第一书记"], StaffRole.WorkTeam),
        (["township_officer", "乡镇干部"], StaffRole.TownshipOfficer),
        (["township_lead", "乡镇领导", "乡镇分管领导"], StaffRole.TownshipLead),
        (["county_office", "县级办公室"], StaffRole.CountyOffice),
        (["county_leader", "县级领导", "县领导"], StaffRole.CountyLeader),
        (["department_officer", "部门", "部门人员", "行业部门"], StaffRole.DepartmentOfficer),
    ];

    private static readonly (string[] Names, HouseholdCategory Value)[] Categories =
    [
        (["ordinary", "一般农户"], HouseholdCategory.Ordinary),
        (["lifted_out", "脱贫户"], HouseholdCategory.LiftedOut),
        (["unstable_lifted_out", "脱贫不稳定户"], HouseholdCategory.UnstableLiftedOut),
        (["marginal_at_risk", "边缘易致贫户"], HouseholdCategory.MarginalAtRisk),
        (["sudden_hardship", "突发严重困难户"], HouseholdCategory.SuddenHardship),
    ];

    private static readonly (string[] Names, CardColour Value)[] Cards =
    [
        (["", "none", "无"], CardColour.None),
        (["red", "红", "红卡"], CardColour.Red),
        (["yellow", "黄", "黄卡"], CardColour.Yellow),
        (["green", "绿", "绿卡"], CardColour.Green),
    ];

    // 丰都 第五步: 低保 and 特困 households count as households without labour capacity.
    private static readonly (string[] Names, bool Value)[] NoLabour =
    [
        (["", "no", "否", "0", "false", "有劳动能力"], false),
        (["yes", "是", "1", "true", "低保", "低保户", "特困", "特困户", "特困供养", "整户无劳动能力"], true),
    ];

    private static readonly (string[] Names, GroupPurpose Value)[] Purposes =
    [
        (["township_work", "乡镇工作群"], GroupPurpose.TownshipWork),
        (["county_leaders", "县领导群"], GroupPurpose.CountyLeaders),
        (["bulletin", "通报群"], GroupPurpose.Bulletin),
    ];

    public static bool TryLevel(string text, out RegionLevel v) => TryFind(Levels, text, out v);
    public static bool TryKind(string text, out DepartmentKind v) => TryFind(Kinds, text, out v);
    public static bool TryRole(string text, out StaffRole v) => TryFind(Roles, text, out v);
    public static bool TryCategory(string text, out HouseholdCategory v) => TryFind(Categories, text, out v);
    public static bool TryCard(string text, out CardColour v) => TryFind(Cards, text, out v);
    public static bool TryPurpose(string text, out GroupPurpose v) => TryFind(Purposes, text, out v);
    public static bool TryNoLabour(string text, out bool v) => TryFind(NoLabour, text, out v);

    /// <summary>"county/township/village 或 县/乡镇/村" — the choices for an error message.</summary>
    public static string LevelChoices => Choices(Levels);
    public static string KindChoices => Choices(Kinds);
    public static string RoleChoices => Choices(Roles);
    public static string CategoryChoices => string.Join("/", Categories.Select(c => c.Names[1]));
    public static string CardChoices => "红/黄/绿（或留空）";
    public static string PurposeChoices => Choices(Purposes);
    public static string NoLabourChoices => "是/否/低保/特困";

    public static string Chinese(this RegionLevel level) => Levels.First(l => l.Value == level).Names[1];
    public static string Chinese(this StaffRole role) => Roles.First(r => r.Value == role).Names[1];
    public static string Chinese(this GroupPurpose purpose) => Purposes.First(p => p.Value == purpose).Names[1];

    private static bool TryFind<T>((string[] Names, T Value)[] table, string text, out T value)
    {
        var t = text.Trim();
        foreach (var (names, v) in table)
        {
            if (names.Any(n => n.Equals(t, StringComparison.OrdinalIgnoreCase)))
            {
                value = v;
                return true;
            }
        }
        value = default!;
        return false;
    }

    private static string Choices<T>((string[] Names, T Value)[] table) =>
        $"{string.Join("/", table.Select(x => x.Names[0]))} 或 {string.Join("/", table.Select(x => x.Names[1]))}";
}
