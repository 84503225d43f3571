using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Scoring;

namespace RapidResponse.Bot.Tests.Policy;

/// <summary>
/// 方城 二(二)1 紧急事件及时报送 and 附件3 ① (48小时内): 急报 in chat with the event time; the clock is 48 hours from the event.
/// The bot's clock is Monday 2026-10-12 09:00.
/// </summary>
public sealed class EmergencyReportTests
{
    [Fact]
    public async Task FC二二1_EmergencyReport_ShouldBeOnTimeAt47And48Hours_AndLateWithAPendingItemAt49()
    {
        using var f = new BotFactory().WithWeCom();
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var chat = new ChatDriver(f);
        var jt = new WeComUser(f, http, "d_jt");

        await jt.SayAsync("急报 10月10日10:00 河湾村学生家中失火，住房受损，一家3口暂住邻居家");   // 47 h
        Assert.Contains("在48小时报告时限内", chat.LastTextTo("d_jt"));
        Assert.Contains("【紧急事件报告】县教体局（杨教体）", chat.LastTextTo("co_1"));
        await jt.SayAsync("急报 10月10日9:00 李树村学生突发重病住院，家庭无力承担费用");      // exactly 48 h
        Assert.Contains("在48小时报告时限内", chat.LastTextTo("d_jt"));
        using (var db = f.NewDb()) Assert.Empty(await db.ScoreEvents.ToListAsync());

        await jt.SayAsync("急报 10月10日8:00 桃园村学生家庭因暴雨房屋倒塌");                  // 49 h
        Assert.Contains("已超过48小时报告时限", chat.LastTextTo("d_jt"));
        Assert.Contains("扣3分（待核实", chat.LastTextTo("d_jt"));
        Assert.Contains("超过48小时时限", chat.LastTextTo("co_1"));
        using (var db = f.NewDb())
        {
            var item = Assert.Single(await db.ScoreEvents.ToListAsync());
            Assert.Equal(("JT", "D1b", -3, ScoreStatus.Pending, "2026-Q4"), (item.DepartmentCode, item.RuleCode, item.Points, item.Status, item.Quarter));
            Assert.Equal([false, false, true], await db.EmergencyReports.OrderBy(r => r.Id).Select(r => r.Late).ToListAsync());
            Assert.Equal(3, await db.AuditEvents.CountAsync(a => a.Action == "emergency.reported" && a.Actor == "d_jt"));
        }
        // The 佐证核实 card of the late report: the department confirms it (属实) and it counts.
        var card = Assert.Single(chat.CardsTo("d_jt"), c => c.TaskId.StartsWith(ScoreVerification.TaskPrefix));
        Assert.Equal("已确认属实", await jt.ClickAsync(card.TaskId, ScoreVerification.ConfirmKey));
        using (var db = f.NewDb())
        {
            var item = Assert.Single(await db.ScoreEvents.ToListAsync());
            Assert.Equal((ScoreStatus.Verified, "department"), (item.Status, item.VerifiedHow));
            Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "score.confirmed" && a.Actor == "d_jt"));
        }
    }

    [Fact]
    public async Task FC二二1_EmergencyReport_ShouldExplainTheFormat_WhenTheTimeIsMissingOrInTheFuture_AndRefuseVillages()
    {
        using var f = new BotFactory().WithWeCom();
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var chat = new ChatDriver(f);
        var to = new WeComUser(f, http, "to_a");
        await to.SayAsync("急报 房子塌了");
        Assert.Contains("没有读出事件发生的时间", chat.LastTextTo("to_a"));
        Assert.Contains("例如：急报 11月2日14:30", chat.LastTextTo("to_a"));
        await to.SayAsync("急报 今天18:00 桃园村山体滑坡");
        Assert.Contains("晚于现在", chat.LastTextTo("to_a"));
        // A township reports too: on time, and no score item (附件3 scores departments).
        await to.SayAsync("急报 昨天20点 桃园村山体滑坡，2户房屋受损");
        Assert.Contains("在48小时报告时限内", chat.LastTextTo("to_a"));
        await new WeComUser(f, http, "gm_a1").SayAsync("急报 今天8:00 村里有户房子漏雨");
        Assert.Contains("请发“预警”上报", chat.LastTextTo("gm_a1"));
        using var db2 = f.NewDb();
        var r = Assert.Single(await db2.EmergencyReports.ToListAsync());
        Assert.Equal(("township", TestRoster.TownA, false), (r.UnitKind, r.UnitCode, r.Late));
        Assert.Empty(await db2.ScoreEvents.ToListAsync());
    }
}
