using System.Security.Cryptography;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Domain.Cases;

/// <summary>
/// The case state machine. Every method either performs a legal transition and appends an audit event,
/// or throws <see cref="DomainException"/> with the reason — never a silent no-op.
/// </summary>
public partial class Case
{
    /// <summary>Opens a case at intake. A cadre's own screening (active) completes intake at once and starts the same-day household check.</summary>
    public static Case Open(string number, Channel channel, string villageCode, IEnumerable<string> riskTypes, string description,
        Severity severity, Actor reporter, CaseClock clock, bool activeScreening = false)
    {
        var c = new Case
        {
            Number = number,
            Channel = channel,
            VillageCode = villageCode,
            RiskTypes = [.. riskTypes.Distinct()],
            Description = description,
            Severity = severity,
            ReporterId = reporter.Id,
            ActiveScreening = activeScreening,
            ProfileName = clock.Profile.Name,
            ProfileVersion = clock.Profile.Version,
            CreatedAt = clock.Now,
            State = CaseState.Intake,
        };
        if (c.RiskTypes.Count == 0) throw new DomainException($"至少需要一种困难类型，可选：{string.Join("、", Cases.RiskTypes.All)}");
        if (c.RiskTypes.FirstOrDefault(r => !Cases.RiskTypes.IsKnown(r)) is { } unknown)
            throw new DomainException($"“{unknown}”不是可选的困难类型，可选：{string.Join("、", Cases.RiskTypes.All)}");
        c.Record(reporter, clock.Now, "case.created", $"{Describe(channel)}：{Mask.Text(description)}");
        return c;
    }

    /// <summary>Starts a stage with its assignees; the deadline and ladder come from the profile.</summary>
    /// <param name="deadline">The rule to use instead of the profile's (tracking visits by household category).</param>
    /// <param name="countFrom">The instant the deadline counts from instead of the stage's start (a problem's clearance counts from its report).</param>
    public CaseStage StartStage(StageKind kind, IReadOnlyList<Assignee> assignees, Actor actor, CaseClock clock, DeadlineRule? deadline = null,
        DateTimeOffset? countFrom = null)
    {
        if (State == CaseState.Closed) throw new DomainException($"案件{Number}已办结，不能再开始新环节");
        if (Stages.Any(s => s.IsOpen)) throw new DomainException($"案件{Number}的“{clock.Profile.Stage(CurrentStage!.Kind).Name}”环节尚未完成");
        var def = clock.Profile.Stage(kind);
        var expected = NextStage(clock.Profile);
        if (expected != kind)
            throw new DomainException(expected is { } e
                ? $"案件{Number}的下一环节是“{clock.Profile.Stage(e).Name}”，不能开始“{def.Name}”"
                : $"案件{Number}没有后续环节，不能开始“{def.Name}”");
        if (assignees.Count == 0) throw new DomainException($"“{def.Name}”环节没有找到办理人，请县级办公室检查花名册");
        var rule = deadline ?? clock.Profile.DeadlineFor(kind, ActiveScreening);
        // A public notice (公示) runs its days first; the stage's own deadline, if the profile sets one, counts from its end.
        var noticeEnds = def.NoticeEndsFrom(clock.Now, clock.Calendar, clock.Profile.OfficeClosing);
        var clockFrom = noticeEnds ?? countFrom ?? clock.Now;
        var planFrom = noticeEnds ?? clock.Now;   // nags share out the time that is left, from now
        var stage = new CaseStage
        {
            Kind = kind,
            Sequence = Stages.Count + 1,
            StartedAt = clock.Now,
            DueAt = rule.DueFrom(clockFrom, clock.Calendar, clock.Profile.OfficeClosing),
        };
        foreach (var a in assignees.DistinctBy(a => (a.Kind, a.Id)))
            stage.Assignments.Add(new StageAssignment { AssigneeKind = a.Kind, AssigneeId = a.Id, TaskId = NewTaskId(stage.Sequence) });
        if (noticeEnds is { } ends)
            stage.Steps.Add(new LadderStep { Kind = LadderStepKind.NoticeEnded, FireAt = LadderPlanner.NextOpening(ends.AddTicks(1), clock.Profile.Hours, clock.Calendar) });
        if (stage.DueAt is { } due)
            foreach (var (k, at) in LadderPlanner.Plan(planFrom, due, def.Ladder, clock.Profile.Hours, clock.Calendar))
                stage.Steps.Add(new LadderStep { Kind = k, FireAt = at });
        Stages.Add(stage);
        State = (CaseState)(int)kind;
        Record(actor, clock.Now, "stage.started",
            $"{def.Name}：{string.Join("、", stage.Assignments.Select(x => x.AssigneeId))}" + (noticeEnds is { } n ? $"，公示至{ChinaTimeText(n)}" : "")
            + (stage.DueAt is { } d ? $"，期限{ChinaTimeText(d)}" : ""));
        return stage;
    }

