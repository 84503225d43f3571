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
        Assert.Equal(StageKind.Tracking, c.CurrentStage!.Kind);
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
}
