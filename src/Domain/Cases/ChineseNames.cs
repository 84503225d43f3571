namespace RapidResponse.Domain.Cases;

/// <summary>Chinese names of domain values, for texts and audit details.</summary>
public static class ChineseNames
{
    public static string ToChinese(this Channel c) => c switch
    {
        Channel.SelfReport => "农户自主申报",
        Channel.CadreVisit => "干部走访发现",
        Channel.DepartmentList => "部门预警名单",
        Channel.Petition => "信访",
        Channel.PublicOpinion => "舆情",
        Channel.Emergency => "突发事件报告",
        _ => c.ToString(),
    };

    public static string ToChinese(this StageKind k) => k switch
    {
        StageKind.Intake => "受理",
        StageKind.Comparison => "信息比对",
        StageKind.ForwardToVillage => "反馈到村",
        StageKind.HouseholdCheck => "入户核查",
        StageKind.Decision => "研判认定",
        StageKind.AssistanceStart => "启动帮扶",
        StageKind.Tracking => "跟踪帮扶",
        StageKind.Appraisal => "民主评议",
        StageKind.VillageNotice => "村级公示",
        StageKind.TownshipNotice => "乡镇审定公示",
        StageKind.EliminationReview => "风险消除审核",
        StageKind.EliminationConfirmation => "风险消除确认",
        StageKind.SeriousRiskReport => "严重风险告知县级",
        StageKind.Implementation => "落实帮扶",
        StageKind.DepartmentReply => "部门答复",
        StageKind.EliminationAppraisal => "风险消除民主评议",
        StageKind.EliminationVillageNotice => "风险消除村级公示",
        StageKind.CountyForward => "县级清单反馈乡镇",
        StageKind.ProblemClearance => "问题限时清零",
        _ => k.ToString(),
    };

    public static string ToChinese(this TaskResult r) => r switch
    {
        TaskResult.None => "未办理",
        TaskResult.Done => "已办理",
        TaskResult.NoAnomaly => "比对无异常",
        TaskResult.ProblemFound => "发现问题",
        TaskResult.Qualifies => "符合条件",
        TaskResult.DoesNotQualify => "不符合条件",
        TaskResult.Referred => "已报县级部门审批",
        TaskResult.Invalid => "无效/重复线索",
        _ => r.ToString(),
    };

    public static string ToChinese(this CaseOutcome o) => o switch
    {
        CaseOutcome.None => "办理中",
        CaseOutcome.NotQualified => "不符合条件，已办结",
        CaseOutcome.RiskEliminated => "风险已消除，已办结",
        CaseOutcome.Duplicate => "重复线索，已办结",
        CaseOutcome.Invalid => "无效或重复线索，已办结",
        _ => o.ToString(),
    };

    public static string ToChinese(this ProblemClass p) => p switch
    {
        ProblemClass.Difficult => "疑难问题",
        ProblemClass.Special => "特殊问题",
        _ => "一般性问题",
    };

    public static string ToChinese(this Severity s) => s == Severity.Serious ? "严重" : "一般";
}