    /// <summary>
    /// Records one assignee's result. Returns true when this completed the stage (every department for comparison;
    /// any one of the two for the household check, who go together).
    /// </summary>
    public bool CompleteTask(string taskId, TaskResult result, string? note, Actor actor, CaseClock clock)
    {
        var stage = Stages.FirstOrDefault(s => s.Assignments.Any(a => a.TaskId == taskId))
                    ?? throw new DomainException("没有找到这项任务，可能已被撤销");
        var task = stage.Assignments.First(a => a.TaskId == taskId);
        var name = clock.Profile.Stage(stage.Kind).Name;
        if (State == CaseState.Closed) throw new DomainException($"案件{Number}已办结");
        if (!task.IsOpen) throw new DomainException(task.CompletedBy == actor.Id || task.Result != TaskResult.None
            ? $"“{name}”任务已经办理过了（{task.Result.ToChinese()}）"
            : $"“{name}”环节已由{task.CompletedBy}办理完成，不需要再办理");
        if (!stage.IsOpen) throw new DomainException($"“{name}”环节已经完成，不需要再办理");
        if (!Allowed(stage.Kind).Contains(result))
            throw new DomainException($"“{name}”环节不能选择“{result.ToChinese()}”，可选：{string.Join("、", Allowed(stage.Kind).Select(r => r.ToChinese()))}");
        if (result == TaskResult.Referred && string.IsNullOrWhiteSpace(note))
            throw new DomainException("请写明上报县级部门审批的事项，例如：临时救助申请，材料已备齐报县民政局");
        if (result == TaskResult.DoesNotQualify && string.IsNullOrWhiteSpace(note))
            throw new DomainException(TimelineProfile.EliminationKinds.Contains(stage.Kind)
                ? "不同意风险消除时需要写明理由" : $"“{name}”认为不符合时需要写明理由");
        // These stages carry case facts (decision, plan, visit): one path for each, whether from a card or a command.
        switch (stage.Kind)
        {
            case StageKind.Decision: Decide(result == TaskResult.Qualifies, note, actor, clock); return true;
            case StageKind.AssistanceStart: StartAssistance(note ?? "", actor, clock); return true;
            case StageKind.Tracking: RecordVisit(note ?? "", actor, clock); return true;
            case StageKind.EliminationAppraisal or StageKind.EliminationVillageNotice or StageKind.EliminationReview or StageKind.EliminationConfirmation:
                ReviewElimination(result != TaskResult.DoesNotQualify, note, actor, clock); return true;
            case StageKind.Appraisal or StageKind.VillageNotice or StageKind.TownshipNotice when result == TaskResult.DoesNotQualify:
                RejectInProcedure(stage, note!, actor, clock); return true;
            case StageKind.VillageNotice or StageKind.TownshipNotice:
                RequireNoticeEnded(stage, clock); break;
        }
        task.CompletedAt = clock.Now;
        task.CompletedBy = actor.Id;
        task.Result = result;
        task.Note = note;
        Record(actor, clock.Now, "task.completed", $"{name}：{result.ToChinese()}" + (note is null ? "" : $"（{Mask.Text(note)}）"));

        // Departments compare (and answer an application) in parallel: all must answer. The two household checkers go together: one answer is theirs.
        var stageDone = stage.Kind is not (StageKind.Comparison or StageKind.DepartmentReply) || stage.Assignments.All(a => !a.IsOpen);
        if (stageDone) CompleteStage(stage, actor, clock, result, note);
        return stageDone;
    }

