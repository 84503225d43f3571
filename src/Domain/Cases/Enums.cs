namespace RapidResponse.Domain.Cases;

/// <summary>How a risk clue arrived (线索来源).</summary>
public enum Channel
{
    /// <summary>农户自主申报</summary>
    SelfReport = 1,
    /// <summary>干部走访排查发现</summary>
    CadreVisit = 2,
    /// <summary>部门筛查预警名单</summary>
    DepartmentList = 3,
    /// <summary>信访</summary>
    Petition = 4,
    /// <summary>舆情</summary>
    PublicOpinion = 5,
    /// <summary>突发事件报告</summary>
    Emergency = 6,
}

/// <summary>The stages of the rapid-response chain. A profile orders and times them.</summary>
public enum StageKind
{
    /// <summary>受理</summary>
    Intake = 1,
    /// <summary>信息比对</summary>
    Comparison = 2,
    /// <summary>反馈到村</summary>
    ForwardToVillage = 3,
    /// <summary>入户核查</summary>
    HouseholdCheck = 4,
    /// <summary>研判认定 (云龙: 县级确定并公告, the county's confirmation and listing)</summary>
    Decision = 5,
    /// <summary>启动帮扶</summary>
    AssistanceStart = 6,
    /// <summary>跟踪帮扶</summary>
    Tracking = 7,
    /// <summary>民主评议 (云龙 预警机制 二(七))</summary>
    Appraisal = 8,
    /// <summary>村“两委”决定并公示 (云龙 预警机制 二(八))</summary>
    VillageNotice = 9,
    /// <summary>乡镇审定并公示 (云龙 预警机制 二(八))</summary>
    TownshipNotice = 10,
    /// <summary>风险消除 乡镇审核</summary>
    EliminationReview = 11,
    /// <summary>风险消除 县级确认</summary>
    EliminationConfirmation = 12,
    /// <summary>严重风险 会同县级部门调查并告知县级 (丰都 第二步)</summary>
    SeriousRiskReport = 13,
    /// <summary>落实帮扶 (丰都 第三步: 乡镇落实, 或报县级部门审批)</summary>
    Implementation = 14,
    /// <summary>部门答复: the county departments' conclusive reply to the township's application (丰都 第三步)</summary>
    DepartmentReply = 15,
    /// <summary>风险消除 民主评议 of the proposed list (云龙 预警机制 二(九) 经民主评议、逐级审定)</summary>
    EliminationAppraisal = 16,
    /// <summary>风险消除 村级公示 (云龙 预警机制 二(九) 逐级审定, as 二(八))</summary>
    EliminationVillageNotice = 17,
    /// <summary>县级清单反馈乡镇: the county's own warnings sent to the township as a list (丰都 第二步)</summary>
    CountyForward = 18,
    /// <summary>问题限时清零: the problem 销号 within the limit of its class (丰都 第五步)</summary>
    ProblemClearance = 19,
}

/// <summary>Where a case stands. Open states name the stage being worked.</summary>
public enum CaseState
{
    Intake = 1,
    Comparison = 2,
    ForwardToVillage = 3,
    HouseholdCheck = 4,
    Decision = 5,
    AssistanceStart = 6,
    Tracking = 7,
    Appraisal = 8,
    VillageNotice = 9,
    TownshipNotice = 10,
    EliminationReview = 11,
    EliminationConfirmation = 12,
    SeriousRiskReport = 13,
    Implementation = 14,
    DepartmentReply = 15,
    EliminationAppraisal = 16,
    EliminationVillageNotice = 17,
    CountyForward = 18,
    ProblemClearance = 19,
    /// <summary>Finished: see <see cref="CaseOutcome"/>.</summary>
    Closed = 100,
}

/// <summary>How a closed case ended.</summary>
public enum CaseOutcome
{
    None = 0,
    /// <summary>不符合条件（理由告知农户）</summary>
    NotQualified = 1,
    /// <summary>风险消除</summary>
    RiskEliminated = 2,
    /// <summary>重复线索，并入其他案件</summary>
    Duplicate = 3,
    /// <summary>无效或重复线索，受理时搁置（理由必填，县级办公室可以重开）</summary>
    Invalid = 4,
}

/// <summary>
/// The class of a 两不愁三保障 / 饮水安全 problem, chosen when it is reported (丰都 第五步: 一般性问题在15日内、疑难问题半年内、特殊问题一年内完成销号).
/// </summary>
public enum ProblemClass
{
    /// <summary>一般性问题 (the default)</summary>
    General = 1,
    /// <summary>疑难问题</summary>
    Difficult = 2,
    /// <summary>特殊问题</summary>
    Special = 3,
}

/// <summary>一般 / 严重</summary>
public enum Severity { General = 1, Serious = 2 }

/// <summary>Who holds an assignment: a staff member (WeCom userid) or a department (code).</summary>
public enum AssigneeKind { Staff = 1, Department = 2 }

/// <summary>The outcome an assignee records for their part of a stage.</summary>
public enum TaskResult
{
    None = 0,
    /// <summary>受理 / 已转村 / 已启动 — the plain "done".</summary>
    Done = 1,
    /// <summary>比对无异常</summary>
    NoAnomaly = 2,
    /// <summary>发现问题</summary>
    ProblemFound = 3,
    /// <summary>核查符合</summary>
    Qualifies = 4,
    /// <summary>核查不符合</summary>
    DoesNotQualify = 5,
    /// <summary>无效/重复线索 — the intake set aside with a reason.</summary>
    Invalid = 6,
    /// <summary>已报县级部门审批 (丰都 第三步: 应由县级行业部门审批的)</summary>
    Referred = 7,
}

/// <summary>The fixed list of risk types (风险类型).</summary>
public static class RiskTypes
{
    public static readonly IReadOnlyList<string> All =
        ["因病", "因残", "因学", "因灾", "因意外事故", "产业失败", "务工就业不稳", "住房安全", "饮水安全", "其他"];

    public static bool IsKnown(string s) => All.Contains(s);
}
