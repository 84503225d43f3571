using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.WeCom.Simulator;

namespace RapidResponse.Bot.Tests.GoLive;

/// <summary>Issue 14 item 1: staff rows by phone (user/getuserid) and <c>wecom sync</c> (department/list + user/list).</summary>
public sealed class StaffByPhoneTests
{
    [Fact]
    public async Task ImportStaff_ShouldResolveUserIdByPhone_AndReportTheRowsItCannotResolve()
    {
        using var f = GoLiveHost.Start();
        var sim = f.WeCom!.Simulator;
        sim.AddPerson("gm_new", "新网格", "13912345678", 2);
        sim.AddPerson("gm_far", "远网格", "13912340000", 2, MemberStatus.OutOfRange);
        var file = Path.Combine(f.Directory, "staff.csv");
        await File.WriteAllTextAsync(file, """
            wecom_userid,name,phone,role,region_code,department_code
            ,新网格,13912345678,网格监测员,530101001,
            ,无名,13987654321,网格监测员,530101001,
            ,远网格,13912340000,网格监测员,530101002,
            ,没电话,,网格监测员,530101002,
            """);

        var (code, output, _) = await GoLiveHost.RunAsync(f, "import", "staff", file);

        Assert.Equal(1, code);
        Assert.Contains("人员（staff）：新增 1，更新 0，未变 0，拒绝 3", output);
        Assert.Contains("第3行：按手机号 139****4321 找不到企业微信账号：企业微信通讯录里没有这个手机号的成员", output);
        Assert.Contains("第4行：按手机号 139****0000 找不到企业微信账号：该成员不在应用的可见范围内", output);
        Assert.Contains("第5行：企业微信账号（wecom_userid）不能为空，或填写手机号（phone）由系统查找", output);
        Assert.DoesNotContain("13987654321", output);
        using var db = f.NewDb();
        var added = await db.Staff.SingleAsync(s => s.Name == "新网格");
        Assert.Equal(("gm_new", "13912345678"), (added.UserId, added.Phone));
        Assert.Equal(3, sim.CallsTo("/cgi-bin/user/getuserid").Count);
    }

    [Fact]
    public async Task Sync_ShouldListMissingOutOfRangeAndInactivePeople_AndMembersWithoutRole()
    {
        using var f = GoLiveHost.Start(addressBookFromRoster: false);
        GoLiveHost.AddRosterToAddressBook(f, except: "gm_b1");
        var sim = f.WeCom!.Simulator;
        sim.AddPerson("vc_b1", "周村委", null, 2, MemberStatus.OutOfRange);
        sim.AddPerson("to_b", "冯乡干", null, 2, MemberStatus.Inactive);
        sim.AddPerson("stranger", "外来人", null, 2);

        var (code, output, _) = await GoLiveHost.RunAsync(f, "wecom", "sync");

        Assert.Equal(1, code);
        Assert.Contains("名单里有、企业微信里没有（请在管理后台添加成员，或改正名单里的账号）（1）：\n  gm_b1 孙网格（网格监测员，530102001）：企业微信通讯录里没有这个账号".Replace("\n", Environment.NewLine), output);
        Assert.Contains("不在应用可见范围（管理后台 → 应用管理 → 本应用 → 可见范围）（1）：\n  vc_b1 周村委（村两委，530102001）：不在应用可见范围内".Replace("\n", Environment.NewLine), output);
        Assert.Contains("  to_b 冯乡干（乡镇干部，530102）：账号未激活（还没有登录过企业微信）", output);
        Assert.Contains("企业微信里有、名单里没有角色的成员（1）：\n  stranger 外来人".Replace("\n", Environment.NewLine), output);
        Assert.DoesNotContain("名单上的人都能收到消息", output);
    }

    [Fact]
    public async Task Sync_ShouldExit0_WhenEveryRosterPersonIsAnActiveVisibleMember()
    {
        using var f = GoLiveHost.Start();

        var (code, output, _) = await GoLiveHost.RunAsync(f, "wecom", "sync");

        Assert.Equal(0, code);
        Assert.Contains("通讯录核对：应用可见成员 15 人，名单在岗人员 15 人", output);
        Assert.Contains("名单上的人都能收到消息。", output);
    }
}
