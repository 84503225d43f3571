using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Bulletins;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Bot.Tests.Cases;

/// <summary>
/// Risk elimination (风险消除) end to end over the encrypted callback: proposal from the tracking card or the 消除 command inside the
/// profile's window, the household's consent, the township's review and the county's confirmation, then the case closes,
/// tracking stops, the bulletin counts it and the farmer is told.
/// </summary>
public sealed class RiskEliminationTests
{
    private static DateTimeOffset Bj(int y, int mo, int d, int h = 10, int mi = 0) => new(y, mo, d, h, mi, 0, TimeSpan.FromHours(8));

    private static (BotFactory F, HttpClient Http, ChatDriver Chat) Start(DateTimeOffset now, string profile = "yunlong", bool noLabour = false)
    {
        var f = new BotFactory(now).WithWeCom();
        f.Settings["Timeline:Profile"] = profile;
        var http = f.CreateClient();
        using (var db = f.NewDb())
        {
            TestRoster.Seed(db);
            if (noLabour) { db.Households.Single(h => h.HouseholdNo == "H-A1-001").NoLabourCapacity = true; db.SaveChanges(); }
        }
        return (f, http, new ChatDriver(f));
    }

    private static string Card(ChatDriver chat, string user, string title) =>
        chat.CardsTo(user).Last(c => c.Title.StartsWith(title, StringComparison.Ordinal)).TaskId;

    /// <summary>Clicks <paramref name="key"/> on the open card of the case's current stage as its (first) holder; returns the passive reply label.</summary>
    private static async Task<string?> ClickCurrentAsync(BotFactory f, HttpClient http, string number, string key)
    {
        var stage = (await CaseWalker.LoadAsync(f, number)).CurrentStage!;
        var holder = stage.Assignments.First(a => a.IsOpen).AssigneeId;
        return await new WeComUser(f, http, holder).ClickAsync(await CaseWalker.TaskOfAsync(f, number, holder), key);
    }

