using System.Text.RegularExpressions;
using RapidResponse.Domain.Cases;
using static RapidResponse.Domain.Tests.T;

namespace RapidResponse.Domain.Tests.Cases;

/// <summary>The case state machine on the yunlong and fengdu profiles, without a database.</summary>
public partial class CaseStateMachineTests
{
    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    private static Case NewCase(string at = "2026-03-02 09:00", bool active = false, string profile = "yunlong", string number = "YL-2026-000001") =>
        Case.Open(number, active ? Channel.CadreVisit : Channel.SelfReport, "V1", ["因病"], "户主住院，医疗支出大，电话13812345678",
            Severity.General, Cadre, Clock(at, Profile(profile)), active);

    private static CaseStage Start(Case c, StageKind kind, string at, string profile = "yunlong", params Assignee[] who) =>
        c.StartStage(kind, who.Length > 0 ? who : [Staff("gm1")], Township, Clock(at, Profile(profile)));

    private static void Done(Case c, CaseStage s, string at, TaskResult r = TaskResult.Done, string? note = null, int i = 0, string profile = "yunlong") =>
        c.CompleteTask(s.Assignments[i].TaskId, r, note, Township, Clock(at, Profile(profile)));

    /// <summary>A yunlong case driven up to (and including the start of) <paramref name="upTo"/>.</summary>
    private static Case At(StageKind upTo)
    {
        var c = NewCase();
        var s = Start(c, StageKind.Intake, "2026-03-02 09:05");
        if (upTo == StageKind.Intake) return c;
        Done(c, s, "2026-03-02 09:10");
        s = Start(c, StageKind.Comparison, "2026-03-02 09:15", "yunlong", Dept("WJ"), Dept("MZ"));
        if (upTo == StageKind.Comparison) return c;
        Done(c, s, "2026-03-02 10:00", TaskResult.NoAnomaly);
        Done(c, s, "2026-03-02 11:00", TaskResult.NoAnomaly, i: 1);
        s = Start(c, StageKind.ForwardToVillage, "2026-03-02 11:05", "yunlong", Staff("twp1"));
        if (upTo == StageKind.ForwardToVillage) return c;
        Done(c, s, "2026-03-02 14:00");
        s = Start(c, StageKind.HouseholdCheck, "2026-03-02 14:05", "yunlong", Staff("gm1"), Staff("vc1"));
        if (upTo == StageKind.HouseholdCheck) return c;
        Done(c, s, "2026-03-03 10:00", TaskResult.Qualifies, "核查属实");
        s = Start(c, StageKind.Appraisal, "2026-03-03 10:05", "yunlong", Staff("vc1"));
        if (upTo == StageKind.Appraisal) return c;
        Done(c, s, "2026-03-03 16:00", TaskResult.Qualifies);
        s = Start(c, StageKind.VillageNotice, "2026-03-03 16:05", "yunlong", Staff("vc1"));
        if (upTo == StageKind.VillageNotice) return c;
        Done(c, s, "2026-03-09 09:00");
        s = Start(c, StageKind.TownshipNotice, "2026-03-09 09:05", "yunlong", Staff("twp1"));
        if (upTo == StageKind.TownshipNotice) return c;
        Done(c, s, "2026-03-16 09:00");
        s = Start(c, StageKind.Decision, "2026-03-16 09:05", "yunlong", Staff("co1"));
        if (upTo == StageKind.Decision) return c;
        c.Decide(true, null, Township, Clock("2026-03-04 10:00"));
        s = Start(c, StageKind.AssistanceStart, "2026-03-04 10:05", "yunlong", Staff("twp1"));
        if (upTo == StageKind.AssistanceStart) return c;
        c.StartAssistance("落实医疗救助", Township, Clock("2026-03-10 10:00"));
        Start(c, StageKind.Tracking, "2026-03-10 10:05", "yunlong", Staff("cp1"));
        return c;
    }

