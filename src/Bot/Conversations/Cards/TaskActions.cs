using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations.Access;
using RapidResponse.Bot.Conversations.Commands;
using RapidResponse.Domain;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Conversations.Cards;

/// <summary>
/// The outcome of an action: whether it happened and the label for the clicker's passive reply. An empty label means no
/// passive reply: the card keeps its buttons (a refused or unfinished action never leaves a dead card; the chat says why).
/// </summary>
public sealed record ActionOutcome(bool Done, string Label)
{
    public static ActionOutcome NotDone => new(false, "");
}

/// <summary>
/// Performs what a card button (or the words that follow it) asks: checks role and jurisdiction, moves the case,
/// audits with the message id, starts and cards the next stage, updates the card for the other holders and tells the farmer.
/// </summary>
public sealed class TaskActions(CaseWorkflow workflow, Jurisdiction access, TaskCards cards, Messenger messenger, FormStore forms,
    DeferralFlow deferrals, CardUpdates updates, FarmerNotices notices, EliminationFlow eliminations, ScoreCardFlow scores, ILogger<TaskActions> log)
{
    /// <summary>Keys whose action needs words from the clicker first.</summary>
    public static bool NeedsNote(string key) => key is CardKeys.Problem or CardKeys.NotQualifies or CardKeys.StartAssistance or CardKeys.Visit or CardKeys.Defer
        or CardKeys.Invalid or CardKeys.ProposeElimination or CardKeys.DeclineElimination or CardKeys.ReferDepartment or CardKeys.DepartmentReply;

    public async Task<ActionOutcome> ClickAsync(Inbound m, Staff s, CancellationToken ct)
    {
        if (m.TaskId is null || m.Key is null) return ActionOutcome.NotDone;
        if (m.TaskId.StartsWith(DeferralFlow.TaskPrefix, StringComparison.Ordinal))
            return await deferrals.DecideAsync(m, s, ct);
        if (m.TaskId.StartsWith(FarmerNotices.TaskPrefix, StringComparison.Ordinal))
            return await notices.ToldAsync(m, s, updates, ct);
        if (m.TaskId.StartsWith(Domain.Scoring.ScoreVerification.TaskPrefix, StringComparison.Ordinal))
            return await scores.ClickAsync(m, s, ct);
        var taskId = CardRows.TaskOf(m.TaskId);
        var c = await workflow.LoadByTaskAsync(taskId, ct);
        if (c is null) { messenger.Reply(m, "staff.task_missing"); return ActionOutcome.NotDone; }
        var task = c.Stages.SelectMany(x => x.Assignments).First(a => a.TaskId == taskId);
        var stage = c.Stages.First(x => x.Id == task.StageId || x.Assignments.Contains(task));
        var clock = workflow.ClockFor(c);
        var def = clock.Profile.Stage(stage.Kind);
        var allowed = await access.CanAct(s, c, task, def, ct);
        if (!allowed.Allowed) { messenger.ReplyText(m, allowed.Reason); return ActionOutcome.NotDone; }
        if (!stage.IsOpen || !task.IsOpen)
        {
            messenger.Reply(m, "staff.task_done", new { c.Number, Stage = def.Name, Result = task.Result.ToChinese() });
            // The clicker's card still had buttons (its update may have been lost): it ends on the task's final state.
            var done = $"已办理：{task.Result.ToChinese()}";
            updates.FinishFor(s.UserId, m.TaskId, m.ResponseCode, done);
            return new(false, done);
        }
        // Refused at once (outside the window, no labour capacity) rather than after the clicker has typed the grounds.
        if (m.Key == CardKeys.ProposeElimination && await eliminations.RefusalAsync(c, ct) is { } refusal)
        { messenger.ReplyText(m, refusal); return ActionOutcome.NotDone; }
        if (NeedsNote(m.Key))
        {
            await forms.SaveAsync(m, NotePrompt.FormName, new NotePrompt { TaskId = m.TaskId, Key = m.Key, ResponseCode = m.ResponseCode, CaseNumber = c.Number }, ct);
            messenger.Reply(m, "staff.ask_note", new { c.Number, Key = m.Key, Stage = def.Name });
            return ActionOutcome.NotDone;
        }
        return await PerformAsync(m, s, c, task, m.Key, null, m.TaskId, m.ResponseCode, ct);
    }

    /// <summary>The words that complete a pending click.</summary>
    public async Task NoteAsync(Inbound m, Staff s, NotePrompt p, CancellationToken ct)
    {
        var text = (m.Text ?? "").Trim();
        if (text is "取消") { await forms.ClearAsync(m, ct); messenger.Reply(m, "staff.note_cancelled"); return; }
        if (text.Length < 2) { messenger.Reply(m, "staff.ask_note", new { Number = p.CaseNumber, p.Key, Stage = "" }); return; }
        // The contest keeps its prompt open until a usable reason arrives (it clears it itself).
        if (p.Key == Domain.Scoring.ScoreVerification.ContestKey) { await scores.ContestAsync(m, s, p, text, ct); return; }
        // A menu click or a command is not the reason (the farmer would be told "我的任务" as why they do not qualify):
        // the prompt stays open and asks for the words again.
        if (m.Kind == InboundKind.MenuClick || StaffCommands.IsCommand(text) || Alerts.AlertFlow.IsStart(text) || Alerts.AlertFlow.IsOneShot(text))
        {
            messenger.Reply(m, "staff.note_not_reason", new { Number = p.CaseNumber, p.Key, Text = text, Menu = m.Kind == InboundKind.MenuClick });
            return;
        }
        await forms.ClearAsync(m, ct);
        if (p.Key == CardKeys.Defer) { await deferrals.RequestAsync(m, s, p.CaseNumber!, text, null, ct); return; }
        if (p.Key == CardKeys.ProposeElimination) { await eliminations.ProposeAsync(m, s, p.CaseNumber!, text, ct); return; }
        var c = await workflow.LoadByTaskAsync(CardRows.TaskOf(p.TaskId), ct);
        var task = c?.Stages.SelectMany(x => x.Assignments).FirstOrDefault(a => a.TaskId == CardRows.TaskOf(p.TaskId));
        if (c is null || task is null) { messenger.Reply(m, "staff.task_missing"); return; }
        var def = workflow.ClockFor(c).Profile.Stage(c.Stages.First(x => x.Assignments.Contains(task)).Kind);
        var allowed = await access.CanAct(s, c, task, def, ct);
        if (!allowed.Allowed) { messenger.ReplyText(m, allowed.Reason); return; }
        await PerformAsync(m, s, c, task, p.Key, text, p.TaskId, p.ResponseCode, ct);
    }

    private async Task<ActionOutcome> PerformAsync(Inbound m, Staff s, Case c, StageAssignment task, string key, string? note, string? cardTaskId, string? responseCode, CancellationToken ct)
    {
        var clock = workflow.ClockFor(c);
        var actor = new Actor(s.UserId, s.Role.ToString(), m.MessageId);
        var stage = c.Stages.First(x => x.Assignments.Contains(task));
        var def = clock.Profile.Stage(stage.Kind);
        string label;
        (string Template, object? Model, string Outcome)? farmer = null;
        (string Template, object Model)? progress = null;
        try
        {
            switch (stage.Kind, key)
            {
                case (StageKind.Decision, CardKeys.Qualifies or CardKeys.NotQualifies):
                    c.Decide(key == CardKeys.Qualifies, note, actor, clock);
                    label = key == CardKeys.Qualifies ? "已认定符合" : "已认定不符合";
                    farmer = DecisionNotice(c, clock);
                    break;
                case (StageKind.AssistanceStart, CardKeys.StartAssistance):
                    c.StartAssistance(note!, actor, clock);
                    label = "已启动帮扶";
                    // The plan is the household's business: only a reporter who proved they belong to it reads it.
                    if (c.ReporterChannel is not null && c.Channel == Channel.SelfReport && c.ReporterVerified)
                        farmer = ("farmer.assistance_started", new { CaseNumber = c.Number, Plan = note }, $"已启动帮扶：{note}");
                    break;
                case (StageKind.Intake, CardKeys.Invalid):
                    c.SetAsideAsInvalid(note ?? "", actor, clock);
                    label = "已标记无效/重复";
                    farmer = DecisionNotice(c, clock, note);
                    break;
                case (StageKind.Tracking, CardKeys.Visit):
                    c.RecordVisit(note!, actor, clock);
                    label = "已记录走访";
                    break;
                case (StageKind.EliminationAppraisal or StageKind.EliminationVillageNotice or StageKind.EliminationReview or StageKind.EliminationConfirmation,
                    CardKeys.ApproveElimination or CardKeys.DeclineElimination):
                    c.ReviewElimination(key == CardKeys.ApproveElimination, note, actor, clock);
                    label = key == CardKeys.DeclineElimination ? "已退回继续帮扶"
                        : stage.Kind switch
                        {
                            StageKind.EliminationAppraisal => "评议通过",
                            StageKind.EliminationVillageNotice => "公示期满，已上报乡镇",
                            StageKind.EliminationReview when def.Notice is not null => "审定通过，公示期满，已报县级",
                            _ => "已同意风险消除",
                        };
                    if (c.Outcome == CaseOutcome.RiskEliminated) farmer = EliminationNotice(c);
                    break;
                default:
                    var result = ResultOf(key) ?? throw new DomainException($"“{def.Name}”环节没有这个按钮");
                    c.CompleteTask(task.TaskId, result, note, actor, clock);
                    label = key switch
                    {
                        CardKeys.Accept => "已受理",
                        CardKeys.Forward => stage.Kind == StageKind.CountyForward ? "已反馈乡镇" : "已反馈到村",
                        CardKeys.Problem => "已报告问题",
                        CardKeys.NoAnomaly => "已比对无异常",
                        CardKeys.NoticeDone => "公示期满，已上报",
                        CardKeys.Reported => "已告知县级",
                        CardKeys.Implemented => "已落实",
                        CardKeys.ReferDepartment => "已报县级部门审批",
                        CardKeys.DepartmentReply => "已答复",
                        CardKeys.Cleared => "已销号",
                        _ => result.ToChinese(),
                    };
                    // The appraisal or a notice may find the household does not qualify: the farmer hears the reason, as at the decision.
                    if (c.Outcome == CaseOutcome.NotQualified) farmer = DecisionNotice(c, clock);
                    // 村里核查符合 is progress, not a decision: the decision notice comes at the county's confirmation.
                    else if (stage.Kind == StageKind.HouseholdCheck && result == TaskResult.Qualifies)
                        progress = ("farmer.check_passed", new { CaseNumber = c.Number, Next = clock.Profile.Next(StageKind.HouseholdCheck, c.ActiveScreening) is { } n ? clock.Profile.NameOf(n) : null });
                    break;
            }
        }
        catch (DomainException e)
        {
            messenger.ReplyText(m, e.Message);
            return ActionOutcome.NotDone;
        }
        // The farmer hears it through 微信客服 when their window is open; otherwise it waits and the village tells them.
        if (farmer is { } f) await notices.NotifyAsync(c, f.Template, f.Model, f.Outcome, ct);
        if (progress is { } pr) await ProgressAsync(c, pr.Template, pr.Model, ct);
        var next = await workflow.AdvanceAsync(c, actor, ct);
        if (next is not null) await cards.SendAsync(c, next, clock.Profile, ct);
        // Every holder's card ends final with who did it — the clicker's too: the passive reply may come too late or on
        // another instance (§12).
        await updates.FinishAsync(task.TaskId, $"{label}（{s.Name}）", cardTaskId is null ? null : (cardTaskId, responseCode, s.UserId), ct);
        messenger.Reply(m, "staff.action_done", new { c.Number, Stage = def.Name, Label = label, Next = next is null ? null : clock.Profile.NameOf(next.Kind), Due = DueText.Of(next?.DueAt) });
        log.LogInformation("Case {Case} {Stage}: {Label} by {User}", c.Number, stage.Kind, label, s.UserId);
        return new(true, label);
    }

    /// <summary>
    /// Progress about the household goes to a reporter verified as the household's only, and only when it can be sent now
    /// (the app, or 微信客服 inside its window): unlike a result, progress is not held nor carded to the village.
    /// </summary>
    private async Task ProgressAsync(Case c, string template, object model, CancellationToken ct)
    {
        if (c.ReporterChannel is not { } ch || c.ReporterId is null || c.Channel != Channel.SelfReport || !c.ReporterVerified) return;
        if (ch == InboundChannel.Kf && (await notices.LastCustomerMessageAsync(c.ReporterId, ct) is not { } at
                                        || workflow.ClockFor(c).Now - at >= FarmerNotices.KfWindow - FarmerNotices.Margin)) return;
        messenger.ToPerson(ch, c.ReporterId, c.ReporterKfId, template, model);
    }

    /// <summary>The end of monitoring, told like a decision: in full to a verified reporter, else that there is a result.</summary>
    private static (string Template, object? Model, string Outcome)? EliminationNotice(Case c)
    {
        if (c.ReporterChannel is null || c.ReporterId is null || c.Channel != Channel.SelfReport) return null;
        return c.ReporterVerified
            ? ("farmer.risk_eliminated", new { CaseNumber = c.Number }, "经村、乡镇审核和县级确认，返贫风险已消除，监测帮扶结束")
            : ("farmer.result_ready", new { CaseNumber = c.Number }, "申报已有结果，请当面核对身份后告知");
    }

    /// <summary>What the reporting farmer is told of a decision (template, model, the line for the village's card), if anything.</summary>
    private static (string Template, object? Model, string Outcome)? DecisionNotice(Case c, CaseClock clock, string? invalidReason = null)
    {
        if (c.ReporterChannel is null || c.ReporterId is null || c.Channel != Channel.SelfReport) return null;
        if (!c.ReporterVerified)
            return ("farmer.result_ready", new { CaseNumber = c.Number }, "申报已有结果，请当面核对身份后告知");
        if (c.Outcome == CaseOutcome.Invalid)
            return ("farmer.clue_invalid", new { CaseNumber = c.Number, Reason = invalidReason }, $"线索无效或重复：{invalidReason}");
        if (c.Qualifies == true)
            return ("farmer.decision_qualifies",
                new { CaseNumber = c.Number, Limit = clock.Profile.Has(StageKind.AssistanceStart) ? clock.Profile.Stage(StageKind.AssistanceStart).Deadline.Describe() : "1个月" },
                "经核实认定：符合监测帮扶条件，1个月内启动帮扶");
        return ("farmer.decision_not_qualified", new { CaseNumber = c.Number, Reason = c.DecisionReason }, $"经核实认定：不符合监测帮扶条件（{c.DecisionReason}）");
    }

    private static TaskResult? ResultOf(string key) => key switch
    {
        CardKeys.Accept or CardKeys.Forward or CardKeys.NoticeDone or CardKeys.Reported or CardKeys.Implemented or CardKeys.DepartmentReply or CardKeys.Cleared => TaskResult.Done,
        CardKeys.ReferDepartment => TaskResult.Referred,
        CardKeys.NoAnomaly => TaskResult.NoAnomaly,
        CardKeys.Problem => TaskResult.ProblemFound,
        CardKeys.Qualifies => TaskResult.Qualifies,
        CardKeys.NotQualifies => TaskResult.DoesNotQualify,
        _ => null,
    };

    /// <summary>For text commands: the due-date text of a stage.</summary>
}
