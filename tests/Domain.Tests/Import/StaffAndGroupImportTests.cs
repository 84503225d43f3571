using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Tests.Import;

public sealed class StaffAndGroupImportTests
{
    [Fact]
    public async Task ImportStaff_ShouldAddEveryRole_WhenFileIsGood()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        var r = await t.ImportCsvAsync(ImportKind.Staff, """
            wecom_userid,name,phone,role,region_code,department_code
            gm_lishu,李树,13900000001,grid_monitor,990101001001,
            vc_zhangmiao,张苗,,村两委,990101001001,
            wt_liutian,刘田,13900000003,驻村工作队,990101001001,
            to_chenxi,陈溪,0399-5550101,乡镇干部,990101001,
            tl_yangling,杨岭,13900000005,township_lead,990101001,
            co_zhaoquan,赵泉,13900000006,县级办公室,990101,
            cl_huanglin,黄林,13900000007,county_leader,990101,
            dp_zhoufeng,周峰,+86 139 0000 0008,部门,990101,WJ
            """);

        Assert.Equal((8, 0), (r.Added, r.Rejected));
        await using var db = t.NewDb();
        var dp = await db.Staff.SingleAsync(x => x.UserId == "dp_zhoufeng");
        Assert.Equal((StaffRole.DepartmentOfficer, "WJ", "13900000008"), (dp.Role, dp.DepartmentCode, dp.Phone));
        Assert.Equal(StaffRole.VillageCadre, (await db.Staff.SingleAsync(x => x.UserId == "vc_zhangmiao")).Role);
        Assert.Null((await db.Staff.SingleAsync(x => x.UserId == "vc_zhangmiao")).Phone);
    }

    [Fact]
    public async Task ImportStaff_ShouldRejectBadRowsWithLineAndReason_WhenGoodRowsAreImported()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        var r = await t.ImportCsvAsync(ImportKind.Staff, """
            wecom_userid,name,phone,role,region_code,department_code
            gm_lishu,李树,13900000001,grid_monitor,990101001001,
            gm_wanghe,王禾,13900000002,grid_monitor,990101001,
            xx_zhang,张三,13900000003,村长,990101001001,
            dp_a,部门甲,13900000004,department_officer,990101,
            dp_b,部门乙,13900000005,department_officer,990101,XX
            gm_lishu,李树二,13900000006,grid_monitor,990101001001,
            gm_c,网格丙,1390000,grid_monitor,990101009009,
            """);

        Assert.Equal((1, 6), (r.Added, r.Rejected));
        Assert.Equal(
        [
            new ImportError(3, "网格监测员应属于村级区域，而 990101001 是乡镇"),
            new ImportError(4, "角色“村长”不认识，可填 grid_monitor/village_cadre/work_team/township_officer/township_lead/county_office/county_leader/department_officer 或 网格监测员/村两委/驻村工作队/乡镇干部/乡镇领导/县级办公室/县级领导/部门"),
            new ImportError(5, "部门人员必须填写部门代码（department_code），例如 WJ"),
            new ImportError(6, "部门代码 XX 不存在：请先导入部门（departments）"),
            new ImportError(7, "企业微信账号 gm_lishu 与第2行重复"),
            new ImportError(8, "电话号码格式不对：手机号应为1开头的11位数字，例如13800001234；座机请带区号，例如0371-12345678（本行填了7位）；区域代码 990101009009 不存在：请先导入区域（regions）"),
        ], r.Errors);
    }

    [Fact]
    public async Task ImportStaff_ShouldReactivateAndUpdate_WhenStaffWasDeactivated()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        await using (var db = t.NewDb())
        {
            (await db.Staff.SingleAsync(x => x.UserId == "vc_a")).Active = false;
            await db.SaveChangesAsync();
        }
        var r = await t.ImportCsvAsync(ImportKind.Staff, "wecom_userid,name,phone,role,region_code,department_code\nvc_a,王禾,,village_cadre,990101001001,\n");

        Assert.Equal((0, 1, 0), (r.Added, r.Updated, r.Unchanged));
        await using var check = t.NewDb();
        Assert.True((await check.Staff.SingleAsync(x => x.UserId == "vc_a")).Active);
    }

    [Fact]
    public async Task ImportGroups_ShouldBindChatOrWebhook_WhenFileIsGood()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        var r = await t.ImportCsvAsync(ImportKind.Groups, """
            region_code,purpose,chat_id,webhook_key
            990101001,乡镇工作群,,demo-township-1
            990101,county_leaders,wr-leaders-chat,
            990101,通报群,,https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=demo-bulletin
            """);

        Assert.Equal((3, 0), (r.Added, r.Rejected));
        await using var db = t.NewDb();
        var groups = await db.Groups.OrderBy(x => x.Purpose).ToListAsync();
        Assert.Equal([GroupPurpose.TownshipWork, GroupPurpose.CountyLeaders, GroupPurpose.Bulletin], groups.Select(x => x.Purpose));
        Assert.Equal(("demo-township-1", null), (groups[0].WebhookKey, groups[0].ChatId));
        Assert.Equal("wr-leaders-chat", groups[1].ChatId);
        Assert.Equal("demo-bulletin", groups[2].WebhookKey);
    }

    [Fact]
    public async Task ImportGroups_ShouldRequireExactlyOneOfChatIdAndWebhookKey_WhenRowsAreBad()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        var r = await t.ImportCsvAsync(ImportKind.Groups, """
            region_code,purpose,chat_id,webhook_key
            990101001,township_work,chat-1,key-1
            990101001,township_work,,
            990101,township_work,,key-2
            990101001,bulletin,,key-3
            990101001,通报群,,key-4
            990101009,闲聊群,,key-5
            """);

        const string exactlyOne = "chat_id 和 webhook_key 最多填一个：应用群聊填 chat_id，群机器人填 webhook_key（机器人地址中 key= 后面的部分）；两项都留空则由 wecom groups create 创建应用群聊";
        Assert.Equal((1, 5), (r.Added, r.Rejected));
        Assert.Equal(
        [
            new ImportError(2, exactlyOne),
            new ImportError(3, "区域 990101001 的乡镇工作群与第2行重复"),
            new ImportError(4, "乡镇工作群只能绑定到乡镇，而这个区域是县"),
            new ImportError(6, "区域 990101001 的通报群与第5行重复"),
            new ImportError(7, "区域代码 990101009 不存在：请先导入区域（regions）；群用途“闲聊群”不认识，可填 township_work/county_leaders/bulletin 或 乡镇工作群/县领导群/通报群"),
        ], r.Errors);
    }

    [Fact]
    public async Task ImportGroups_ShouldReplaceChatByWebhook_WhenRowChangesOnReimport()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        await t.ImportCsvAsync(ImportKind.Groups, "region_code,purpose,chat_id,webhook_key\n990101,bulletin,chat-1,\n");
        var r = await t.ImportCsvAsync(ImportKind.Groups, "region_code,purpose,chat_id,webhook_key\n990101,bulletin,,key-1\n");

        Assert.Equal((0, 1, 0), (r.Added, r.Updated, r.Unchanged));
        await using var db = t.NewDb();
        var g = await db.Groups.SingleAsync();
        Assert.Equal((null, "key-1"), (g.ChatId, g.WebhookKey));
    }
}