    [Fact]
    public void Transitions_ShouldWalkTheWholeYunlongChain_WithAnAuditEventForEachChange()
    {
        var c = NewCase();
        Assert.Equal(CaseState.Intake, c.State);
        Assert.Equal(("yunlong", 3), (c.ProfileName, c.ProfileVersion));
        Assert.Equal(StageKind.Intake, c.NextStage(Yunlong));
        Assert.DoesNotContain("13812345678", c.Audit[0].Detail);   // masked in the audit trail

        var intake = Start(c, StageKind.Intake, "2026-03-02 09:05");
        Assert.Equal(Eod("2026-03-02"), intake.DueAt);
        Assert.True(Done2(c, intake, "2026-03-02 09:10"));
        Assert.Equal(StageKind.Comparison, c.NextStage(Yunlong));

        // Comparison: every department must answer before the stage completes.
        var cmp = Start(c, StageKind.Comparison, "2026-03-02 09:15", "yunlong", Dept("WJ"), Dept("YB"), Dept("MZ"));
        Assert.Equal(CaseState.Comparison, c.State);
        Assert.Equal(Eod("2026-03-04"), cmp.DueAt);
        Assert.False(c.CompleteTask(cmp.Assignments[0].TaskId, TaskResult.NoAnomaly, null, County, Clock("2026-03-02 10:00")));
        Assert.False(c.CompleteTask(cmp.Assignments[1].TaskId, TaskResult.ProblemFound, "有住院记录", County, Clock("2026-03-03 10:00")));
        Assert.True(cmp.IsOpen);
        Assert.Null(c.NextStage(Yunlong));
        Assert.True(c.CompleteTask(cmp.Assignments[2].TaskId, TaskResult.NoAnomaly, null, County, Clock("2026-03-04 23:59:59.9999999")));
        Assert.False(cmp.CompletedLate);   // exactly at the deadline is on time

        var fwd = Start(c, StageKind.ForwardToVillage, "2026-03-05 09:00", "yunlong", Staff("twp1"));
        Assert.Equal(Eod("2026-03-09"), fwd.DueAt);
        Assert.True(Done2(c, fwd, "2026-03-10 00:00"));
        Assert.True(fwd.CompletedLate);    // one tick after the deadline is late

        // Household check: two people go together; one answer completes the stage and closes the partner's task.
        var chk = Start(c, StageKind.HouseholdCheck, "2026-03-10 09:00", "yunlong", Staff("gm1"), Staff("vc1"));
        Assert.Equal(Eod("2026-03-13"), chk.DueAt);
        Assert.True(c.CompleteTask(chk.Assignments[0].TaskId, TaskResult.Qualifies, "核查属实", Cadre, Clock("2026-03-11 15:00")));
        Assert.All(chk.Assignments, a => Assert.False(a.IsOpen));
        Assert.Equal(TaskResult.Qualifies, chk.Assignments[1].Result);

        // 云龙 预警机制 二(七)(八): appraisal, the village's five-day notice, the township's five-day notice, the county's confirmation.
        Assert.Equal(StageKind.Appraisal, c.NextStage(Yunlong));
        var apr = Start(c, StageKind.Appraisal, "2026-03-11 15:05", "yunlong", Staff("vc1"));
        Assert.Equal(Eod("2026-03-31"), apr.DueAt);   // 当月拟认定名单: by the month's end
        Assert.True(c.CompleteTask(apr.Assignments[0].TaskId, TaskResult.Qualifies, null, Cadre, Clock("2026-03-12 16:00")));
        Assert.Null(c.Qualifies);                      // the appraisal is no decision
        var vn = Start(c, StageKind.VillageNotice, "2026-03-12 16:05", "yunlong", Staff("vc1"));
        Assert.Null(vn.DueAt);
        Assert.Equal(Eod("2026-03-17"), c.NoticeEndsAt(vn, Clock("2026-03-12 16:05")));
        Assert.True(c.CompleteTask(vn.Assignments[0].TaskId, TaskResult.Done, null, Cadre, Clock("2026-03-18 09:00")));
        var tn = Start(c, StageKind.TownshipNotice, "2026-03-18 09:05", "yunlong", Staff("twp1"));
        Assert.True(c.CompleteTask(tn.Assignments[0].TaskId, TaskResult.Done, null, Township, Clock("2026-03-24 09:00")));
        var dec = Start(c, StageKind.Decision, "2026-03-24 09:05", "yunlong", Staff("co1"));
        c.Decide(true, null, County, Clock("2026-03-24 10:00"));
        Assert.True(c.Qualifies);
        Assert.False(dec.IsOpen);
        Assert.Equal(StageKind.AssistanceStart, c.NextStage(Yunlong));

        var ast = Start(c, StageKind.AssistanceStart, "2026-03-31 10:00", "yunlong", Staff("twp1"));
        Assert.Equal(Eod("2026-04-30"), ast.DueAt);   // 1 month, clamped to April 30
        c.StartAssistance("落实医疗救助，安排公益性岗位", Township, Clock("2026-04-02 10:00"));
        Assert.Equal("落实医疗救助，安排公益性岗位", c.AssistancePlan);
        Assert.Equal(StageKind.Tracking, c.NextStage(Yunlong));

        var trk = Start(c, StageKind.Tracking, "2026-04-02 10:05", "yunlong", Staff("cp1"));
        c.RecordVisit("走访，已落实医疗救助", new Actor("cp1", "WorkTeam"), Clock("2026-04-20 10:00"));
        Assert.False(trk.IsOpen);
        Assert.Equal(StageKind.Tracking, c.NextStage(Yunlong));   // tracking repeats monthly
        Start(c, StageKind.Tracking, "2026-04-20 10:05", "yunlong", Staff("cp1"));

        // 云龙 预警机制 二(九): proposed in the quarter's first month with the household's consent; township reviews, county confirms.
        c.ProposeElimination("收入稳定，医疗支出已解决", new Consent("户主", L("2026-07-01 09:00"), "当面签字确认"), false, Cadre, Clock("2026-07-01 10:00"));
        // … through 民主评议、逐级审定 as in 二(七)(八): appraisal, the village's notice, the township's review and notice, the county.
        Assert.Equal(StageKind.EliminationAppraisal, c.NextStage(Yunlong));
        var eap = Start(c, StageKind.EliminationAppraisal, "2026-07-01 10:05", "yunlong", Staff("vc1"));
        Assert.Equal(Eod("2026-07-31"), eap.DueAt);
        Assert.True(c.CompleteTask(eap.Assignments[0].TaskId, TaskResult.Done, null, Cadre, Clock("2026-07-02 10:00")));
        var evn = Start(c, StageKind.EliminationVillageNotice, "2026-07-02 10:05", "yunlong", Staff("vc1"));
        Assert.Equal(Eod("2026-07-07"), c.NoticeEndsAt(evn, Clock("2026-07-02 10:05")));
        Assert.True(c.CompleteTask(evn.Assignments[0].TaskId, TaskResult.Done, null, Cadre, Clock("2026-07-08 10:00")));
        var rev = Start(c, StageKind.EliminationReview, "2026-07-08 10:05", "yunlong", Staff("twp1"));
        Assert.Null(rev.DueAt);
        Assert.True(c.CompleteTask(rev.Assignments[0].TaskId, TaskResult.Done, null, Township, Clock("2026-07-14 10:00")));
        var cnf = Start(c, StageKind.EliminationConfirmation, "2026-07-14 10:05", "yunlong", Staff("co1"));
        Assert.Equal(Eod("2026-07-31"), cnf.DueAt);
        Assert.True(c.CompleteTask(cnf.Assignments[0].TaskId, TaskResult.Done, null, County, Clock("2026-07-15 10:00")));
        Assert.Equal((CaseState.Closed, CaseOutcome.RiskEliminated), (c.State, c.Outcome));
        Assert.Equal(L("2026-07-15 10:00"), c.ClosedAt);
        Assert.Equal(L("2026-07-15 10:00"), c.RiskEliminatedAt);
        Assert.All(c.Stages, s => Assert.False(s.IsOpen));
        Assert.All(c.Stages.SelectMany(s => s.Steps), s => Assert.NotNull(s.DoneAt));
        Assert.Null(c.NextStage(Yunlong));

        Assert.Equal(
        [
            "case.created",
            "stage.started", "task.completed", "stage.completed",                                          // intake
            "stage.started", "task.completed", "task.completed", "task.completed", "stage.completed",      // comparison
            "stage.started", "task.completed", "stage.completed",                                          // forward
            "stage.started", "task.completed", "stage.completed",                                          // check
            "stage.started", "task.completed", "stage.completed",                                          // appraisal
            "stage.started", "task.completed", "stage.completed",                                          // village notice
            "stage.started", "task.completed", "stage.completed",                                          // township notice
            "stage.started", "case.decided", "stage.completed",                                            // county confirmation
            "stage.started", "assistance.started", "stage.completed",                                      // assistance
            "stage.started", "visit.recorded", "stage.completed",                                          // tracking
            "stage.started", "elimination.proposed", "elimination.consent", "stage.completed",             // proposal ends the visit
            "stage.started", "elimination.approved", "stage.completed",                                    // elimination appraisal
            "stage.started", "elimination.approved", "stage.completed",                                    // elimination village notice
            "stage.started", "elimination.approved", "stage.completed",                                    // township review and notice
            "stage.started", "elimination.approved", "stage.completed", "risk.eliminated", "case.closed",  // county confirmation
        ], c.Audit.Select(a => a.Action));
        Assert.All(c.Audit, a => Assert.False(string.IsNullOrEmpty(a.ActorRole)));
        Assert.Contains(c.Audit, a => a.Action == "stage.completed" && a.Detail.Contains("逾期完成"));
        Assert.Equal("msg-2", c.Audit.First(a => a.Action == "stage.started").SourceMessageId);
    }

