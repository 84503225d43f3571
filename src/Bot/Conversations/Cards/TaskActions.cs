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
    DeferralFlow deferrals, CardUpdates updates, FarmerNotices notices, ILogger<TaskActions> log)
{
    /// <summary>Keys whose action needs words from the clicker first.</summary>
    public static bool NeedsNote(string key) => key is CardKeys.Problem or CardKeys.NotQualifies or CardKeys.StartAssistance or CardKeys.Visit or CardKeys.Defer
        or CardKeys.Invalid;

    public async Task<ActionOutcome> ClickAsync(Inbound m, Staff s, CancellationToken ct)
    {
        if (m.TaskId is null || m.Key is null) return ActionOutcome.NotDone;
        if (m.TaskId.StartsWith(DeferralFlow.TaskPrefix, StringComparison.Ordinal))
            return await deferrals.DecideAsync(m, s, ct);
        if (m.TaskId.StartsWith(FarmerNotices.TaskPrefix, StringComparison.Ordinal))
            return await notices.ToldAsync(m, s, updates, ct);
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
        // A menu click or a command is not the reason (the farmer would be told "我的任务" as why they do not qualify):
        // the prompt stays open and asks for the words again.
        if (m.Kind == InboundKind.MenuClick || StaffCommands.IsCommand(text) || Alerts.AlertFlow.IsStart(text) || Alerts.AlertFlow.IsOneShot(text))
        {
            messenger.Reply(m, "staff.note_not_reason", new { Number = p.CaseNumber, p.Key, Text = text, Menu = m.Kind == InboundKind.MenuClick });
            return;
        }
        await forms.ClearAsync(m, ct);
        if (p.Key == CardKeys.Defer) { await deferrals.RequestAsync(m, s, p.CaseNumber!, text, null, ct); return; }
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
                default:
                    var result = ResultOf(key) ?? throw new DomainException($"“{def.Name}”环节没有这个按钮");
                    c.CompleteTask(task.TaskId, result, note, actor, clock);
                    label = key switch
                    {
                        CardKeys.Accept => "已受理",
                        CardKeys.Forward => "已反馈到村",
                        CardKeys.Problem => "已报告问题",
                        CardKeys.NoAnomaly => "已比对无异常",
                        _ => result.ToChinese(),
                    };
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
    /// Tells the farmer who filed the case how it ended. Decisions and reasons go only to a reporter verified as the
    /// household's; anyone else hears that there is a result, to be told in person by the village.
    /// </summary>
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
        CardKeys.Accept or CardKeys.Forward => TaskResult.Done,
        CardKeys.NoAnomaly => TaskResult.NoAnomaly,
        CardKeys.Problem => TaskResult.ProblemFound,
        CardKeys.Qualifies => TaskResult.Qualifies,
        CardKeys.NotQualifies => TaskResult.DoesNotQualify,
        _ => null,
    };

    /// <summary>For text commands: the due-date text of a stage.</summary>
}