    [Fact]
    public async Task RiskElimination_ShouldBeRefusedOutsideTheQuarterFirstMonthAndPassAppraisalAndBothNoticesInIt_YL预警机制二九()
    {
        // 云龙 预警机制 二(九): 每季度首月……形成拟标注风险消除对象名单,经民主评议、逐级审定等环节,并告知农户知情同意后,在全国防返贫监测信息系统中
        // 标注“风险消除” — 民主评议 and 逐级审定 as in 二(七)(八): the village's appraisal, its 5-day notice, the township's review and
        // 5-day notice, the county's confirmation.
        var (f, http, chat) = Start(Bj(2026, 9, 15));
        using var _ = f;
        var number = await CaseWalker.OpenAtAsync(f, StageKind.Tracking);
        var contact = new WeComUser(f, http, "vc_a1");
        var tracking = Card(chat, "vc_a1", "跟踪帮扶");
        Assert.Contains(chat.CardsTo("vc_a1").Last().Buttons, b => b.Key == "propose_elimination");

        // September is no quarter's first month: refused at the click, and by the command, with the next window.
        Assert.Null(await contact.ClickAsync(tracking, "propose_elimination"));   // no passive reply: the card keeps its buttons, the chat says why
        Assert.Contains("每季度首月（1、4、7、10月）集中办理", chat.LastTextTo("vc_a1"));
        Assert.Contains("下一次从2026年10月1日开始", chat.LastTextTo("vc_a1"));
        await contact.SayAsync($"消除 {number} 收入稳定超过监测标准 知情同意：户主张大山 当面签字确认");
        Assert.Contains("不在办理时间内", chat.LastTextTo("vc_a1"));
        Assert.Null((await CaseWalker.LoadAsync(f, number)).EliminationProposedAt);

        // October (after National Day): accepted. The grounds, then the consent, asked in chat.
        f.Time.SetUtcNow(Bj(2026, 10, 8));
        Assert.Null(await contact.ClickAsync(tracking, "propose_elimination"));   // no passive reply: the card keeps its buttons, the chat says why
        await contact.SayAsync("务工收入稳定超过监测标准，医疗支出已解决");
        Assert.Contains("农户对风险消除的知情同意", chat.LastTextTo("vc_a1"));
        await contact.SayAsync("同意");
        Assert.Contains("没有看懂知情同意的情况", chat.LastTextTo("vc_a1"));
        await contact.SayAsync("户主张大山 10月8日 当面签字确认");
        Assert.Contains("风险消除申请已提交", chat.LastTextTo("vc_a1"));
        Assert.Contains("下一步“风险消除民主评议”已派发，期限10月31日（星期六）24时前", chat.LastTextTo("vc_a1"));

        var c = await CaseWalker.LoadAsync(f, number);
        Assert.Equal(CaseState.EliminationAppraisal, c.State);
        Assert.Equal(("户主张大山", Bj(2026, 10, 8), "当面签字确认"), (c.ConsentBy, c.ConsentAt!.Value, c.ConsentHow));
        Assert.Equal("务工收入稳定超过监测标准，医疗支出已解决", c.EliminationReason);
        Assert.False(string.IsNullOrEmpty(c.Audit.Single(a => a.Action == "elimination.consent").SourceMessageId));
        Assert.DoesNotContain(c.Stages, s => s.Kind == StageKind.Tracking && s.IsOpen);
        // The appraisal is the village's, due by the month's end, with the profile's ladder (nags, then the overdue levels).
        var appraisal = c.CurrentStage!;
        Assert.Equal(ChinaTime.EndOfDay(new DateOnly(2026, 10, 31)), appraisal.DueAt);
        Assert.Contains(appraisal.Steps, s => s.Kind == LadderStepKind.Overdue1);
        var appraisalCard = chat.CardsTo(appraisal.Assignments[0].AssigneeId).Last();
        Assert.StartsWith("风险消除民主评议任务", appraisalCard.Title);
        Assert.Contains(appraisalCard.Fields, x => x.Label == "知情同意" && x.Value.Contains("张大山") && x.Value.Contains("当面签字确认"));
        Assert.Equal(["评议通过", "评议不通过", "申请延期"], appraisalCard.Buttons.Select(b => b.Text));

        f.Time.SetUtcNow(Bj(2026, 10, 9));
        Assert.Equal("评议通过", await ClickCurrentAsync(f, http, number, "approve_elimination"));
        // The village's notice: five calendar days after the posting day (10-10 … 10-14); not passed on one tick before its end.
        var villageNotice = (await CaseWalker.LoadAsync(f, number)).CurrentStage!;
        Assert.Equal((StageKind.EliminationVillageNotice, (DateTimeOffset?)null), (villageNotice.Kind, villageNotice.DueAt));
        var villageEnds = ChinaTime.EndOfDay(new DateOnly(2026, 10, 14));
        Assert.Contains(villageNotice.Steps, s => s.Kind == LadderStepKind.NoticeEnded);
        f.Time.SetUtcNow(villageEnds.AddTicks(-1));
        Assert.Null(await ClickCurrentAsync(f, http, number, "approve_elimination"));
        Assert.Contains("“风险消除村级公示”公示期未满：公示到2026-10-14 23:59结束", chat.LastTextTo(villageNotice.Assignments[0].AssigneeId));
        Assert.Equal(StageKind.EliminationVillageNotice, (await CaseWalker.LoadAsync(f, number)).CurrentStage!.Kind);
        f.Time.SetUtcNow(villageEnds);
        Assert.Equal("公示期满，已上报乡镇", await ClickCurrentAsync(f, http, number, "approve_elimination"));

        // The township reviews and posts its own notice (started at 10-14, so to the end of 10-19); its card carries the grounds.
        var review = chat.CardsTo("to_a").Last();
        Assert.StartsWith("风险消除乡镇审定公示任务", review.Title);
        Assert.Contains(review.Fields, x => x.Label == "消除依据" && x.Value.Contains("务工收入稳定"));
        Assert.Contains(review.Fields, x => x.Label == "公示期" && x.Value.Contains("10月19日"));
        f.Time.SetUtcNow(ChinaTime.EndOfDay(new DateOnly(2026, 10, 19)).AddTicks(-1));
        Assert.Null(await new WeComUser(f, http, "to_a").ClickAsync(review.TaskId, "approve_elimination"));
        Assert.Contains("公示期未满", chat.LastTextTo("to_a"));
        f.Time.SetUtcNow(Bj(2026, 10, 20, 9));
        Assert.Equal("审定通过，公示期满，已报县级", await new WeComUser(f, http, "to_a").ClickAsync(review.TaskId, "approve_elimination"));
        Assert.DoesNotContain("风险已消除", chat.LastTextTo("villager_zhang"));   // not before the county's confirmation
        var confirmation = (await CaseWalker.LoadAsync(f, number)).CurrentStage!;
        Assert.Equal((StageKind.EliminationConfirmation, ChinaTime.EndOfDay(new DateOnly(2026, 10, 31))), (confirmation.Kind, confirmation.DueAt!.Value));
        f.Time.SetUtcNow(Bj(2026, 10, 21));
        Assert.Equal("已同意风险消除", await new WeComUser(f, http, "co_1").ClickAsync(Card(chat, "co_1", "风险消除县级确认"), "approve_elimination"));

        c = await CaseWalker.LoadAsync(f, number);
        Assert.Equal((CaseState.Closed, CaseOutcome.RiskEliminated, Bj(2026, 10, 21)), (c.State, c.Outcome, c.RiskEliminatedAt!.Value));
        Assert.Equal([StageKind.EliminationAppraisal, StageKind.EliminationVillageNotice, StageKind.EliminationReview, StageKind.EliminationConfirmation],
            c.Stages.OrderBy(s => s.Sequence).Select(s => s.Kind).SkipWhile(k => k != StageKind.EliminationAppraisal));
        // Tracking stops: no open stage, no pending nag or escalation.
        Assert.All(c.Stages, s => Assert.False(s.IsOpen));
        Assert.All(c.Stages.SelectMany(s => s.Steps), s => Assert.NotNull(s.DoneAt));
        Assert.Contains("已经消除，监测帮扶到此结束", chat.LastTextTo("villager_zhang"));

        // The monthly bulletin counts it for the township.
        using var scope = f.Services.CreateScope();
        var figures = await new MonthlyBulletinQuery(scope.ServiceProvider.GetRequiredService<Domain.Persistence.BotDb>(),
            scope.ServiceProvider.GetRequiredService<WorkingCalendar>(), ProfileLoader.Load("yunlong")).ComputeAsync(MonthPeriod.Parse("2026-10"));
        Assert.Equal(1, figures.Townships.Single(t => t.Code == TestRoster.TownA).RiskEliminated);
    }