    private static bool Done2(Case c, CaseStage s, string at) => c.CompleteTask(s.Assignments[0].TaskId, TaskResult.Done, null, Township, Clock(at));

    [Fact]
    public void Decide_ShouldCloseWithTheReason_WhenTheHouseholdDoesNotQualify()
    {
        var c = At(StageKind.Decision);
        var before = c.Audit.Count;

        var e = Assert.Throws<DomainException>(() => c.Decide(false, "  ", Township, Clock("2026-03-04 10:00")));
        Assert.Contains("理由", e.Message);
        Assert.Equal(before, c.Audit.Count);
        Assert.Equal(CaseState.Decision, c.State);

        c.Decide(false, "家庭人均纯收入高于监测标准", Township, Clock("2026-03-04 10:00"));
        Assert.Equal((CaseState.Closed, CaseOutcome.NotQualified, false), (c.State, c.Outcome, c.Qualifies));
        Assert.Equal("家庭人均纯收入高于监测标准", c.DecisionReason);
        Assert.Equal(["case.decided", "stage.completed", "case.closed"], c.Audit.Skip(before).Select(a => a.Action));
        Assert.Null(c.NextStage(Yunlong));
    }

    [Theory]
    [InlineData(TaskResult.Qualifies, null, CaseState.Decision, CaseOutcome.None)]
    [InlineData(TaskResult.DoesNotQualify, "收入高于标准", CaseState.Closed, CaseOutcome.NotQualified)]
    public void CompleteTask_ShouldRecordTheDecision_WhenTheDecisionCardIsAnswered(TaskResult result, string? note, CaseState state, CaseOutcome outcome)
    {
        var c = At(StageKind.Decision);
        var task = c.CurrentStage!.Assignments[0];

        Assert.True(c.CompleteTask(task.TaskId, result, note, Township, Clock("2026-03-04 10:00")));

        Assert.Equal((state, outcome), (c.State, c.Outcome));
        Assert.Equal(result == TaskResult.Qualifies, c.Qualifies);
        Assert.Equal(L("2026-03-04 10:00"), c.DecidedAt);
        Assert.Contains(c.Audit, a => a.Action == "case.decided");
    }

