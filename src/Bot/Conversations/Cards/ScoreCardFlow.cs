using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Scoring;

namespace RapidResponse.Bot.Conversations.Cards;

/// <summary>
/// The department's answer to a 佐证核实 card (方城 附件3 ①): 属实 verifies the deduction; 有异议 asks for the reason in chat and
/// sends the contest to the county office, which decides it (POST /api/score-events/{id}/decide).
/// </summary>
public sealed class ScoreCardFlow(BotDb db, Messenger messenger, FormStore forms, CardUpdates updates, TimeProvider time)
{
    public async Task<ActionOutcome> ClickAsync(Inbound m, Staff s, CancellationToken ct)
    {
        var taskId = CardRows.TaskOf(m.TaskId!);
        var e = await db.ScoreEvents.FirstOrDefaultAsync(x => x.TaskId == taskId, ct);
        if (e is null) { messenger.Reply(m, "staff.task_missing"); return new(false, "任务不存在"); }
        if (s.Role != StaffRole.DepartmentOfficer || s.DepartmentCode != e.DepartmentCode)
        { messenger.ReplyText(m, "这条扣分由被扣分部门核实，您不是该部门的账号"); return new(false, "无权办理"); }
        if (e.Status != ScoreStatus.Pending)
        {
            // Already answered (or voided): the clicker's card ends final too.
            updates.FinishFor(s.UserId, m.TaskId!, m.ResponseCode, Label(e));
            return new(false, Label(e));
        }
        if (m.Key == ScoreVerification.ContestKey)
        {
            await forms.SaveAsync(m, NotePrompt.FormName, new NotePrompt { TaskId = m.TaskId!, Key = m.Key, ResponseCode = m.ResponseCode }, ct);
            messenger.Reply(m, "staff.score_ask_reason", new { Reason = e.Reason });
            return new(false, "请在对话中写明异议理由");
        }
        if (m.Key != ScoreVerification.ConfirmKey) return new(false, "无效操作");
        try { ScoreVerification.Confirm(db, e, s.UserId, time.GetUtcNow(), m.MessageId); }
        catch (DomainException x) { messenger.ReplyText(m, x.Message); return new(false, Label(e)); }
        messenger.ReplyText(m, "已确认属实，计入本季度部门评分。");
        // Every holder's card ends final (one card per item, sent to all the department's officers).
        await updates.FinishAsync(taskId, $"已确认属实（{s.Name}）", (m.TaskId!, m.ResponseCode, s.UserId), ct);
        return new(true, "已确认属实");
    }

    /// <summary>The reason written after 有异议.</summary>
    public async Task ContestAsync(Inbound m, Staff s, NotePrompt p, string reason, CancellationToken ct)
    {
        var taskId = CardRows.TaskOf(p.TaskId);
        var e = await db.ScoreEvents.FirstOrDefaultAsync(x => x.TaskId == taskId, ct);
        if (e is null || s.DepartmentCode != e.DepartmentCode) { await forms.ClearAsync(m, ct); messenger.Reply(m, "staff.task_missing"); return; }
        var now = time.GetUtcNow();
        try { ScoreVerification.Contest(db, e, reason, s.UserId, now, m.MessageId); }
        catch (DomainException x)
        {
            // A reason too short keeps the prompt open (the click is not lost); a closed item ends it.
            if (e.Status != ScoreStatus.Pending || now > e.RespondBy) await forms.ClearAsync(m, ct);
            messenger.ReplyText(m, x.Message);
            return;
        }
        await forms.ClearAsync(m, ct);
        await updates.FinishAsync(taskId, $"已提出异议（{s.Name}）", (p.TaskId, p.ResponseCode, s.UserId), ct);
        await TellOfficeAsync(e, s.Name, ct);
        messenger.ReplyText(m, "异议已提交县级办公室裁定；裁定前这条扣分不计分。");
    }

    /// <summary>属实 given in the console instead of on the card: the same domain step, and every holder's card ends final.</summary>
    public async Task ConfirmAsync(ScoreEvent e, Staff s, CancellationToken ct)
    {
        ScoreVerification.Confirm(db, e, s.UserId, time.GetUtcNow());
        if (e.TaskId is { } t) await updates.FinishAsync(t, $"已确认属实（{s.Name}）", null, ct);
    }

    /// <summary>有异议 given in the console: the same domain step (window, reason), the cards end final, the county office is told.</summary>
    public async Task ContestAsync(ScoreEvent e, Staff s, string reason, CancellationToken ct)
    {
        ScoreVerification.Contest(db, e, reason, s.UserId, time.GetUtcNow());
        if (e.TaskId is { } t) await updates.FinishAsync(t, $"已提出异议（{s.Name}）", null, ct);
        await TellOfficeAsync(e, s.Name, ct);
    }

    /// <summary>
    /// The county office voids an item (console or admin API). A pending one (待核实) still has its 佐证核实 card open with
    /// 属实 / 有异议: every holder's card ends on 已作废 (update_template_card through the outbox) and the department is told.
    /// </summary>
    public async Task VoidAsync(ScoreEvent e, string reason, string by, CancellationToken ct)
    {
        var wasPending = e.Status == ScoreStatus.Pending;
        ScoreVerification.Void(db, e, reason, by, time.GetUtcNow());
        if (!wasPending || e.TaskId is not { } t) return;
        await updates.FinishAsync(t, "已作废", null, ct);
        var dept = await db.Departments.AsNoTracking().Where(d => d.Code == e.DepartmentCode).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? e.DepartmentCode;
        var officers = await db.Staff.AsNoTracking().Where(x => x.Active && x.Role == StaffRole.DepartmentOfficer && x.DepartmentCode == e.DepartmentCode)
            .OrderBy(x => x.UserId).Select(x => x.UserId).ToListAsync(ct);
        var model = new
        {
            e.Id, Department = dept, Rule = ScoreRules.Find(e.RuleCode)?.Name ?? e.RuleCode, e.Points, Quarter = QuarterPeriod.Parse(e.Quarter).ToChinese(),
            Reason = Mask.Text(e.Reason), VoidReason = Mask.Text(reason),
        };
        foreach (var u in officers) messenger.ToStaff(u, "staff.score_voided", model);
    }

    private async Task TellOfficeAsync(ScoreEvent e, string by, CancellationToken ct)
    {
        var office = await db.Staff.AsNoTracking().Where(x => x.Active && x.Role == StaffRole.CountyOffice).OrderBy(x => x.UserId).Select(x => x.UserId).ToListAsync(ct);
        var dept = await db.Departments.AsNoTracking().Where(d => d.Code == e.DepartmentCode).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? e.DepartmentCode;
        foreach (var u in office)
            messenger.ToStaff(u, "staff.score_contested", new { Id = e.Id, Department = dept, e.Reason, Contest = e.ContestReason, By = by });
    }

    private static string Label(ScoreEvent e) => e.Status switch
    {
        ScoreStatus.Verified => "已核实",
        ScoreStatus.Contested => "已提出异议",
        ScoreStatus.Voided => "已作废",
        _ => "待核实",
    };
}
