using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations.Access;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Conversations.Cards;

/// <summary>Deferral (延期): a request with a reason, carded one level up to approve or decline; approval moves the deadline (audited).</summary>
public sealed class DeferralFlow(BotDb db, CaseWorkflow workflow, Jurisdiction access, Messenger messenger, CardUpdates updates, ConversationOptions options)
{
    public const string TaskPrefix = "DEF-";

    public async Task RequestAsync(Inbound m, Staff s, string caseNumber, string reason, int? days, CancellationToken ct)
    {
        var c = await workflow.LoadAsync(caseNumber, ct);
        if (c is null) { messenger.Reply(m, "staff.case_missing", new { Number = caseNumber }); return; }
        var stage = c.CurrentStage;
        if (stage?.DueAt is null) { messenger.ReplyText(m, $"案件{c.Number}目前没有限时环节，不需要延期"); return; }
        var def = workflow.ClockFor(c).Profile.Stage(stage.Kind);
        var task = stage.Assignments.FirstOrDefault(a => Jurisdiction.IsHolder(s, a)) ?? stage.Assignments.First();
        var allowed = await access.CanAct(s, c, task, def, ct);
        if (!allowed.Allowed) { messenger.ReplyText(m, allowed.Reason); return; }
        if (await db.DeferralRequests.AnyAsync(d => d.StageId == stage.Id && d.Status == DeferralStatus.Pending, ct))
        { messenger.ReplyText(m, $"案件{c.Number}“{def.Name}”已经有一个延期申请在等待审批"); return; }
        var approvers = await access.DeferralApprovers(c, def, s.UserId, ct);
        if (approvers.Count == 0) { messenger.ReplyText(m, "没有找到能审批延期的上一级人员（申请人本人不能审批），请联系县级办公室登记花名册"); return; }
        var request = new DeferralRequest
        {
            CaseNumber = c.Number, StageId = stage.Id, RequestedBy = s.UserId, Reason = reason,
            Days = days ?? options.DefaultDeferralDays, ApproverIds = [.. approvers],
            TaskId = $"{TaskPrefix}{c.Number}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}",
            RequestedAt = workflow.ClockFor(c).Now,
        };
        db.DeferralRequests.Add(request);
        c.RecordEvent(new Actor(s.UserId, s.Role.ToString(), m.MessageId), request.RequestedAt, "deferral.requested", $"{def.Name}申请延期{request.Days}个工作日：{Domain.Privacy.Mask.Text(reason)}");
        var card = new CardBody(request.TaskId, $"延期申请 · {c.Number}", Domain.Privacy.Mask.Text(reason),
            [new("案件编号", c.Number), new("环节", def.Name), new("申请人", s.Name), new("原期限", DueText.Of(stage.DueAt)), new("申请延期", $"{request.Days}个工作日")],
            [new(CardKeys.ApproveDeferral, "同意延期"), new(CardKeys.DeclineDeferral, "不同意", 2)]);
        messenger.Card([.. approvers], card);
        messenger.Reply(m, "staff.deferral_requested", new { c.Number, Stage = def.Name, request.Days });
    }

    public async Task<ActionOutcome> DecideAsync(Inbound m, Staff s, CancellationToken ct)
    {
        var r = await db.DeferralRequests.FirstOrDefaultAsync(x => x.TaskId == m.TaskId, ct);
        if (r is null) { messenger.Reply(m, "staff.task_missing"); return ActionOutcome.NotDone; }
        // Checked before the approver list: a request never approves itself, whatever list it was carded to.
        if (r.RequestedBy == s.UserId) { messenger.ReplyText(m, "不能审批自己提出的延期申请，请由上一级人员审批"); return ActionOutcome.NotDone; }
        if (!r.ApproverIds.Contains(s.UserId)) { messenger.ReplyText(m, "这份延期申请不由您审批"); return ActionOutcome.NotDone; }
        if (r.Status != DeferralStatus.Pending)
        {
            var done = r.Status == DeferralStatus.Approved ? "已同意延期" : "已不同意";
            updates.FinishFor(s.UserId, m.TaskId!, m.ResponseCode, done);
            return new(false, done);
        }
        var c = (await workflow.LoadAsync(r.CaseNumber, ct))!;
        var clock = workflow.ClockFor(c);
        var actor = new Actor(s.UserId, s.Role.ToString(), m.MessageId);
        var stage = c.Stages.FirstOrDefault(x => x.Id == r.StageId);
        r.DecidedBy = s.UserId;
        r.DecidedAt = clock.Now;
        if (m.Key == CardKeys.ApproveDeferral && stage is { IsOpen: true, DueAt: { } due })
        {
            var newDue = ChinaTime.EndOfDay(clock.Calendar.AddWorkingDays(ChinaTime.DateOf(due), r.Days));
            c.Defer(newDue, r.Reason, actor, clock);
            r.Status = DeferralStatus.Approved;
            messenger.ToStaff(r.RequestedBy, "staff.deferral_approved", new { c.Number, Due = DueText.Of(newDue), By = s.Name });
            await updates.FinishAsync(r.TaskId, $"已同意延期（{s.Name}）", (m.TaskId!, m.ResponseCode, s.UserId), ct);
            return new(true, "已同意延期");
        }
        r.Status = DeferralStatus.Declined;
        c.RecordEvent(actor, clock.Now, "deferral.declined", $"不同意延期：{r.CaseNumber}");
        messenger.ToStaff(r.RequestedBy, "staff.deferral_declined", new { c.Number, By = s.Name });
        await updates.FinishAsync(r.TaskId, $"已不同意（{s.Name}）", (m.TaskId!, m.ResponseCode, s.UserId), ct);
        return new(true, "已不同意");
    }
}