    [Fact]
    public void CompleteTask_ShouldRecordThePlan_WhenTheAssistanceCardIsAnswered()
    {
        var c = At(StageKind.AssistanceStart);
        var task = c.CurrentStage!.Assignments[0];
        var e = Assert.Throws<DomainException>(() => c.CompleteTask(task.TaskId, TaskResult.Done, null, Township, Clock("2026-03-10 10:00")));
        Assert.Contains("帮扶措施", e.Message);
        Assert.True(c.CompleteTask(task.TaskId, TaskResult.Done, "落实医疗救助", Township, Clock("2026-03-10 10:00")));
        Assert.Equal("落实医疗救助", c.AssistancePlan);
        Assert.Equal(L("2026-03-10 10:00"), c.AssistanceStartedAt);
    }

    private static readonly Consent Agreed = new("户主", L("2026-03-30 10:00"), "当面签字确认");

    public static TheoryData<string> IllegalTransitions => [.. Illegal.Keys];

    private static readonly Dictionary<string, (StageKind At, Action<Case> Act, string Says)> Illegal = new()
    {
        ["start a stage out of order"] = (StageKind.Intake, c => { Done(c, c.CurrentStage!, "2026-03-02 10:00"); Start(c, StageKind.Decision, "2026-03-02 10:05"); }, "下一环节是“信息比对”"),
        ["start a stage while one is open"] = (StageKind.Intake, c => Start(c, StageKind.Comparison, "2026-03-02 10:00"), "尚未完成"),
        ["start a stage with nobody to do it"] = (StageKind.Intake, c => { Done(c, c.CurrentStage!, "2026-03-02 10:00"); c.StartStage(StageKind.Comparison, [], Township, Clock("2026-03-02 10:05")); }, "没有找到办理人"),
        ["start a stage on a closed case"] = (StageKind.Decision, c => { c.Decide(false, "不符合", Township, Clock("2026-03-04 10:00")); Start(c, StageKind.AssistanceStart, "2026-03-04 10:05"); }, "已办结"),
        ["complete a task twice"] = (StageKind.Comparison, c => { Done(c, c.CurrentStage!, "2026-03-02 10:00", TaskResult.NoAnomaly); Done(c, c.Stages[1], "2026-03-02 10:01", TaskResult.NoAnomaly); }, "已经办理过了"),
        ["complete the partner's task after the check is done"] = (StageKind.HouseholdCheck, c => { var s = c.CurrentStage!; Done(c, s, "2026-03-03 10:00", TaskResult.Qualifies, "属实"); c.CompleteTask(s.Assignments[1].TaskId, TaskResult.Qualifies, "属实", new Actor("vc1", "VillageCadre"), Clock("2026-03-03 10:05")); }, "已经办理过了"),
        ["complete an unknown task"] = (StageKind.Intake, c => c.CompleteTask("nope", TaskResult.Done, null, Township, Clock("2026-03-02 10:00")), "没有找到这项任务"),
        ["answer a comparison with a check result"] = (StageKind.Comparison, c => Done(c, c.CurrentStage!, "2026-03-02 10:00", TaskResult.Qualifies), "可选：比对无异常、发现问题"),
        ["answer a check 'does not qualify' without a reason"] = (StageKind.HouseholdCheck, c => Done(c, c.CurrentStage!, "2026-03-03 10:00", TaskResult.DoesNotQualify), "写明理由"),
        ["decide at intake"] = (StageKind.Intake, c => c.Decide(true, null, Township, Clock("2026-03-02 10:00")), "不能“研判认定”"),
        ["decide 'not qualified' without a reason"] = (StageKind.Decision, c => c.Decide(false, null, Township, Clock("2026-03-04 10:00")), "必须写明理由"),
        ["start assistance before the decision"] = (StageKind.HouseholdCheck, c => c.StartAssistance("落实医疗救助", Township, Clock("2026-03-03 10:00")), "不能“启动帮扶”"),
        ["start assistance without a plan"] = (StageKind.AssistanceStart, c => c.StartAssistance(" ", Township, Clock("2026-03-05 10:00")), "请写明帮扶措施"),
        ["record an empty visit"] = (StageKind.Tracking, c => c.RecordVisit("", Cadre, Clock("2026-03-20 10:00")), "请写明走访情况"),
        ["record a visit on a closed case"] = (StageKind.Decision, c => { c.Decide(false, "不符合", Township, Clock("2026-03-04 10:00")); c.RecordVisit("走访", Cadre, Clock("2026-03-05 10:00")); }, "已办结"),
        ["propose elimination before tracking"] = (StageKind.AssistanceStart, c => c.ProposeElimination("收入稳定", Agreed, false, Cadre, Clock("2026-04-05 10:00")), "启动帮扶并跟踪帮扶后"),
        ["propose elimination for a household without labour capacity"] = (StageKind.Tracking, c => c.ProposeElimination("收入稳定", Agreed, true, Cadre, Clock("2026-04-01 10:00")), "整户丧失劳动能力"),
        ["propose elimination outside the quarter's first month"] = (StageKind.Tracking, c => c.ProposeElimination("收入稳定", Agreed, false, Cadre, Clock("2026-06-01 10:00")), "每季度首月"),
        ["propose elimination without the grounds"] = (StageKind.Tracking, c => c.ProposeElimination("", Agreed, false, Cadre, Clock("2026-04-01 10:00")), "风险消除的依据"),
        ["propose elimination without consent"] = (StageKind.Tracking, c => c.ProposeElimination("收入稳定", Agreed with { How = " " }, false, Cadre, Clock("2026-04-01 10:00")), "知情同意"),
        ["approve elimination with nothing proposed"] = (StageKind.Tracking, c => c.ReviewElimination(true, null, County, Clock("2026-04-01 10:00")), "没有待审核"),
        ["defer without a reason"] = (StageKind.Comparison, c => c.Defer(Eod("2026-03-10"), " ", County, Clock("2026-03-03 10:00")), "延期必须写明原因"),
        ["defer to an earlier deadline"] = (StageKind.Comparison, c => c.Defer(Eod("2026-03-03"), "部门系统升级", County, Clock("2026-03-03 10:00")), "晚于原期限"),
        ["defer to a deadline already past"] = (StageKind.Comparison, c => c.Defer(Eod("2026-03-05"), "部门系统升级", County, Clock("2026-03-06 10:00")), "晚于现在"),
        ["defer when no stage is open"] = (StageKind.Decision, c => { c.Decide(true, null, Township, Clock("2026-03-04 10:00")); c.Defer(Eod("2026-04-30"), "特殊情况", County, Clock("2026-03-04 11:00")); }, "没有正在办理的环节"),
        ["defer a stage without a deadline"] = (StageKind.Intake, c => { c.CurrentStage!.DueAt = null; c.Defer(Eod("2026-03-10"), "特殊情况", County, Clock("2026-03-02 10:00")); }, "不限时"),
        ["close as a duplicate of itself"] = (StageKind.Intake, c => c.CloseAsDuplicate("YL-2026-000001", Township, Clock("2026-03-02 10:00")), "与哪个案件重复"),
        ["close a closed case as a duplicate"] = (StageKind.Decision, c => { c.Decide(false, "不符合", Township, Clock("2026-03-04 10:00")); c.CloseAsDuplicate("YL-2026-000009", Township, Clock("2026-03-04 11:00")); }, "已办结"),
    };