    [Fact]
    public async Task RiskElimination_ShouldGoBackToTracking_WhenTheVillageNoticeMeetsAnObjection_YL预警机制二九()
    {
        var (f, http, chat) = Start(Bj(2026, 10, 13));
        using var _ = f;
        var number = await CaseWalker.OpenAtAsync(f, StageKind.Tracking);
        await new WeComUser(f, http, "vc_a1").SayAsync($"消除 {number} 收入稳定超过监测标准 知情同意：户主张大山 10月12日 电话确认");
        Assert.Equal("评议通过", await ClickCurrentAsync(f, http, number, "approve_elimination"));
        var holder = (await CaseWalker.LoadAsync(f, number)).CurrentStage!.Assignments[0].AssigneeId;
        var village = new WeComUser(f, http, holder);
        f.Time.SetUtcNow(Bj(2026, 10, 16));
        Assert.Null(await village.ClickAsync(await CaseWalker.TaskOfAsync(f, number, holder), "decline_elimination"));   // asks for the reason
        await village.SayAsync("公示期间有村民反映其务工收入只稳定了两个月");

        var c = await CaseWalker.LoadAsync(f, number);
        Assert.Equal((CaseState.Tracking, CaseOutcome.None), (c.State, c.Outcome));
        Assert.Equal(Bj(2026, 10, 12, 0), c.ConsentAt);
        Assert.Null(c.EliminationProposedAt);
        Assert.Contains(c.Audit, a => a.Action == "elimination.declined" && a.Detail.StartsWith("风险消除村级公示") && a.Detail.Contains("两个月"));

        // The township reviews and the county confirms; neither proposes (云龙 预警机制 二(九) 由乡村两级负责).
        await new WeComUser(f, http, "to_a").SayAsync($"消除 {number} 收入稳定 知情同意：户主张大山 当面签字确认");
        Assert.Contains("风险消除由帮扶联系人或村里提出", chat.LastTextTo("to_a"));
        Assert.StartsWith("跟踪帮扶任务", chat.CardsTo("vc_a1").Last().Title);   // tracking resumes with a new visit card
    }

