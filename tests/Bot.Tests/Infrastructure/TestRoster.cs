using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Tests.Infrastructure;

/// <summary>A small fictional roster: one county, two townships, three villages, staff of every role, departments, households.</summary>
public static class TestRoster
{
    public const string County = "530100", TownA = "530101", TownB = "530102";
    public const string VillageA1 = "530101001", VillageA2 = "530101002", VillageB1 = "530102001";
    /// <summary>Valid GB 11643 checksums (fictional).</summary>
    public const string IdZhang = "530101198001010019", IdLi = "530101198502020020", IdUnknown = "110101199003077774";

    public static void Seed(BotDb db)
    {
        db.Regions.AddRange(
            new Region { Code = County, Name = "示范县", Level = RegionLevel.County },
            new Region { Code = TownA, Name = "城关镇", ParentCode = County, Level = RegionLevel.Township },
            new Region { Code = TownB, Name = "河口乡", ParentCode = County, Level = RegionLevel.Township },
            new Region { Code = VillageA1, Name = "李树村", ParentCode = TownA, Level = RegionLevel.Village },
            new Region { Code = VillageA2, Name = "桃园村", ParentCode = TownA, Level = RegionLevel.Village },
            new Region { Code = VillageB1, Name = "河湾村", ParentCode = TownB, Level = RegionLevel.Village });
        db.Departments.AddRange(
            new Department { Code = "WJ", Name = "县卫健局", Kind = DepartmentKind.CloseMonitoring, RiskTypes = ["因病"] },
            new Department { Code = "YB", Name = "县医保局", Kind = DepartmentKind.CloseMonitoring, RiskTypes = ["因病"] },
            new Department { Code = "MZ", Name = "县民政局", Kind = DepartmentKind.CloseMonitoring, RiskTypes = ["其他"] },
            new Department { Code = "JT", Name = "县教体局", Kind = DepartmentKind.CloseMonitoring, RiskTypes = ["因学"] },
            new Department { Code = "ZJ", Name = "县住建局", Kind = DepartmentKind.CloseMonitoring, RiskTypes = ["住房安全"] },
            new Department { Code = "RS", Name = "县人社局", Kind = DepartmentKind.Related, RiskTypes = ["务工就业不稳"] });
        db.Staff.AddRange(
            S("gm_a1", "王网格", StaffRole.GridMonitor, VillageA1),
            S("vc_a1", "赵村委", StaffRole.VillageCadre, VillageA1),
            S("gm_a2", "钱网格", StaffRole.GridMonitor, VillageA2),
            S("gm_b1", "孙网格", StaffRole.GridMonitor, VillageB1),
            S("vc_b1", "周村委", StaffRole.VillageCadre, VillageB1),
            S("to_a", "吴乡干", StaffRole.TownshipOfficer, TownA),
            S("tl_a", "郑镇长", StaffRole.TownshipLead, TownA),
            S("to_b", "冯乡干", StaffRole.TownshipOfficer, TownB),
            S("tl_b", "陈乡长", StaffRole.TownshipLead, TownB),
            S("co_1", "褚办公室", StaffRole.CountyOffice, County),
            S("cl_1", "卫县长", StaffRole.CountyLeader, County),
            S("d_wj", "蒋卫健", StaffRole.DepartmentOfficer, County, "WJ"),
            S("d_yb", "沈医保", StaffRole.DepartmentOfficer, County, "YB"),
            S("d_mz", "韩民政", StaffRole.DepartmentOfficer, County, "MZ"),
            S("d_jt", "杨教体", StaffRole.DepartmentOfficer, County, "JT"));
        db.Households.AddRange(
            new Household { HouseholdNo = "H-A1-001", HeadName = "张大山", IdNumber = IdZhang, Phone = "13800000001", VillageCode = VillageA1, Members = 4, IncomePerCapita = 7200, ContactUserId = "vc_a1" },
            new Household { HouseholdNo = "H-A1-002", HeadName = "李小花", IdNumber = IdLi, Phone = "13800000002", VillageCode = VillageA1, Members = 3, IncomePerCapita = 8100 });
        db.Groups.AddRange(
            new GroupBinding { RegionCode = TownA, Purpose = GroupPurpose.TownshipWork, WebhookKey = "hook-town-a" },
            new GroupBinding { RegionCode = TownB, Purpose = GroupPurpose.TownshipWork, ChatId = "chat-town-b" },
            new GroupBinding { RegionCode = County, Purpose = GroupPurpose.CountyLeaders, ChatId = "chat-county" },
            new GroupBinding { RegionCode = County, Purpose = GroupPurpose.Bulletin, WebhookKey = "hook-bulletin" });
        db.SaveChanges();
    }

    private static Staff S(string id, string name, StaffRole role, string region, string? dept = null) =>
        new() { UserId = id, Name = name, Role = role, RegionCode = region, DepartmentCode = dept, Phone = "1390000" + (id.GetHashCode() & 0xFFFF).ToString("D4")[..4] };
}
