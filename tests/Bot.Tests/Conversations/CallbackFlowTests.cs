using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Cases;

namespace RapidResponse.Bot.Tests.Conversations;

/// <summary>Whole flows driven through the real, encrypted /wecom/callback endpoint; outbound messages read from the outbox.</summary>
public sealed class CallbackFlowTests
{
    private static (BotFactory F, HttpClient Http, ChatDriver Chat) Start()
    {
        var f = new BotFactory().WithWeCom();
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        return (f, http, new ChatDriver(f));
    }

    private static string TaskFor(ChatDriver chat, string user, string titleStart) =>
        chat.CardsTo(user).Last(c => c.Title.StartsWith(titleStart, StringComparison.Ordinal)).TaskId;

    [Fact]
    public async Task FarmerFlow_ShouldReachDecisionAndTellFarmerTheReason_WhenEveryoneClicksTheirCards()
    {
        var (f, http, chat) = Start();
        using var _ = f;
        // 李小花's household (on the roster, no contact person): she proves it with her name and phone, so she hears the reason.
        var farmer = new WeComUser(f, http, "villager_li");
        await farmer.SayAsync("申报");
        await farmer.SayAsync("110101199003077775"); // wrong check digit
        Assert.Contains("校验位", chat.TextsTo(farmer.UserId)[^2]);
        Assert.Contains("身份证号", chat.LastTextTo(farmer.UserId));
        await farmer.SayAsync(TestRoster.IdLi);
        await farmer.SayAsync("李小花");
        await farmer.SayAsync("13800000002");
        Assert.Contains("已核对，是您家", chat.LastTextTo(farmer.UserId));
        await farmer.SayAsync("因病");
        await farmer.SayAsync("丈夫住院，自付医疗费三万元");
        await farmer.SayAsync("确认");
        var receipt = chat.LastTextTo(farmer.UserId);
        Assert.Contains("YL-2026-000001", receipt);
        Assert.Contains("2个工作日", receipt);
        // The receipt promises the 云龙 procedure as written: the two five-day notices, no invented limit for the county.
        Assert.Contains("- 民主评议：当月月底前\n- 村级公示：公示5天\n- 乡镇审定公示：公示5天\n- 县级确定\n- 启动帮扶：1个月内", receipt.Replace("\r", ""));

        // Intake card to the village's grid monitor; 受理 answers the clicker's card passively.
        var gm = new WeComUser(f, http, "gm_a1");
        Assert.Equal("已受理", await gm.ClickAsync(TaskFor(chat, "gm_a1", "受理"), "accept"));

        // Comparison cards to the departments matched to 因病 (卫健, 医保) and 民政, in parallel.
        foreach (var d in new[] { "d_wj", "d_mz" })
            Assert.Equal("已比对无异常", await new WeComUser(f, http, d).ClickAsync(TaskFor(chat, d, "信息比对"), "no_anomaly"));
        var yb = new WeComUser(f, http, "d_yb");
        // A button that needs words gets no passive reply: the card keeps its buttons until the words come.
        Assert.Null(await yb.ClickAsync(TaskFor(chat, "d_yb", "信息比对"), "problem"));
        await yb.SayAsync("2026年9月住院自付3.1万元");

        // Township forwards to the village; two village cadres get the check; the village's democratic appraisal finds otherwise.
        var township = new WeComUser(f, http, "to_a");
        Assert.Equal("已反馈到村", await township.ClickAsync(TaskFor(chat, "to_a", "反馈到村"), "forward"));
        Assert.Single(chat.CardsTo("vc_a1"), c => c.Title.StartsWith("入户核查", StringComparison.Ordinal));
        Assert.Equal("符合条件", await gm.ClickAsync(TaskFor(chat, "gm_a1", "入户核查"), "qualifies"));
        // 村里核查符合 is progress, not the decision (云龙 预警机制 二(七)(八): appraisal, notices and the county come first).
        Assert.Contains("村里入户核查符合条件。这还不是最后结果", chat.LastTextTo(farmer.UserId));
        Assert.Contains("民主评议", chat.LastTextTo(farmer.UserId));
        await gm.ClickAsync(TaskFor(chat, "gm_a1", "民主评议"), "not_qualifies");
        await gm.SayAsync("家庭年人均纯收入1.2万元，高于监测范围");

        Assert.Contains("理由：家庭年人均纯收入1.2万元", chat.LastTextTo(farmer.UserId));
        using var db = f.NewDb();
        var c = await db.Cases.Include(x => x.Stages).Include(x => x.Audit).SingleAsync();
        Assert.Equal(CaseState.Closed, c.State);
        Assert.Equal(CaseOutcome.NotQualified, c.Outcome);
        Assert.Equal([StageKind.Intake, StageKind.Comparison, StageKind.ForwardToVillage, StageKind.HouseholdCheck, StageKind.Appraisal],
            c.Stages.OrderBy(s => s.Sequence).Select(s => s.Kind));
        // Every click is audited with the message it came from.
        Assert.All(c.Audit.Where(a => a.Action == "task.completed"), a => Assert.False(string.IsNullOrEmpty(a.SourceMessageId)));

        await farmer.SayAsync("进度");
        Assert.Contains("不符合条件", chat.LastTextTo(farmer.UserId));
    }

