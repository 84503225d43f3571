using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Roster;
using static RapidResponse.Domain.Tests.T;

namespace RapidResponse.Domain.Tests.Cases;

/// <summary>Triage: 无效/重复线索 at intake, 重开, a repeat joined to the open case, and who proves a household.</summary>
public partial class CaseStateMachineTests
{
    [Fact]
    public void SetAsideAsInvalid_ShouldCloseAndStopTheLadderAndReopenToAFreshIntake_WhenTheIntakeHolderSetsItAside()
    {
        var c = At(StageKind.Intake);
        var intake = c.CurrentStage!;
        Assert.NotEmpty(intake.Steps);
        c.SetAsideAsInvalid("与YL-2026-000007重复，同一户已在办理", Cadre, Clock("2026-03-02 10:00"));
        Assert.Equal((CaseState.Closed, CaseOutcome.Invalid), (c.State, c.Outcome));
        Assert.Equal(TaskResult.Invalid, intake.Assignments.Single().Result);
        Assert.All(intake.Steps, s => Assert.True(s.Cancelled));
        Assert.Equal(["case.invalid", "stage.completed", "case.closed"], c.Audit.TakeLast(3).Select(a => a.Action));
        Assert.Null(c.NextStage(Yunlong));

        c.Reopen("农户再次来电，确有困难", County, Clock("2026-03-03 09:00"));
        Assert.Equal((CaseState.Intake, CaseOutcome.None, (DateTimeOffset?)null), (c.State, c.Outcome, c.ClosedAt));
        Assert.Equal("case.reopened", c.Audit[^1].Action);
        // Intake runs again, with its own deadline and ladder, and the case then moves on as usual.
        Assert.Equal(StageKind.Intake, c.NextStage(Yunlong));
        var again = Start(c, StageKind.Intake, "2026-03-03 09:05");
        Assert.Equal((2, Eod("2026-03-03")), (again.Sequence, again.DueAt!.Value));
        Assert.NotEmpty(again.Steps);
        Done(c, again, "2026-03-03 10:00");
        Assert.Equal(StageKind.Comparison, c.NextStage(Yunlong));
    }

    public static TheoryData<string> IllegalTriage => [.. IllegalTriageCases.Keys];

    private static readonly Dictionary<string, (StageKind At, Action<Case> Act, string Says)> IllegalTriageCases = new()
    {
        ["set aside after intake"] = (StageKind.Comparison, c => c.SetAsideAsInvalid("重复线索", Cadre, Clock("2026-03-02 10:00")), "不能“标记无效/重复线索”"),
        ["set aside without a reason"] = (StageKind.Intake, c => c.SetAsideAsInvalid(" ", Cadre, Clock("2026-03-02 10:00")), "请写明无效或重复的理由"),
        ["reopen an open case"] = (StageKind.Comparison, c => c.Reopen("再看看", County, Clock("2026-03-02 10:00")), "正在办理，不需要重开"),
        ["reopen a decided case"] = (StageKind.Decision, c => { c.Decide(false, "收入高于监测范围", Township, Clock("2026-03-04 10:00")); c.Reopen("再看看", County, Clock("2026-03-05 10:00")); }, "只有被标记为无效/重复线索的案件可以重开"),
        ["reopen without a reason"] = (StageKind.Intake, c => { c.SetAsideAsInvalid("系误报", Cadre, Clock("2026-03-02 10:00")); c.Reopen("", County, Clock("2026-03-03 10:00")); }, "请写明重开的理由"),
        ["join a closed case"] = (StageKind.Decision, c => { c.Decide(false, "收入高于监测范围", Township, Clock("2026-03-04 10:00")); c.JoinReport("又住院了", ["因病"], Cadre, Clock("2026-03-05 10:00")); }, "已办结"),
    };

    [Theory]
    [MemberData(nameof(IllegalTriage))]
    public void Triage_ShouldThrowWithAChineseReason_WhenIllegal(string name)
    {
        var (at, act, says) = IllegalTriageCases[name];
        var c = At(at);
        var e = Assert.Throws<DomainException>(() => act(c));
        Assert.Contains(says, e.Message);
    }

    [Fact]
    public void JoinReport_ShouldAppendAndAuditWithinTheLengthCap_WhenTheHouseholdReportsAgain()
    {
        var c = At(StageKind.Comparison);
        var farmer = new Actor("wm_wife", "farmer", "msg-9");
        c.JoinReport("孩子考上大学，学费凑不齐，电话13900001111", ["因学"], farmer, Clock("2026-03-02 15:30"));
        Assert.StartsWith("户主住院", c.Description);
        Assert.EndsWith("【3月2日 15:30 再次申报（因学）】孩子考上大学，学费凑不齐，电话13900001111", c.Description);
        var audit = c.Audit[^1];
        Assert.Equal(("report.joined", "wm_wife", "msg-9"), (audit.Action, audit.Actor, audit.SourceMessageId));
        Assert.DoesNotContain("13900001111", audit.Detail);
        Assert.Equal(CaseState.Comparison, c.State);

        c.JoinReport(new string('难', Case.MaxDescriptionLength), ["因病"], farmer, Clock("2026-03-02 16:00"));
        Assert.Equal(Case.MaxDescriptionLength, c.Description.Length);
        Assert.EndsWith("…", c.Description);
    }

    public static TheoryData<string?, string, string?, bool> Identities => new()
    {
        // roster phone, given name, given phone, proves?
        { "13800000001", "张大山", "13800000001", true },
        { "13800000001", " 张 大山 ", "+86 139 0000 0001", true },   // blanks ignored; only the last four are compared
        { "13800000001", "张大三", "13800000001", false },           // wrong name
        { "13800000001", "张大山", "13800000002", false },           // right name, other last four
        { "13800000001", "张大山", null, false },                    // no phone given while the roster has one
        { null, "张大山", null, true },                              // the roster has no phone: the name proves it
        { "", "张大山", "13700007777", true },
        { null, "张大", null, false },
    };

    [Theory]
    [MemberData(nameof(Identities))]
    public void Proves_ShouldNeedTheHeadsNameAndTheRosterPhonesLastFour(string? rosterPhone, string name, string? phone, bool proves)
    {
        var h = new Household { HouseholdNo = "H1", HeadName = "张大山", IdNumber = "530101198001010019", Phone = rosterPhone, VillageCode = "V1" };
        Assert.Equal(proves, SelfReports.Proves(h, name, phone));
    }

    [Fact]
    public void Proves_ShouldBeFalse_WhenTheIdIsOnNoRoster()
    {
        Assert.False(SelfReports.Proves(null, "张大山", "13800000001"));
        var minority = new Household { HouseholdNo = "H2", HeadName = "阿依·古丽", IdNumber = "530101197003030019", VillageCode = "V1" };
        Assert.True(SelfReports.Proves(minority, "阿依•古丽", null));
        Assert.True(SelfReports.Proves(minority, "阿依.古丽", null));
    }
}
