using RapidResponse.Domain.Privacy;

namespace RapidResponse.Domain.Cases;

/// <summary>
/// Triage of incoming clues: setting an invalid or repeated clue aside at intake (无效/重复线索), reopening it (county office),
/// and joining a repeated report to the household's open case instead of opening a second one.
/// </summary>
public partial class Case
{
    /// <summary>Longest description kept on a case; a joined report that would pass it is cut (the full text stays in the inbox).</summary>
    public const int MaxDescriptionLength = 4000;

    /// <summary>
    /// 无效/重复线索: the intake holder sets the clue aside with a reason. Only at intake (an accepted case runs to a decision);
    /// closes the intake task and stage, stops the ladder, audited; <see cref="Reopen"/> undoes it.
    /// </summary>
    public void SetAsideAsInvalid(string reason, Actor actor, CaseClock clock)
    {
        RequireState(CaseState.Intake, "标记无效/重复线索", clock);
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 2)
            throw new DomainException($"请写明无效或重复的理由，例如：与{clock.Profile.CasePrefix}-2026-000123重复，同一户已在办理");
        var stage = CurrentStage!;
        foreach (var t in stage.Assignments.Where(a => a.IsOpen))
        {
            t.CompletedAt = clock.Now; t.CompletedBy = actor.Id; t.Result = TaskResult.Invalid; t.Note = reason.Trim();
        }
        Record(actor, clock.Now, "case.invalid", $"无效/重复线索：{Mask.Text(reason.Trim())}");
        CompleteStage(stage, actor, clock);
        Close(CaseOutcome.Invalid, actor, clock);
    }

    /// <summary>Reopens a clue set aside as invalid: it goes back to intake (the caller starts and cards a fresh intake stage).</summary>
    public void Reopen(string reason, Actor actor, CaseClock clock)
    {
        if (State != CaseState.Closed || Outcome != CaseOutcome.Invalid)
            throw new DomainException(State == CaseState.Closed
                ? $"案件{Number}是“{Outcome.ToChinese()}”，只有被标记为无效/重复线索的案件可以重开"
                : $"案件{Number}正在办理，不需要重开");
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 2)
            throw new DomainException($"请写明重开的理由，例如：重开 {Number} 经电话回访，该户确有困难");
        State = CaseState.Intake;
        Outcome = CaseOutcome.None;
        ClosedAt = null;
        Record(actor, clock.Now, "case.reopened", Mask.Text(reason.Trim()));
    }

    /// <summary>True when the last stage is an intake that was set aside and the case was reopened: intake runs again.</summary>
    private bool IntakeToRedo(CaseStage last) => last.Kind == StageKind.Intake && last.Assignments.Any(a => a.Result == TaskResult.Invalid);

    /// <summary>
    /// A new report about the household of this open case: the description (and any new risk types, named in it) is appended
    /// and audited, no second case is opened.
    /// </summary>
    public void JoinReport(string description, IReadOnlyCollection<string> riskTypes, Actor actor, CaseClock clock)
    {
        if (State == CaseState.Closed) throw new DomainException($"案件{Number}已办结，请重新申报");
        if (string.IsNullOrWhiteSpace(description)) throw new DomainException("补充的情况说明不能为空");
        var at = Calendar.ChinaTime.ToLocal(clock.Now).ToString("M月d日 HH:mm");
        var added = $"\n【{at} 再次申报（{string.Join("、", riskTypes)}）】{description.Trim()}";
        var joined = Description + added;
        Description = joined.Length > MaxDescriptionLength ? joined[..(MaxDescriptionLength - 1)] + "…" : joined;
        Record(actor, clock.Now, "report.joined", $"再次申报并入本案（{string.Join("、", riskTypes)}）：{Mask.Text(description.Trim())}");
    }

    /// <summary>The reporter of this case proved they belong to the household: link it and let them hear decisions (audited).</summary>
    public void VerifyReporter(long householdId, Actor actor, CaseClock clock)
    {
        if (actor.Id != ReporterId) throw new DomainException($"只有案件{Number}的申报人本人可以核对身份");
        if (HouseholdId is { } h && h != householdId) throw new DomainException($"案件{Number}已关联其他农户");
        HouseholdId = householdId;
        ReporterVerified = true;
        Record(actor, clock.Now, "reporter.verified", "申报人已核对身份，关联花名册农户");
    }
}