    [Theory]
    [MemberData(nameof(IllegalTransitions))]
    public void Transition_ShouldThrowWithAChineseReasonAndChangeNothing_WhenIllegal(string name)
    {
        var (at, act, says) = Illegal[name];
        var c = At(at);
        var e = Assert.Throws<DomainException>(() => act(c));
        Assert.Contains(says, e.Message);
        Assert.Matches(Chinese(), e.Message);
        // The failing call itself leaves no audit event behind: the last event is from the set-up.
        Assert.DoesNotContain(c.Audit, a => a.Detail.Contains("部门系统升级") || a.Action is "risk.eliminated" or "elimination.proposed");
    }

    [Theory]
    [InlineData(new string[0], "至少需要一种困难类型")]
    [InlineData(new[] { "因病", "生病" }, "“生病”不是可选的困难类型")]
    public void Open_ShouldRefuse_WhenTheRiskTypesAreMissingOrUnknown(string[] riskTypes, string says)
    {
        var e = Assert.Throws<DomainException>(() =>
            Case.Open("YL-2026-000001", Channel.SelfReport, "V1", riskTypes, "x", Severity.General, Cadre, Clock("2026-03-02 09:00")));
        Assert.Contains(says, e.Message);
    }

    [Fact]
    public void StartStage_ShouldRefuseAStageTheProfileLacks_WhenTheCaseRunsOnFengdu()
    {
        var c = NewCase(profile: "fengdu", number: "FD-2026-000001");
        var s = Start(c, StageKind.Intake, "2026-03-02 09:05", "fengdu");
        Done(c, s, "2026-03-02 09:10", profile: "fengdu");
        Assert.Equal(StageKind.HouseholdCheck, c.NextStage(Fengdu));
        var e = Assert.Throws<DomainException>(() => Start(c, StageKind.Comparison, "2026-03-02 09:15", "fengdu"));
        Assert.Contains("没有“信息比对”环节", e.Message);
    }