    [Fact]
    public async Task OneShotReport_ShouldLinkRosterHousehold_WhenIdNumberIsOnRoster()
    {
        var (f, http, chat) = Start();
        using var _ = f;
        var farmer = new WeComUser(f, http, "villager_zhang");
        await farmer.SayAsync($"申报\n 身份证号： {TestRoster.IdZhang}\n户主姓名：张大山\n联系电话：138 0000 0001\n\n困难类型:因学、住房\n情况说明：房屋漏雨，孩子上学费用高");
        Assert.Contains("请核对", chat.LastTextTo(farmer.UserId));
        Assert.Contains("张大山", chat.LastTextTo(farmer.UserId));
        await farmer.SayAsync("确认");
        Assert.Contains("YL-2026-000001", chat.LastTextTo(farmer.UserId));
        using var db = f.NewDb();
        var c = await db.Cases.SingleAsync();
        Assert.NotNull(c.HouseholdId);
        Assert.True(c.ReporterVerified);
        Assert.Equal(["因学", "住房安全"], c.RiskTypes);
        // The household's contact person takes the intake (DESIGN routing: contact person first).
        Assert.Single(chat.CardsTo("vc_a1"));
    }

    [Fact]
    public async Task CadreAlert_ShouldStartSameDayHouseholdCheck_WhenCadreFilesFromVisit()
    {
        var (f, http, chat) = Start();
        using var _ = f;
        var cadre = new WeComUser(f, http, "vc_a1");
        await cadre.SayAsync("预警");
        await cadre.SayAsync("李小花 李树村");
        Assert.Contains("户编号H-A1-002", chat.LastTextTo("vc_a1"));
        Assert.DoesNotContain(TestRoster.IdLi, chat.LastTextTo("vc_a1"));
        await cadre.SayAsync("是");
        await cadre.SayAsync("1");
        await cadre.SayAsync("户主骑车摔伤住院，家中无其他劳动力");
        await cadre.SayAsync("严重");
        await cadre.SayAsync("确认");
        Assert.Contains("YL-2026-000001", chat.LastTextTo("vc_a1"));
        using var db = f.NewDb();
        var c = await db.Cases.Include(x => x.Stages).SingleAsync();
        var check = c.Stages.Single(s => s.CompletedAt == null);
        Assert.Equal(StageKind.HouseholdCheck, check.Kind);
        // Filed Monday 2026-10-12 09:00: due by the end of that same day.
        Assert.Equal(new DateTimeOffset(2026, 10, 13, 0, 0, 0, TimeSpan.FromHours(8)).AddTicks(-1), check.DueAt);
        Assert.True(c.ActiveScreening);
        Assert.Equal(Channel.CadreVisit, c.Channel);
    }

