using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;

namespace RapidResponse.Bot.Tests.Cases;

/// <summary>The 丰都 five-step profile's steps over the encrypted callback, each answered at its deadline, one tick before and one after.</summary>
public sealed class FengduStepsTests
{
    private static readonly DateTimeOffset Monday = new(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));

    private static (BotFactory F, HttpClient Http) Start()
    {
        var f = new BotFactory(Monday).WithWeCom();
        f.Settings["Timeline:Profile"] = "fengdu";
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        return (f, http);
    }

    public static TheoryData<StageKind, int, string, long> Steps()
    {
        var d = new TheoryData<StageKind, int, string, long>();
        (StageKind Kind, int Wd, string Key)[] steps =
        [
            (StageKind.SeriousRiskReport, 3, CardKeys.Reported),       // 第二步: 3个工作日内将调查情况告知县乡村振兴局
            (StageKind.HouseholdCheck, 1, CardKeys.Qualifies),         // 第二步: 1天内开展入户现场核实
            (StageKind.AssistanceStart, 5, CardKeys.StartAssistance),  // 第三步: 5个工作日内……制定帮扶方案
            (StageKind.Implementation, 5, CardKeys.Implemented),       // 第三步: 原则上在5个工作日落实 / 5个工作日内备齐相关资料上报
        ];
        foreach (var (kind, wd, key) in steps)
            foreach (var offset in new long[] { -1, 0, 1 })
                d.Add(kind, wd, key, offset);
        return d;
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task Step_ShouldBeOnTimeAtItsDeadlineAndLateOneTickAfter_FD五步(StageKind kind, int workingDays, string key, long ticks)
    {
        var (f, http) = Start();
        using var _ = f;
        var number = await CaseWalker.OpenAtAsync(f, kind, severity: Severity.Serious);
        var c = await CaseWalker.LoadAsync(f, number);
        var stage = c.CurrentStage!;
        var due = ChinaTime.EndOfDay(f.Services.GetRequiredService<WorkingCalendar>().AddWorkingDays(new DateOnly(2026, 10, 12), workingDays));
        Assert.Equal(due, stage.DueAt);

        f.Time.SetUtcNow(due.AddTicks(ticks));
        var holder = stage.Assignments.First(a => a.IsOpen).AssigneeId;
        var user = new WeComUser(f, http, holder);
        await user.ClickAsync(await CaseWalker.TaskOfAsync(f, number, holder), key);
        if (TaskActions.NeedsNote(key)) await user.SayAsync("落实医疗救助，安排公益性岗位");

        var done = (await CaseWalker.LoadAsync(f, number)).Stages.Single(s => s.Id == stage.Id);
        Assert.NotNull(done.CompletedAt);
        Assert.Equal(ticks > 0, done.CompletedLate);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    public async Task DepartmentReply_ShouldBeDueFiveWorkingDaysAfterTheReferral_FD第三步(long ticks)
    {
        // “应由县级行业部门审批的，由乡镇（街道）在5个工作日内备齐相关资料并按照程序上报……县级行业部门在收到申报材料后，原则上在5个工作日作出结论性答复”.
        var (f, http) = Start();
        using var _ = f;
        var number = await CaseWalker.OpenAtAsync(f, StageKind.Implementation);
        var township = new WeComUser(f, http, "to_a");
        var referredAt = new DateTimeOffset(2026, 10, 14, 15, 0, 0, TimeSpan.FromHours(8));   // Wednesday
        f.Time.SetUtcNow(referredAt);
        Assert.Null(await township.ClickAsync(await CaseWalker.TaskOfAsync(f, number, "to_a"), CardKeys.ReferDepartment));   // no passive reply: the card keeps its buttons, the chat says why
        await township.SayAsync("临时救助申请，材料已备齐报县民政局");
        var c = await CaseWalker.LoadAsync(f, number);
        var reply = c.CurrentStage!;
        Assert.Equal(StageKind.DepartmentReply, reply.Kind);
        var due = ChinaTime.EndOfDay(new DateOnly(2026, 10, 21));   // 10-15, 16, 19, 20, 21
        Assert.Equal(due, reply.DueAt);
        Assert.All(reply.Assignments, a => Assert.Equal(AssigneeKind.Department, a.AssigneeKind));

        f.Time.SetUtcNow(due.AddTicks(ticks));
        foreach (var dept in reply.Assignments.Select(a => a.AssigneeId).ToList())
        {
            var officer = new WeComUser(f, http, dept switch { "WJ" => "d_wj", "YB" => "d_yb", "MZ" => "d_mz", _ => "d_jt" });
            await officer.ClickAsync(await CaseWalker.TaskOfAsync(f, number, dept), CardKeys.DepartmentReply);
            await officer.SayAsync("符合临时救助条件，已批准3000元");
        }
        c = await CaseWalker.LoadAsync(f, number);
        var done = c.Stages.Single(s => s.Id == reply.Id);
        Assert.NotNull(done.CompletedAt);
        Assert.Equal(ticks > 0, done.CompletedLate);
        Assert.Equal(StageKind.ProblemClearance, c.CurrentStage!.Kind);   // then the problem's 销号 (第五步), then tracking
    }

    [Fact]
    public async Task PlanDeferral_ShouldNotGoPastTwentyWorkingDaysFromIdentification_FD第三步()
    {
        // “监测对象识别后20个工作日内，其帮扶措施必须录入”: identified Monday 10-12, so the plan is due by the end of 11-09 at the latest.
        var (f, http) = Start();
        using var _ = f;
        var chat = new ChatDriver(f);
        var number = await CaseWalker.OpenAtAsync(f, StageKind.AssistanceStart);
        var township = new WeComUser(f, http, "to_a");
        var county = new WeComUser(f, http, "co_1");

        await township.SayAsync($"延期 {number} 20 需等县医保局政策答复");   // due 10-19 + 20 working days = 11-16
        Assert.Equal("未同意", await county.ClickAsync(chat.CardsTo("co_1").Last().TaskId, "approve_deferral"));
        Assert.Contains("监测对象识别后20个工作日内帮扶措施必须录入，最迟2026-11-09 23:59", chat.LastTextTo("co_1"));
        var stage = (await CaseWalker.LoadAsync(f, number)).CurrentStage!;
        Assert.Equal((ChinaTime.EndOfDay(new DateOnly(2026, 10, 19)), 0), (stage.DueAt!.Value, stage.Deferrals));

        // The same request is still open: the county may decline it; a shorter one within the limit is approved.
        Assert.Equal("已不同意", await county.ClickAsync(chat.CardsTo("co_1").Last().TaskId, "decline_deferral"));
        await township.SayAsync($"延期 {number} 15 需等县医保局政策答复");   // → 11-09, exactly the limit
        Assert.Equal("已同意延期", await county.ClickAsync(chat.CardsTo("co_1").Last().TaskId, "approve_deferral"));
        stage = (await CaseWalker.LoadAsync(f, number)).CurrentStage!;
        Assert.Equal(ChinaTime.EndOfDay(new DateOnly(2026, 11, 9)), stage.DueAt);
    }

    [Fact]
    public async Task SeriousRiskReport_ShouldOnlyBeAStepOfASeriousCase_FD第二步()
    {
        // “若遇比较严重的个体性风险和规模性风险……在3个工作日内将调查情况告知县乡村振兴局”: Severity drives the step.
        var (f, _) = Start();
        using var __ = f;
        var general = await CaseWalker.LoadAsync(f, await CaseWalker.OpenAtAsync(f, StageKind.HouseholdCheck, severity: Severity.General));
        Assert.Equal([StageKind.Intake, StageKind.HouseholdCheck], general.Stages.OrderBy(s => s.Sequence).Select(s => s.Kind));
        var serious = await CaseWalker.LoadAsync(f, await CaseWalker.OpenAtAsync(f, StageKind.HouseholdCheck, householdNo: "H-A1-002", severity: Severity.Serious));
        Assert.Equal([StageKind.Intake, StageKind.SeriousRiskReport, StageKind.HouseholdCheck], serious.Stages.OrderBy(s => s.Sequence).Select(s => s.Kind));
        Assert.Equal("to_a", serious.Stages.Single(s => s.Kind == StageKind.SeriousRiskReport).Assignments.Single().AssigneeId);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    public async Task CountyForward_ShouldBeTheCountysOwnStepDueInOneWorkingDay_ForADepartmentList_FD第二步(long ticks)
    {
        // FD-5 “对县级通过系统信息比对或信访、舆情及市级反馈等渠道发现的各类预警信息，县乡村振兴局必须在1天内以清单化方式向相关乡镇（街道）反馈；
        // 接收到反馈信息后，乡镇（街道）……在１天内开展入户现场核实”: a department's list, imported on Friday 10-16, is the county
        // office's to send on by the end of Monday 10-19 (1 day read as a working day, as FD-6); the village's grid summary does not apply.
        var friday = new DateTimeOffset(2026, 10, 16, 15, 0, 0, TimeSpan.FromHours(8));
        var (f, http) = Start();
        using var _ = f;
        f.Time.SetUtcNow(friday);
        var csv = $"department_code,id_number,household_no,warning_type,date,note\nYB,{TestRoster.IdZhang},,自付医疗费超标,2026-10-15,住院自付3.2万元\n";
        var import = await f.AdminClient().PostAsync("/api/import/department-list", new System.Net.Http.StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(System.Net.HttpStatusCode.OK, import.StatusCode);
        var number = "FD-2026-000001";
        var c = await CaseWalker.LoadAsync(f, number);
        var forward = Assert.Single(c.Stages);
        Assert.Equal((StageKind.CountyForward, CaseState.CountyForward), (forward.Kind, c.State));
        Assert.Equal("co_1", forward.Assignments.Single().AssigneeId);
        var due = ChinaTime.EndOfDay(new DateOnly(2026, 10, 19));
        Assert.Equal(due, forward.DueAt);
        Assert.Contains(forward.Steps, s => s.Kind == LadderStepKind.Overdue1);
        var chat = new ChatDriver(f);
        var card = Assert.Single(chat.CardsTo("co_1"));
        Assert.StartsWith("县级清单反馈乡镇任务", card.Title);
        Assert.Equal(["已反馈乡镇", "申请延期"], card.Buttons.Select(b => b.Text));
        Assert.Empty(chat.CardsTo("vc_a1"));   // nothing for the village before the county has sent the list on

        f.Time.SetUtcNow(due.AddTicks(ticks));
        Assert.Equal("已反馈乡镇", await new WeComUser(f, http, "co_1").ClickAsync(card.TaskId, CardKeys.Forward));
        c = await CaseWalker.LoadAsync(f, number);
        Assert.Equal(ticks > 0, c.Stages.Single(s => s.Id == forward.Id).CompletedLate);
        // Then the two-person check, due one working day after the list reached the township.
        var check = c.CurrentStage!;
        Assert.Equal(StageKind.HouseholdCheck, check.Kind);
        Assert.Equal(ChinaTime.EndOfDay(new DateOnly(2026, 10, ticks > 0 ? 21 : 20)), check.DueAt);
        Assert.Equal([StageKind.CountyForward, StageKind.HouseholdCheck], c.Stages.OrderBy(s => s.Sequence).Select(s => s.Kind));
    }

    [Fact]
    public async Task CountyForward_ShouldNotBeAStepOfAVillagesOwnCase_FD第二步()
    {
        // FD-5 is for the county's own channels only; a farmer's report or a cadre's alert starts at the village's grid summary (FD-1).
        var (f, _) = Start();
        using var __ = f;
        var own = await CaseWalker.LoadAsync(f, await CaseWalker.OpenAtAsync(f, StageKind.HouseholdCheck));
        Assert.Equal([StageKind.Intake, StageKind.HouseholdCheck], own.Stages.OrderBy(s => s.Sequence).Select(s => s.Kind));
    }
}