    [Fact]
    public void ActiveScreening_ShouldCheckTheHouseholdTheSameDay_WhenACadreFoundIt()
    {
        // 云龙 三(三): 对主动排查发现的预警户，要在排查当天完成入户核查工作.
        var c = NewCase("2026-03-02 10:00", active: true);
        Assert.True(c.ActiveScreening);
        var intake = c.StartStage(StageKind.Intake, [Staff(Cadre.Id)], Cadre, Clock("2026-03-02 10:00"));
        c.CompleteTask(intake.Assignments[0].TaskId, TaskResult.Done, "干部主动排查发现，报告即受理", Cadre, Clock("2026-03-02 10:00"));

        Assert.Equal(StageKind.HouseholdCheck, c.NextStage(Yunlong));   // comparison comes after the check
        var check = Start(c, StageKind.HouseholdCheck, "2026-03-02 10:00", "yunlong", Staff("gm1"), Staff("vc1"));
        Assert.Equal(Eod("2026-03-02"), check.DueAt);
        Done(c, check, "2026-03-02 16:00", TaskResult.Qualifies, "属实");
        Assert.Equal(StageKind.Comparison, c.NextStage(Yunlong));
        var cmp = Start(c, StageKind.Comparison, "2026-03-02 16:05", "yunlong", Dept("WJ"));
        Done(c, cmp, "2026-03-03 10:00", TaskResult.NoAnomaly);
        Assert.Equal(StageKind.Appraisal, c.NextStage(Yunlong));   // forward-to-village is not needed: the village found it
    }

