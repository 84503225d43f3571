using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Domain.Cases;

/// <summary>Household consent to risk elimination (知情同意): who in the household agreed, when, and how.</summary>
public sealed record Consent(string By, DateTimeOffset At, string How);

/// <summary>
/// The identification procedure before the county's decision (云龙 预警机制 二(七)(八): 民主评议 → 村级公示 → 乡镇审定公示)
/// and risk elimination after tracking (云龙 预警机制 二(九), 丰都 第五步).
/// </summary>
public partial class Case
{
    /// <summary>The instant the public notice of a notice stage has run its course, or null when the stage is no notice.</summary>
    public DateTimeOffset? NoticeEndsAt(CaseStage stage, CaseClock clock) =>
        clock.Profile.Has(stage.Kind) ? clock.Profile.Stage(stage.Kind).NoticeEndsFrom(stage.StartedAt, clock.Calendar, clock.Profile.OfficeClosing) : null;

    // 云龙 预警机制 二(八): “公示5天,公示结束上报乡镇” — a notice cannot be passed on before its five days have run.
    private void RequireNoticeEnded(CaseStage stage, CaseClock clock)
    {
        if (NoticeEndsAt(stage, clock) is { } ends && clock.Now < ends)
            throw new DomainException($"“{clock.Profile.Stage(stage.Kind).Name}”公示期未满：公示到{ChinaTimeText(ends)}结束，期满后再确认");
    }

    /// <summary>
    /// The appraisal or a notice finds the household does not qualify (评议不通过, 公示有异议经核实不符合): the case closes with
    /// the reason, which the farmer is told, as at the decision.
    /// </summary>
    private void RejectInProcedure(CaseStage stage, string reason, Actor actor, CaseClock clock)
    {
        var name = clock.Profile.Stage(stage.Kind).Name;
        Qualifies = false;
        DecisionReason = reason;
        DecidedAt = clock.Now;
        Record(actor, clock.Now, "case.decided", $"{name}：不符合条件：{Mask.Text(reason)}");
        CompleteStage(stage, actor, clock, TaskResult.DoesNotQualify, reason);
        Close(CaseOutcome.NotQualified, actor, clock);
    }