    /// <summary>研判认定: qualifies → assistance; does not qualify → closed, with the reason the farmer is told.</summary>
    public void Decide(bool qualifies, string? reason, Actor actor, CaseClock clock)
    {
        RequireState(CaseState.Decision, "研判认定", clock);
        if (!qualifies && string.IsNullOrWhiteSpace(reason)) throw new DomainException("认定不符合条件时必须写明理由，理由会告知申请人");
        var stage = CurrentStage!;
        foreach (var t in stage.Assignments.Where(a => a.IsOpen))
        {
            t.CompletedAt = clock.Now; t.CompletedBy = actor.Id; t.Result = qualifies ? TaskResult.Qualifies : TaskResult.DoesNotQualify; t.Note = reason;
        }
        Qualifies = qualifies;
        DecisionReason = reason;
        DecidedAt = clock.Now;
        Record(actor, clock.Now, "case.decided", qualifies ? "认定符合条件，纳入监测帮扶" : $"认定不符合条件：{Mask.Text(reason)}");
        CompleteStage(stage, actor, clock);
        if (!qualifies) Close(CaseOutcome.NotQualified, actor, clock);
    }

    /// <summary>启动帮扶 with the household's plan (一户一策).</summary>
    public void StartAssistance(string plan, Actor actor, CaseClock clock)
    {
        RequireState(CaseState.AssistanceStart, "启动帮扶", clock);
        if (string.IsNullOrWhiteSpace(plan)) throw new DomainException("请写明帮扶措施，例如：落实医疗救助，安排公益性岗位");
        AssistancePlan = plan;
        AssistanceStartedAt = clock.Now;
        var stage = CurrentStage!;
        foreach (var t in stage.Assignments.Where(a => a.IsOpen)) { t.CompletedAt = clock.Now; t.CompletedBy = actor.Id; t.Result = TaskResult.Done; t.Note = plan; }
        Record(actor, clock.Now, "assistance.started", Mask.Text(plan));
        CompleteStage(stage, actor, clock);
    }

    /// <summary>A tracking visit (走访). In the tracking stage it completes this month's visit; the caller starts the next one.</summary>
    public Visit RecordVisit(string note, Actor actor, CaseClock clock)
    {
        if (State == CaseState.Closed) throw new DomainException($"案件{Number}已办结，不需要再记录走访");
        if (string.IsNullOrWhiteSpace(note)) throw new DomainException("请写明走访情况，例如：走访 YL-2026-000123 已落实医疗救助，家庭收入稳定");
        var v = new Visit { ByUserId = actor.Id, At = clock.Now, Note = note };
        Visits.Add(v);
        Record(actor, clock.Now, "visit.recorded", Mask.Text(note));
        if (State == CaseState.Tracking && CurrentStage is { } s)
        {
            foreach (var t in s.Assignments.Where(a => a.IsOpen)) { t.CompletedAt = clock.Now; t.CompletedBy = actor.Id; t.Result = TaskResult.Done; t.Note = note; }
            CompleteStage(s, actor, clock);
        }
        return v;
    }