    [Theory]
    [InlineData("2026-03-02 17:29:59.9999999", "2026-03-02")]
    [InlineData("2026-03-02 17:30", "2026-03-03")]
    [InlineData("2026-03-06 18:00", "2026-03-09")]
    public void ActiveScreening_ShouldMoveTheCheckToTheNextWorkingDay_WhenFoundAtOrAfterClosing(string at, string dueDay)
    {
        var c = NewCase(at, active: true);
        var intake = c.StartStage(StageKind.Intake, [Staff(Cadre.Id)], Cadre, Clock(at));
        c.CompleteTask(intake.Assignments[0].TaskId, TaskResult.Done, null, Cadre, Clock(at));
        var check = Start(c, StageKind.HouseholdCheck, at, "yunlong", Staff("gm1"), Staff("vc1"));
        Assert.Equal(Eod(dueDay), check.DueAt);
    }

    [Fact]
    public void Defer_ShouldMoveTheDueTimeCancelUnfiredStepsAndReplan_WhenApproved()
    {
        var c = NewCase();
        var intake = Start(c, StageKind.Intake, "2026-03-02 09:05");
        Done(c, intake, "2026-03-02 09:30");
        var cmp = Start(c, StageKind.Comparison, "2026-03-02 10:00", "yunlong", Dept("WJ"));
        Assert.Equal(Eod("2026-03-04"), cmp.DueAt);
        Assert.Equal(
            [(LadderStepKind.Nag50, L("2026-03-03 17:00")), (LadderStepKind.Nag75, L("2026-03-04 08:30")),
             (LadderStepKind.Overdue1, L("2026-03-05 08:30")), (LadderStepKind.Overdue2, L("2026-03-06 08:30")), (LadderStepKind.Overdue3, L("2026-03-10 08:30"))],
            cmp.Steps.Select(s => (s.Kind, s.FireAt)));

        // The sweep fired the 50% nag; the township asks, the county approves a week more.
        var nag50 = cmp.Steps[0];
        nag50.DoneAt = L("2026-03-03 17:00");
        var before = c.Audit.Count;
        c.Defer(Eod("2026-03-11"), "民政系统升级，比对暂停", County, Clock("2026-03-04 10:00"));

        Assert.Equal(Eod("2026-03-11"), cmp.DueAt);
        Assert.Equal(1, cmp.Deferrals);
        Assert.False(nag50.Cancelled);                                        // a fired step stays fired
        Assert.All(cmp.Steps.Skip(1).Take(4), s => Assert.True(s.Cancelled && s.DoneAt == L("2026-03-04 10:00")));
        Assert.Equal(
            [(LadderStepKind.Nag75, L("2026-03-10 08:30")), (LadderStepKind.NagDueMorning, L("2026-03-11 08:30")),
             (LadderStepKind.Overdue1, L("2026-03-12 08:30")), (LadderStepKind.Overdue2, L("2026-03-13 08:30")), (LadderStepKind.Overdue3, L("2026-03-17 08:30"))],
            cmp.Steps.Where(s => s.DoneAt is null).Select(s => (s.Kind, s.FireAt)));
        var audit = Assert.Single(c.Audit.Skip(before));
        Assert.Equal(("stage.deferred", "cty1", "CountyOffice"), (audit.Action, audit.Actor, audit.ActorRole));
        Assert.Contains("2026-03-04 23:59", audit.Detail);
        Assert.Contains("2026-03-11 23:59", audit.Detail);
        Assert.Contains("民政系统升级", audit.Detail);

        // Completing after the old deadline but within the new one is on time.
        Done(c, cmp, "2026-03-11 23:59:59.9999999", TaskResult.NoAnomaly);
        Assert.False(cmp.CompletedLate);
        Assert.All(cmp.Steps, s => Assert.NotNull(s.DoneAt));
    }