    [Fact]
    public async Task RiskElimination_ShouldGoBackToTracking_WhenTheCountyDeclinesWithAReason_FD第五步()
    {
        // 丰都 第五步 “每月末按程序进行风险消除操作” names no 评议 or 公示: the township reviews, the county confirms or declines.
        var (f, http, chat) = Start(Bj(2026, 10, 28), profile: "fengdu");
        using var _ = f;
        var number = await CaseWalker.OpenAtAsync(f, StageKind.Tracking);
        await new WeComUser(f, http, "vc_a1").SayAsync($"消除 {number} 收入稳定超过监测标准 知情同意：户主张大山 10月27日 电话确认");
        Assert.Equal(CaseState.EliminationReview, (await CaseWalker.LoadAsync(f, number)).State);
        Assert.Equal("已同意风险消除", await new WeComUser(f, http, "to_a").ClickAsync(Card(chat, "to_a", "风险消除乡镇审核"), "approve_elimination"));
        var county = new WeComUser(f, http, "co_1");
        Assert.Null(await county.ClickAsync(Card(chat, "co_1", "风险消除县级确认"), "decline_elimination"));   // no passive reply: the card keeps its buttons, the chat says why
        await county.SayAsync("务工收入只稳定了两个月，继续帮扶");

        var c = await CaseWalker.LoadAsync(f, number);
        Assert.Equal((CaseState.Tracking, CaseOutcome.None), (c.State, c.Outcome));
        Assert.Null(c.EliminationProposedAt);
        Assert.Contains(c.Audit, a => a.Action == "elimination.declined" && a.Detail.Contains("两个月"));
        Assert.StartsWith("跟踪核查任务", chat.CardsTo("vc_a1").Last().Title);   // 丰都 calls tracking 跟踪核查
    }

    [Fact]
    public async Task RiskElimination_ShouldBeRefusedWithTheReason_WhenTheHouseholdHasNoLabourCapacity_FD第五步()
    {
        // 丰都 第五步: 对整户丧失劳动能力的（含正在享受农村低保或特困人员救助供养的监测对象），暂不消除风险，长期跟踪监测.
        var (f, http, chat) = Start(Bj(2026, 10, 13), noLabour: true);
        using var _ = f;
        var number = await CaseWalker.OpenAtAsync(f, StageKind.Tracking);
        var card = chat.CardsTo("vc_a1").Last();
        Assert.Contains(card.Fields, x => x.Label == "劳动能力" && x.Value.Contains("暂不消除风险"));
        var contact = new WeComUser(f, http, "vc_a1");
        Assert.Null(await contact.ClickAsync(card.TaskId, "propose_elimination"));   // no passive reply: the card keeps its buttons, the chat says why
        Assert.Contains("整户丧失劳动能力", chat.LastTextTo("vc_a1"));
        Assert.Contains("继续长期跟踪监测", chat.LastTextTo("vc_a1"));
        await contact.SayAsync($"消除 {number} 收入稳定 知情同意：户主张大山 当面签字确认");
        Assert.Contains("整户丧失劳动能力", chat.LastTextTo("vc_a1"));
        var c = await CaseWalker.LoadAsync(f, number);
        Assert.Equal(CaseState.Tracking, c.State);
        Assert.Null(c.EliminationProposedAt);
        Assert.True(c.CurrentStage!.IsOpen);
    }

    [Theory]
    // 丰都 第五步 每月末按程序进行风险消除操作: the profile's window is the month's last five days (10-27 … 10-31).
    [InlineData(-1, false)]
    [InlineData(0, true)]
    public async Task RiskElimination_ShouldOpenAtTheMonthEndWindow_WhenTheProfileIsFengdu_FD第五步(long ticksFromWindow, bool accepted)
    {
        var opens = new DateTimeOffset(2026, 10, 27, 0, 0, 0, TimeSpan.FromHours(8));
        var (f, http, chat) = Start(opens.AddTicks(ticksFromWindow), profile: "fengdu");
        using var _ = f;
        var number = await CaseWalker.OpenAtAsync(f, StageKind.Tracking);
        Assert.StartsWith("FD-", number);
        await new WeComUser(f, http, "vc_a1").SayAsync($"消除 {number} 收入稳定超过监测标准 知情同意：户主张大山 当面签字确认");
        var c = await CaseWalker.LoadAsync(f, number);
        if (accepted)
        {
            Assert.Equal(CaseState.EliminationReview, c.State);
            Assert.Equal(ChinaTime.EndOfDay(new DateOnly(2026, 10, 31)), c.CurrentStage!.DueAt);
        }
        else
        {
            Assert.Equal(CaseState.Tracking, c.State);
            Assert.Contains("每月最后5天集中办理", chat.LastTextTo("vc_a1"));
        }
    }
}