    /// <summary>An approved deferral: moves the open stage's deadline and replans its ladder (audited).</summary>
    public void Defer(DateTimeOffset newDue, string reason, Actor approver, CaseClock clock)
    {
        var stage = CurrentStage ?? throw new DomainException($"案件{Number}没有正在办理的环节，不需要延期");
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainException("延期必须写明原因");
        if (stage.DueAt is not { } oldDue) throw new DomainException("该环节不限时，不需要延期");
        if (newDue <= oldDue) throw new DomainException("新的期限必须晚于原期限");
        if (newDue <= clock.Now) throw new DomainException("新的期限必须晚于现在");
        // 丰都 第三步: 监测对象识别后20个工作日内，其帮扶措施必须录入 — the plan may not be deferred past it.
        if (stage.Kind == StageKind.AssistanceStart && clock.Profile.MeasuresWithin is { } within && DecidedAt is { } identified
            && within.DueFrom(identified, clock.Calendar, clock.Profile.OfficeClosing) is { } limit && newDue > limit)
            throw new DomainException($"监测对象识别后{within.Describe()}内帮扶措施必须录入，最迟{ChinaTimeText(limit)}，延期不能超过这个时间");
        stage.DueAt = newDue;
        stage.Deferrals++;
        foreach (var step in stage.Steps.Where(s => s.DoneAt is null)) { step.DoneAt = clock.Now; step.Cancelled = true; }
        var def = clock.Profile.Stage(stage.Kind);
        foreach (var (k, at) in LadderPlanner.Plan(clock.Now, newDue, def.Ladder, clock.Profile.Hours, clock.Calendar))
            if (stage.Steps.All(s => s.Kind != k || s.Cancelled)) stage.Steps.Add(new LadderStep { Kind = k, FireAt = at });
        Record(approver, clock.Now, "stage.deferred", $"{def.Name}期限由{ChinaTimeText(oldDue)}延至{ChinaTimeText(newDue)}：{Mask.Text(reason)}");
    }

    /// <summary>Closes a clue that repeats another case.</summary>
    public void CloseAsDuplicate(string otherNumber, Actor actor, CaseClock clock)
    {
        if (State == CaseState.Closed) throw new DomainException($"案件{Number}已办结");
        if (string.IsNullOrWhiteSpace(otherNumber) || string.Equals(otherNumber.Trim(), Number, StringComparison.OrdinalIgnoreCase))
            throw new DomainException($"请写明与哪个案件重复（另一个案件编号），例如：{clock.Profile.CasePrefix}-2026-000123");
        foreach (var s in Stages.Where(s => s.IsOpen)) CompleteStage(s, actor, clock);
        Record(actor, clock.Now, "case.duplicate", $"与{otherNumber}重复");
        Close(CaseOutcome.Duplicate, actor, clock);
    }

    /// <summary>The next stage the case needs, or null when none follows (the caller routes and starts it).</summary>
    public StageKind? NextStage(TimelineProfile profile)
    {
        if (State == CaseState.Closed || Stages.Any(s => s.IsOpen)) return null;
        var last = Stages.OrderBy(s => s.Sequence).LastOrDefault();
        var serious = Severity == Severity.Serious;
        if (last is null) return profile.OrderFor(ActiveScreening, serious, FoundByCounty).FirstOrDefault(StageKind.Intake);
        if (IntakeToRedo(last)) return StageKind.Intake;
        var proposed = EliminationProposedAt is not null;
        if (TimelineProfile.EliminationKinds.Contains(last.Kind))
        {
            // A proposal passes each elimination stage of the profile in turn; a refusal at any of them goes back to tracking.
            var order = profile.EliminationOrder.ToList();
            var i = order.IndexOf(last.Kind);
            return proposed && i >= 0 && i + 1 < order.Count ? order[i + 1] : StageKind.Tracking;
        }
        switch (last.Kind)
        {
            // Tracking repeats until a risk-elimination proposal; a declined proposal goes back to tracking.
            case StageKind.Tracking: return proposed ? FirstEliminationStage(profile) ?? StageKind.Tracking : StageKind.Tracking;
            // 丰都 第三步: 应由县级行业部门审批的……县级行业部门在收到申报材料后，原则上在5个工作日作出结论性答复.
            case StageKind.Implementation when last.Assignments.Any(a => a.Result == TaskResult.Referred) && profile.Has(StageKind.DepartmentReply):
                return StageKind.DepartmentReply;
            case StageKind.DepartmentReply: return profile.Next(StageKind.Implementation, ActiveScreening, serious, FoundByCounty);
        }
        return profile.Next(last.Kind, ActiveScreening, serious, FoundByCounty);
    }