    /// <summary>
    /// 风险消除 proposed by the contact person or village, with the household's consent. Refused outside the profile's window
    /// (云龙 预警机制 二(九) 每季度首月; 丰都 第五步 每月末) and for a household without labour capacity (丰都 第五步:
    /// 整户丧失劳动能力的（含正在享受农村低保或特困人员救助供养的监测对象），暂不消除风险). The open tracking visit closes; the caller
    /// starts the review stage (or, when the profile has no review stages, the risk is eliminated at once).
    /// </summary>
    public void ProposeElimination(string reason, Consent consent, bool householdHasNoLabourCapacity, Actor actor, CaseClock clock)
    {
        CheckCanProposeElimination(householdHasNoLabourCapacity, clock);
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 2)
            throw new DomainException("请写明风险消除的依据，例如：消除 YL-2026-000123 收入稳定超过监测标准，医疗支出已解决");
        if (string.IsNullOrWhiteSpace(consent.By) || string.IsNullOrWhiteSpace(consent.How))
            throw new DomainException("请写明农户知情同意的情况：谁同意、怎么确认的，例如：户主张三 当面签字确认");
        if (consent.At > clock.Now) throw new DomainException("知情同意的时间不能晚于现在");
        EliminationProposedAt = clock.Now;
        EliminationProposedBy = actor.Id;
        EliminationReason = reason.Trim();
        ConsentBy = consent.By.Trim();
        ConsentAt = consent.At;
        ConsentHow = consent.How.Trim();
        Record(actor, clock.Now, "elimination.proposed", Mask.Text(EliminationReason));
        Record(actor, clock.Now, "elimination.consent", $"{Mask.Text(ConsentBy)}于{ChinaTimeText(consent.At)}知情同意（{Mask.Text(ConsentHow)}）");
        foreach (var s in Stages.Where(s => s.IsOpen)) CompleteStage(s, actor, clock);
        if (FirstEliminationStage(clock.Profile) is null) Eliminate(actor, clock);
    }

    /// <summary>The checks of a proposal that need no words from the proposer: state, labour capacity, window. Throws with the reason.</summary>
    public void CheckCanProposeElimination(bool householdHasNoLabourCapacity, CaseClock clock)
    {
        if (State == CaseState.Closed) throw new DomainException($"案件{Number}已办结，不能申请风险消除");
        if (State != CaseState.Tracking)
            throw new DomainException(EliminationProposedAt is not null
                ? $"案件{Number}已申请风险消除，正在“{clock.Profile.Stage(CurrentStage!.Kind).Name}”"
                : $"案件{Number}当前在“{clock.Profile.Stage((StageKind)(int)State).Name}”环节，启动帮扶并跟踪帮扶后才能申请风险消除");
        if (householdHasNoLabourCapacity)
            throw new DomainException("该户整户丧失劳动能力（含享受农村低保或特困人员救助供养），按规定暂不消除风险，继续长期跟踪监测并落实针对性帮扶措施");
        var today = ChinaTime.DateOf(clock.Now);
        if (clock.Profile.Elimination is { } w && !w.Contains(today))
            throw new DomainException($"风险消除在{w.Describe()}集中办理，今天（{today:M月d日}）不在办理时间内。下一次从{w.NextOpening(today):yyyy年M月d日}开始，届时请再申请");
    }

    /// <summary>
    /// One level of a proposal: the village's appraisal and notice, the township's review (and notice), the county's confirmation;
    /// a refusal (with its reason: 评议不通过, 公示有异议, 不同意) goes back to tracking. The profile's last level eliminates the risk.
    /// </summary>
    public void ReviewElimination(bool approve, string? reason, Actor actor, CaseClock clock)
    {
        var stage = CurrentStage;
        if (stage is null || !TimelineProfile.EliminationKinds.Contains(stage.Kind) || State == CaseState.Closed)
            throw new DomainException($"案件{Number}没有待审核的风险消除申请");
        var name = clock.Profile.Stage(stage.Kind).Name;
        if (!approve && string.IsNullOrWhiteSpace(reason)) throw new DomainException("不同意风险消除时需要写明理由");
        // 云龙 预警机制 二(九) 经民主评议、逐级审定 (as 二(八) 公示5天,公示结束上报): a notice is passed on only once it has run.
        if (approve) RequireNoticeEnded(stage, clock);
        foreach (var t in stage.Assignments.Where(a => a.IsOpen))
        {
            t.CompletedAt = clock.Now; t.CompletedBy = actor.Id; t.Result = approve ? TaskResult.Done : TaskResult.DoesNotQualify; t.Note = reason;
        }
        if (!approve)
        {
            Record(actor, clock.Now, "elimination.declined", $"{name}：不同意风险消除：{Mask.Text(reason)}");
            EliminationProposedAt = null;
            CompleteStage(stage, actor, clock);
            return;
        }
        Record(actor, clock.Now, "elimination.approved", name + (reason is null ? "" : $"：{Mask.Text(reason)}"));
        CompleteStage(stage, actor, clock);
        if (clock.Profile.EliminationOrder[^1] == stage.Kind) Eliminate(actor, clock);
    }

    /// <summary>Confirmed: the risk is marked eliminated, tracking stops and the case closes.</summary>
    private void Eliminate(Actor actor, CaseClock clock)
    {
        RiskEliminatedAt = clock.Now;
        EliminationProposedAt ??= clock.Now;
        Record(actor, clock.Now, "risk.eliminated", Mask.Text(EliminationReason ?? ""));
        Close(CaseOutcome.RiskEliminated, actor, clock);
    }

    private static StageKind? FirstEliminationStage(TimelineProfile profile) =>
        profile.EliminationOrder is [var first, ..] ? first : null;
}
