using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>A small county: two townships, a village each, cadres, a township lead, the county office, three departments and their groups.</summary>
internal static class Seed
{
    public const string County = "532929", T1 = "532929101", T2 = "532929102", V1 = "532929101201", V2 = "532929102201";

    public static DateTimeOffset Bj(int month, int day, int hour, int minute = 0, int year = 2026) =>
        ChinaTime.At(new DateOnly(year, month, day), new TimeOnly(hour, minute));

    public static async Task RosterAsync(BotFactory host)
    {
        await using var scope = host.Scope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        db.Regions.AddRange(
            new Region { Code = County, Name = "云龙县", Level = RegionLevel.County },
            new Region { Code = T1, Name = "诺邓镇", ParentCode = County, Level = RegionLevel.Township },
            new Region { Code = T2, Name = "功果桥镇", ParentCode = County, Level = RegionLevel.Township },
            new Region { Code = V1, Name = "天池村", ParentCode = T1, Level = RegionLevel.Village },
            new Region { Code = V2, Name = "旧州村", ParentCode = T2, Level = RegionLevel.Village });
        db.Departments.AddRange(
            new Department { Code = "JT", Name = "县教体局", Kind = DepartmentKind.CloseMonitoring, RiskTypes = ["因学"] },
            new Department { Code = "MZ", Name = "县民政局", Kind = DepartmentKind.CloseMonitoring, RiskTypes = ["其他"] },
            new Department { Code = "ZJ", Name = "县住建局", Kind = DepartmentKind.Related, RiskTypes = ["住房安全"] });
        db.Staff.AddRange(
            new Staff { UserId = "gm1", Name = "李网格", Phone = "13812345678", Role = StaffRole.GridMonitor, RegionCode = V1 },
            new Staff { UserId = "vc1", Name = "王村干", Role = StaffRole.VillageCadre, RegionCode = V1 },
            new Staff { UserId = "gm2", Name = "陈网格", Role = StaffRole.GridMonitor, RegionCode = V2 },
            new Staff { UserId = "to1", Name = "赵乡干", Role = StaffRole.TownshipOfficer, RegionCode = T1 },
            new Staff { UserId = "tl1", Name = "钱分管", Role = StaffRole.TownshipLead, RegionCode = T1 },
            new Staff { UserId = "co1", Name = "孙办公室", Role = StaffRole.CountyOffice, RegionCode = County },
            new Staff { UserId = "jt1", Name = "吴教体", Role = StaffRole.DepartmentOfficer, RegionCode = County, DepartmentCode = "JT" },
            new Staff { UserId = "mz1", Name = "郑民政", Role = StaffRole.DepartmentOfficer, RegionCode = County, DepartmentCode = "MZ" },
            new Staff { UserId = "zj1", Name = "冯住建", Role = StaffRole.DepartmentOfficer, RegionCode = County, DepartmentCode = "ZJ" });
        db.Groups.AddRange(
            new GroupBinding { RegionCode = T1, Purpose = GroupPurpose.TownshipWork, ChatId = "chat-t1" },
            new GroupBinding { RegionCode = County, Purpose = GroupPurpose.CountyLeaders, WebhookKey = "hook-county" },
            new GroupBinding { RegionCode = County, Purpose = GroupPurpose.Bulletin, ChatId = "chat-bulletin" });
        await db.SaveChangesAsync();
    }

    /// <summary>Opens a case through the real workflow (routing, first stage, ladder) at the fake clock's now.</summary>
    public static async Task<string> OpenCaseAsync(BotFactory host, string village = V1, string risk = "因学", Channel channel = Channel.SelfReport)
    {
        await using var scope = host.Scope();
        var wf = scope.ServiceProvider.GetRequiredService<CaseWorkflow>();
        var c = await wf.OpenAsync(channel, village, [risk], "孩子上学费用困难，联系电话13900001111", Severity.General, new Actor("wm-farmer-1", "farmer"));
        await scope.ServiceProvider.GetRequiredService<BotDb>().SaveChangesAsync();
        return c.Number;
    }

    /// <summary>Completes the open task of <paramref name="assignee"/> in the case's current stage and starts the next stage.</summary>
    public static async Task CompleteAsync(BotFactory host, string number, string assignee, TaskResult result = TaskResult.Done)
    {
        await using var scope = host.Scope();
        var wf = scope.ServiceProvider.GetRequiredService<CaseWorkflow>();
        var c = (await wf.LoadAsync(number))!;
        var task = c.CurrentStage!.Assignments.First(a => a.AssigneeId == assignee && a.IsOpen);
        var actor = new Actor(assignee, "test");
        if (c.CompleteTask(task.TaskId, result, null, actor, wf.ClockFor(c))) await wf.AdvanceAsync(c, actor);
        await scope.ServiceProvider.GetRequiredService<BotDb>().SaveChangesAsync();
    }

    public static async Task DeferAsync(BotFactory host, string number, DateTimeOffset newDue, string reason)
    {
        await using var scope = host.Scope();
        var wf = scope.ServiceProvider.GetRequiredService<CaseWorkflow>();
        var c = (await wf.LoadAsync(number))!;
        c.Defer(newDue, reason, new Actor("tl1", "township-lead"), wf.ClockFor(c));
        await scope.ServiceProvider.GetRequiredService<BotDb>().SaveChangesAsync();
    }
}
