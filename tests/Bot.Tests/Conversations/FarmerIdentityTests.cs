using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Tests.Conversations;

/// <summary>
/// A 微信客服 sender proves they belong to a roster household (ID number + head's name + the roster phone's last four) before
/// the bot shows anything from the roster, links the report or tells them a decision (issue 12, item 2).
/// </summary>
public sealed class FarmerIdentityTests
{
    private const string Kf = "kf1";

    private static (BotFactory F, ChatDriver Chat) Start()
    {
        var f = new BotFactory();
        _ = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        return (f, new ChatDriver(f));
    }

    private static Task Say(ChatDriver chat, string from, string text) => chat.SendAsync(from, text, InboundChannel.Kf, Kf);

    private static string OneShot(string id, string name, string phone, string village = "桃园村") =>
        $"申报\n身份证号：{id}\n姓名：{name}\n联系电话：{phone}\n村：{village}\n困难类型：因病\n情况说明：家里有人住院，花费很大";

    /// <summary>Every text the sender got, as one string, for "never shown" checks.</summary>
    private static string All(ChatDriver chat, string to) => string.Join("\n", chat.TextsTo(to));

    [Fact]
    public async Task IdProbe_ShouldShowNoRosterDataAndNotLink_WhenTheNameDoesNotMatchTheRosterId()
    {
        var (f, chat) = Start();
        using var _ = f;
        // A neighbour knows 张大山's ID number, not the name on the roster; the other sender sends an ID on no roster at all.
        await Say(chat, "wm_probe", "申报");
        await Say(chat, "wm_probe", TestRoster.IdZhang);
        Assert.Contains("户主姓名", chat.LastTextTo("wm_probe"));
        await Say(chat, "wm_probe", "王五");
        await Say(chat, "wm_probe", "13800000001");
        await Say(chat, "wm_other", "申报");
        await Say(chat, "wm_other", TestRoster.IdUnknown);
        await Say(chat, "wm_other", "王五");
        await Say(chat, "wm_other", "13800000001");

        // The same answer, word for word, whether the ID is on the roster with another name or not on it: nothing to probe.
        var probe = chat.TextsTo("wm_probe");
        var other = chat.TextsTo("wm_other");
        Assert.Equal(other, probe);
        Assert.StartsWith("信息核对不上，请核对后重新发送，或联系村里", probe[^2]);
        Assert.Contains("所在的村", probe[^1]);

        await Say(chat, "wm_probe", "桃园村");
        await Say(chat, "wm_probe", "1");
        await Say(chat, "wm_probe", "家里有人住院，花费很大");
        await Say(chat, "wm_probe", "确认");
        Assert.Contains("YL-2026-000001", chat.LastTextTo("wm_probe"));
        var seen = All(chat, "wm_probe");
        Assert.DoesNotContain("张大山", seen);
        Assert.DoesNotContain("城关镇李树村", seen); // the roster's village (the form's example names a village too)
        Assert.DoesNotContain("花名册", seen);

        using var db = f.NewDb();
        var c = await db.Cases.SingleAsync();
        Assert.Null(c.HouseholdId);
        Assert.False(c.ReporterVerified);
        Assert.Equal(TestRoster.VillageA2, c.VillageCode);
        // Each failed check is audited against the sender, with the ID masked.
        var failed = await db.AuditEvents.Where(a => a.Action == SelfReports.IdentityCheckFailed).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["wm_probe", "wm_other"], failed.Select(a => a.Actor));
        Assert.All(failed, a => Assert.DoesNotContain(TestRoster.IdZhang, a.Detail));
        // The cadre's card says the reporter is not verified (the village checks who is behind it).
        Assert.Contains("申报人身份未核对", string.Join("", chat.CardsTo("gm_a2").Single().Fields.Select(x => x.Value)));
    }

    [Fact]
    public async Task UnverifiedReporter_ShouldHearThereIsAResultButNotTheReason_WhenTheCaseIsDecided()
    {
        var (f, chat) = Start();
        using var _ = f;
        await Say(chat, "wm_probe", OneShot(TestRoster.IdZhang, "王五", "13800000001", "李树村"));
        await Say(chat, "wm_probe", "确认");
        Assert.Contains("YL-2026-000001", chat.LastTextTo("wm_probe"));

        await ChatFlows.DecideNotQualifiedAsync(f, chat, "YL-2026-000001", "家庭年人均纯收入1.2万元，高于监测范围");
        var last = chat.LastTextTo("wm_probe");
        Assert.Contains("已有办理结果", last);
        Assert.DoesNotContain("1.2万元", All(chat, "wm_probe"));
        await Say(chat, "wm_probe", "进度");
        Assert.Contains("YL-2026-000001", chat.LastTextTo("wm_probe"));
        Assert.DoesNotContain("1.2万元", chat.LastTextTo("wm_probe"));
        Assert.DoesNotContain("不符合条件", chat.LastTextTo("wm_probe"));
    }

    [Fact]
    public async Task RightNameAndPhone_ShouldLinkTheHouseholdAndTellTheDecision_WhenTheRosterHasAPhone()
    {
        var (f, chat) = Start();
        using var _ = f;
        await Say(chat, "wm_zhang", "申报");
        await Say(chat, "wm_zhang", TestRoster.IdZhang);
        await Say(chat, "wm_zhang", "张大山");
        // The right name with a phone that is not the roster's: still not proven.
        await Say(chat, "wm_zhang", "13900001234");
        Assert.StartsWith("信息核对不上", chat.TextsTo("wm_zhang")[^2]);
        Assert.DoesNotContain("城关镇李树村", All(chat, "wm_zhang"));
        // 返回 keeps ID and name and asks for the phone again; the roster's phone (its last four 0001) proves it.
        await Say(chat, "wm_zhang", "返回");
        Assert.Contains("手机号", chat.LastTextTo("wm_zhang"));
        await Say(chat, "wm_zhang", "138 0000 0001");
        Assert.Contains("已核对，是您家：户主张大山，城关镇李树村", chat.LastTextTo("wm_zhang"));
        await Say(chat, "wm_zhang", "因病");
        await Say(chat, "wm_zhang", "户主住院，自付医疗费三万元");
        await Say(chat, "wm_zhang", "确认");
        Assert.Contains("YL-2026-000001", chat.LastTextTo("wm_zhang"));
        using (var db = f.NewDb())
        {
            var c = await db.Cases.SingleAsync();
            Assert.True(c.ReporterVerified);
            Assert.Equal(await db.Households.Where(h => h.IdNumber == TestRoster.IdZhang).Select(h => (long?)h.Id).SingleAsync(), c.HouseholdId);
        }

        await ChatFlows.DecideNotQualifiedAsync(f, chat, "YL-2026-000001", "家庭年人均纯收入1.2万元，高于监测范围");
        Assert.Contains("理由：家庭年人均纯收入1.2万元", chat.LastTextTo("wm_zhang"));
    }

    [Fact]
    public async Task NameAlone_ShouldLinkTheHousehold_WhenTheRosterHasNoPhone()
    {
        var (f, chat) = Start();
        using var _ = f;
        var id = ChatFlows.ValidId("53010119700303001");
        using (var db = f.NewDb())
        {
            db.Households.Add(new Household { HouseholdNo = "H-A2-009", HeadName = "阿依·古丽", IdNumber = id, VillageCode = TestRoster.VillageA2, Members = 2 });
            await db.SaveChangesAsync();
        }
        // One-shot, with the name's middle dot written another way and any phone (the roster has none to compare).
        await Say(chat, "wm_ayi", OneShot(id, "阿依•古丽", "13700007777", "河湾村"));
        Assert.Contains("请核对", chat.LastTextTo("wm_ayi"));
        Assert.Contains("城关镇桃园村", chat.LastTextTo("wm_ayi"));
        Assert.DoesNotContain("信息核对不上", All(chat, "wm_ayi"));
        await Say(chat, "wm_ayi", "确认");
        using var check = f.NewDb();
        var c = await check.Cases.SingleAsync();
        Assert.True(c.ReporterVerified);
        Assert.Equal(TestRoster.VillageA2, c.VillageCode);
    }

    [Fact]
    public async Task IdentityChecks_ShouldStopForTheDay_WhenASenderFailedThreeTimes()
    {
        var (f, chat) = Start();
        using var _ = f;
        foreach (var name in new[] { "王五", "张大三", "张山" })
            await Say(chat, "wm_guess", OneShot(TestRoster.IdZhang, name, "13800000001"));
        Assert.DoesNotContain("次数已经用完", All(chat, "wm_guess"));
        // The fourth try has the right name and phone, but the day's checks are used up: no check, no link, no roster data.
        await Say(chat, "wm_guess", OneShot(TestRoster.IdZhang, "张大山", "13800000001"));
        Assert.Contains("今天核对的次数已经用完", chat.TextsTo("wm_guess")[^2]);
        Assert.DoesNotContain("城关镇李树村", All(chat, "wm_guess"));
        using (var db = f.NewDb())
            Assert.Equal(3, await db.AuditEvents.CountAsync(a => a.Action == SelfReports.IdentityCheckFailed && a.Actor == "wm_guess"));

        // Another Beijing day: the right answers prove it again.
        f.Time.Advance(TimeSpan.FromDays(1));
        await Say(chat, "wm_guess", OneShot(TestRoster.IdZhang, "张大山", "13800000001"));
        Assert.Contains("城关镇李树村", chat.LastTextTo("wm_guess"));
    }

    [Fact]
    public async Task Progress_ShouldListOnlyTheSendersOwnReports_WhenSeveralPeopleReported()
    {
        var (f, chat) = Start();
        using var _ = f;
        await Say(chat, "wm_liu", OneShot(TestRoster.IdUnknown, "刘一", "13800009999"));
        await Say(chat, "wm_liu", "确认");
        await Say(chat, "wm_li", OneShot(TestRoster.IdLi, "李小花", "13800000002"));
        await Say(chat, "wm_li", "确认");
        // A probe with 李小花's ID and a wrong name files its own, unlinked case: it must not see hers.
        await Say(chat, "wm_probe", OneShot(TestRoster.IdLi, "李大花", "13800000002"));
        await Say(chat, "wm_probe", "确认");

        await Say(chat, "wm_liu", "进度");
        Assert.Contains("YL-2026-000001", chat.LastTextTo("wm_liu"));
        Assert.DoesNotContain("YL-2026-000002", chat.LastTextTo("wm_liu"));
        await Say(chat, "wm_li", "进度");
        Assert.Contains("YL-2026-000002", chat.LastTextTo("wm_li"));
        Assert.DoesNotContain("YL-2026-000001", chat.LastTextTo("wm_li"));
        Assert.DoesNotContain("YL-2026-000003", chat.LastTextTo("wm_li"));
        await Say(chat, "wm_probe", "进度");
        Assert.Contains("YL-2026-000003", chat.LastTextTo("wm_probe"));
        Assert.DoesNotContain("YL-2026-000002", chat.LastTextTo("wm_probe"));
        await Say(chat, "wm_nobody", "进度");
        Assert.Contains("还没有申报过", chat.LastTextTo("wm_nobody"));
        // The same sender id on the app channel is another person: it sees nothing of the 微信客服 sender's reports.
        await chat.SendAsync("wm_liu", "进度");
        Assert.Contains("还没有申报过", chat.LastTextTo("wm_liu"));
    }
}