    /// <summary>Results an assignee may record at each stage.</summary>
    public static IReadOnlyList<TaskResult> Allowed(StageKind kind) => kind switch
    {
        StageKind.Comparison => [TaskResult.NoAnomaly, TaskResult.ProblemFound],
        StageKind.HouseholdCheck => [TaskResult.Qualifies, TaskResult.DoesNotQualify],
        StageKind.Decision or StageKind.Appraisal => [TaskResult.Qualifies, TaskResult.DoesNotQualify],
        StageKind.VillageNotice or StageKind.TownshipNotice => [TaskResult.Done, TaskResult.DoesNotQualify],
        StageKind.EliminationAppraisal or StageKind.EliminationVillageNotice or StageKind.EliminationReview or StageKind.EliminationConfirmation =>
            [TaskResult.Done, TaskResult.DoesNotQualify],
        StageKind.Implementation => [TaskResult.Done, TaskResult.Referred],
        _ => [TaskResult.Done],
    };

    private void CompleteStage(CaseStage stage, Actor actor, CaseClock clock, TaskResult leftoverResult = TaskResult.None, string? leftoverNote = null)
    {
        // A task of a finished stage must not stay on anyone's open list.
        foreach (var t in stage.Assignments.Where(a => a.IsOpen))
        {
            t.CompletedAt = clock.Now; t.CompletedBy = actor.Id; t.Result = leftoverResult; t.Note = leftoverNote;
        }
        stage.CompletedAt = clock.Now;
        stage.CompletedLate = stage.DueAt is { } due && clock.Now > due;
        foreach (var step in stage.Steps.Where(s => s.DoneAt is null)) { step.DoneAt = clock.Now; step.Cancelled = true; }
        Record(actor, clock.Now, "stage.completed", clock.Profile.Stage(stage.Kind).Name + (stage.CompletedLate ? "（逾期完成）" : ""));
    }

    private void Close(CaseOutcome outcome, Actor actor, CaseClock clock)
    {
        State = CaseState.Closed;
        Outcome = outcome;
        ClosedAt = clock.Now;
        Record(actor, clock.Now, "case.closed", outcome.ToChinese());
    }

    private void RequireState(CaseState expected, string action, CaseClock clock, bool needsOpenStage = true)
    {
        if (State == expected && (!needsOpenStage || CurrentStage is not null)) return;
        var where = State == CaseState.Closed ? "已办结" : $"当前在“{clock.Profile.Stage((StageKind)(int)State).Name}”环节";
        throw new DomainException($"案件{Number}{where}，不能“{action}”");
    }

    /// <summary>An audit-only event on the case (a request, a refusal, a notice) that changes no state.</summary>
    public void RecordEvent(Actor actor, DateTimeOffset at, string action, string detail) => Record(actor, at, action, detail);

    internal void Record(Actor actor, DateTimeOffset at, string action, string detail)
    {
        // Every change is audited, so this is where the concurrency token moves: the save then checks nobody saved between.
        Version++;
        Audit.Add(new AuditEvent { At = at, Actor = actor.Id, ActorRole = actor.Role, Action = action, Detail = detail, SourceMessageId = actor.SourceMessageId });
    }

    private string NewTaskId(int sequence) => $"{Number}-S{sequence}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}";

    private static string ChinaTimeText(DateTimeOffset t) => Calendar.ChinaTime.ToLocal(t).ToString("yyyy-MM-dd HH:mm");

    private static string Describe(Channel c) => c.ToChinese();
}