    [Fact]
    public async Task CardClick_ShouldActOnce_WhenDeliveredTwice()
    {
        var (f, http, chat) = Start();
        using var _ = f;
        var farmer = new WeComUser(f, http, "villager_liu");
        await farmer.SayAsync($"申报\n姓名：刘一\n身份证号：{TestRoster.IdUnknown}\n村：李树村\n困难类型：1\n情况说明：住院花费大\n联系电话：13800009999");
        await farmer.SayAsync("确认");
        var gm = new WeComUser(f, http, "gm_a1");
        var task = TaskFor(chat, "gm_a1", "受理");
        Assert.Equal("已受理", await gm.ClickAsync(task, "accept", "RC-same"));
        Assert.Null(await gm.ClickAsync(task, "accept", "RC-same")); // WeCom's redelivery: acknowledged, not acted on again
        using var db = f.NewDb();
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == "task.completed"));
        Assert.Equal(1, await db.Inbox.CountAsync(i => i.Kind == "CardClick"));
    }

    [Fact]
    public async Task GuidedForm_ShouldKeepAnswers_WhenHostRestartsMidForm()
    {
        var (f, http, chat) = Start();
        var farmer = new WeComUser(f, http, "villager_liu");
        await farmer.SayAsync("申报");
        await farmer.SayAsync(TestRoster.IdUnknown);
        await farmer.SayAsync("刘一");
        var dir = f.Directory;
        f.Dispose();

        using var f2 = new BotFactory(directory: dir).WithWeCom();
        var http2 = f2.CreateClient();
        var chat2 = new ChatDriver(f2);
        var again = new WeComUser(f2, http2, "villager_liu");
        await again.SayAsync("13800009999");
        await again.SayAsync("李树村");
        Assert.Contains("哪种困难", chat2.LastTextTo("villager_liu"));
        await again.SayAsync("返回");
        Assert.Contains("所在的村", chat2.LastTextTo("villager_liu"));
        await again.SayAsync("李树村");
        await again.SayAsync("1");
        await again.SayAsync("丈夫住院花费很大");
        Assert.Contains("刘一", chat2.LastTextTo("villager_liu"));
    }

    [Fact]
    public async Task SameCallback_ShouldHaveOneEffect_WhenDeliveredFourTimesConcurrently()
    {
        var (f, http, chat) = Start();
        using var _ = f;
        var farmer = new WeComUser(f, http, "villager_liu");
        var plain = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[villager_liu]]></FromUserName>"
                    + "<CreateTime>1790000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[申报]]></Content><MsgId>99887766</MsgId></xml>";
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => farmer.PostAsync(plain)));
        Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode));
        await chat.WaitIdleAsync();
        using var db = f.NewDb();
        Assert.Equal(1, await db.Inbox.CountAsync());
        Assert.Equal(1, await db.Conversations.CountAsync());
        Assert.Equal(2, chat.TextsTo("villager_liu").Count); // the start text and the first question, once
    }

    /// <summary>Waits until the outbox has delivered everything due (the dispatcher runs in the background).</summary>
    private static async Task DeliveredAsync(BotFactory f)
    {
        for (var i = 0; i < 200; i++)
        {
            using var db = f.NewDb();
            if (!await db.Outbox.AnyAsync(o => o.Status == RapidResponse.Domain.Messaging.OutboxStatus.Pending || o.Status == RapidResponse.Domain.Messaging.OutboxStatus.Sending)) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("outbox not drained");
    }

    [Fact]
    public async Task SameQuestionTwice_ShouldBeAnsweredTwice_WhenTheAnswerIsWordForWordTheSame()
    {
        // WeCom's duplicate check drops an identical app message within its interval: answers must not ask for it, or a
        // cadre asking "我的任务" again ten minutes later would get silence. Notifications and cards keep it (see above).
        var (f, http, _) = Start();
        using var __ = f;
        var gm = new WeComUser(f, http, "gm_a1");
        await gm.SayAsync("我的任务");
        f.Time.Advance(TimeSpan.FromMinutes(10));
        await gm.SayAsync("我的任务");
        await DeliveredAsync(f);
        var answers = f.WeComCalls("/cgi-bin/message/send").Where(b => b.GetProperty("touser").GetString() == "gm_a1").ToList();
        Assert.Equal(2, answers.Count);
        Assert.Equal(answers[0].GetProperty("text").GetProperty("content").GetString(), answers[1].GetProperty("text").GetProperty("content").GetString());
        Assert.All(answers, a => Assert.Equal(0, a.GetProperty("enable_duplicate_check").GetInt32()));
    }

    [Fact]
    public async Task OutboundCalls_ShouldReachWeComAsCardsAndCardUpdates_WhenCadresClick()
    {
        var (f, http, chat) = Start();
        using var _ = f;
        var farmer = new WeComUser(f, http, "villager_liu");
        await farmer.SayAsync($"申报\n姓名：刘一\n身份证号：{TestRoster.IdUnknown}\n村：李树村\n困难类型：因病\n情况说明：住院花费大\n联系电话：13800009999");
        await farmer.SayAsync("确认");
        await DeliveredAsync(f);
        var sends = f.WeComCalls("/cgi-bin/message/send");
        var card = sends.Single(b => b.GetProperty("msgtype").GetString() == "template_card" && b.GetProperty("touser").GetString() == "gm_a1");
        var tc = card.GetProperty("template_card");
        Assert.Equal("button_interaction", tc.GetProperty("card_type").GetString());
        Assert.Contains("受理", tc.GetProperty("button_list")[0].GetProperty("text").GetString());
        Assert.Equal(1, card.GetProperty("enable_duplicate_check").GetInt32());
        // The receipt went to the farmer as a text message; no full ID number left in any card.
        Assert.Contains(sends, b => b.GetProperty("touser").GetString() == "villager_liu" && b.GetProperty("text").GetProperty("content").GetString()!.Contains("YL-2026-000001"));
        Assert.DoesNotContain(sends, b => b.GetRawText().Contains(TestRoster.IdUnknown) && b.GetProperty("touser").GetString() != "villager_liu");

        // A department task held by two officers of 卫健 reaches both in one send with one task_id (WeCom refuses a task_id
        // sent twice, 42014); one clicks; both cards end on the final state with who did it, the clicker's included.
        using (var db = f.NewDb())
        {
            db.Staff.Add(new RapidResponse.Domain.Roster.Staff { UserId = "d_wj2", Name = "二号卫健", Role = RapidResponse.Domain.Roster.StaffRole.DepartmentOfficer, RegionCode = TestRoster.County, DepartmentCode = "WJ" });
            await db.SaveChangesAsync();
        }
        await new WeComUser(f, http, "gm_a1").ClickAsync(TaskFor(chat, "gm_a1", "受理"), "accept");
        await DeliveredAsync(f);
        var task = TaskFor(chat, "d_wj", "信息比对");
        Assert.Equal(task, TaskFor(chat, "d_wj2", "信息比对"));
        var cardSends = f.WeComCalls("/cgi-bin/message/send").Where(b => b.GetProperty("msgtype").GetString() == "template_card"
            && b.GetProperty("template_card").GetProperty("task_id").GetString() == task).ToList();
        Assert.Equal("d_wj|d_wj2", Assert.Single(cardSends).GetProperty("touser").GetString());
        Assert.Equal("已比对无异常", await new WeComUser(f, http, "d_wj").ClickAsync(task, "no_anomaly"));
        await DeliveredAsync(f);
        var sim = f.WeCom!.Simulator;
        foreach (var holder in new[] { "d_wj", "d_wj2" })
            Assert.Equal("已比对无异常（蒋卫健）", sim.CardOf(holder, task)!.ReplaceName);
        Assert.DoesNotContain(sim.Exchanges, e => e.Refused);
        using var check = f.NewDb();
        Assert.Equal(0, await check.Outbox.CountAsync(o => o.Status == RapidResponse.Domain.Messaging.OutboxStatus.Dead));
        Assert.True(await check.Assignments.AnyAsync(a => a.AssigneeId == "WJ" && a.CompletedAt != null));
    }
}