    [Fact]
    public void CompleteTask_ShouldCancelThePendingLadder_WhenTheStageCompletes()
    {
        var c = At(StageKind.ForwardToVillage);
        var s = c.CurrentStage!;
        Assert.NotEmpty(s.Steps);
        Done(c, s, "2026-03-02 14:00");
        Assert.All(s.Steps, x => Assert.True(x.Cancelled && x.DoneAt == L("2026-03-02 14:00")));
    }

    [Fact]
    public void ProposeElimination_ShouldRefuseAndKeepMonitoring_WhenTheHouseholdHasNoLabourCapacity()
    {
        // 丰都 第五步: 对整户丧失劳动能力的（含正在享受农村低保或特困人员救助供养的监测对象），暂不消除风险，长期跟踪监测.
        var c = At(StageKind.Tracking);
        var before = c.Audit.Count;
        var e = Assert.Throws<DomainException>(() => c.ProposeElimination("收入稳定", Agreed, true, Cadre, Clock("2026-04-01 10:00")));
        Assert.Contains("暂不消除风险，继续长期跟踪监测", e.Message);
        Assert.Equal((CaseState.Tracking, CaseOutcome.None), (c.State, c.Outcome));
        Assert.Null(c.EliminationProposedAt);
        Assert.Equal(before, c.Audit.Count);
        Assert.True(c.CurrentStage!.IsOpen);
    }

    [Fact]
    public void ReviewElimination_ShouldGoBackToTracking_WhenTheAppraisalDeclines()
    {
        var c = At(StageKind.Tracking);
        c.RecordVisit("走访，收入稳定", Cadre, Clock("2026-04-01 10:00"));
        Assert.Null(c.CurrentStage);
        c.ProposeElimination("收入稳定超过监测标准", Agreed, false, Cadre, Clock("2026-04-02 10:00"));
        Assert.Equal(("户主", "当面签字确认"), (c.ConsentBy, c.ConsentHow));
        var rev = Start(c, StageKind.EliminationAppraisal, "2026-04-02 10:05", "yunlong", Staff("vc1"));
        var e = Assert.Throws<DomainException>(() => c.CompleteTask(rev.Assignments[0].TaskId, TaskResult.DoesNotQualify, null, Cadre, Clock("2026-04-03 10:00")));
        Assert.Contains("理由", e.Message);
        c.CompleteTask(rev.Assignments[0].TaskId, TaskResult.DoesNotQualify, "务工收入不稳定", Cadre, Clock("2026-04-03 10:00"));
        Assert.Null(c.EliminationProposedAt);
        Assert.Equal(StageKind.Tracking, c.NextStage(Yunlong));
        Assert.Equal(CaseOutcome.None, c.Outcome);
    }

    [Fact]
    public void CloseAsDuplicate_ShouldCloseOpenStagesAndTasks_WhenTheClueRepeatsAnotherCase()
    {
        var c = At(StageKind.Comparison);
        var cmp = c.CurrentStage!;
        c.CloseAsDuplicate("YL-2026-000007", Township, Clock("2026-03-02 10:00"));
        Assert.Equal((CaseState.Closed, CaseOutcome.Duplicate), (c.State, c.Outcome));
        Assert.All(cmp.Assignments, a => Assert.False(a.IsOpen));   // no task stays on a department's list
        Assert.Equal(["stage.completed", "case.duplicate", "case.closed"], c.Audit.TakeLast(3).Select(a => a.Action));
        Assert.Contains("YL-2026-000007", c.Audit[^2].Detail);
    }

    [Fact]
    public void IsOverdue_ShouldTurnTrueOneTickAfterTheDeadline()
    {
        var c = At(StageKind.Comparison);
        var s = c.CurrentStage!;
        Assert.Equal(Eod("2026-03-04"), s.DueAt);
        Assert.False(s.IsOverdue(Eod("2026-03-04").AddTicks(-1)));
        Assert.False(s.IsOverdue(Eod("2026-03-04")));
        Assert.True(s.IsOverdue(Eod("2026-03-04").AddTicks(1)));
    }
}
