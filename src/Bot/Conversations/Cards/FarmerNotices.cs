using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Conversations.Cards;

/// <summary>
/// Tells the farmer who reported a case what came of it (decision, assistance started, a question). 微信客服 may write only
/// within 48 hours of the farmer's last message (wecom-protocol notes §5.4, §12), and results come days later: outside the
/// window the notice is held for the farmer's next message, and the village's responsible cadre gets a 告知农户结果 card
/// (with the household's phone — only in this 1:1 card) and a 已告知 button; the scheduler nags and escalates it.
/// Farmers who write through the app (WeCom members) have no window.
/// </summary>
public sealed class FarmerNotices(BotDb db, Messenger messenger, WorkingCalendar calendar, TimeProvider time, ILogger<FarmerNotices> log)
{
    public const string TaskPrefix = "FN-";
    public const string ToldKey = "told";

    /// <summary>A window that closes this soon counts as closed: the row could not leave in time.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan KfWindow = TimeSpan.FromHours(48);

    /// <param name="outcome">One line for the cadre's card: what to tell the household.</param>
    public async Task NotifyAsync(Case c, string template, object? model, string outcome, CancellationToken ct)
    {
        if (c.ReporterChannel is not { } channel || c.ReporterId is null) return;
        if (channel != InboundChannel.Kf)
        {
            messenger.ToPerson(channel, c.ReporterId, c.ReporterKfId, template, model);
            return;
        }

        var now = time.GetUtcNow();
        var last = await LastCustomerMessageAsync(c.ReporterId, ct);
        if (last is { } at && now - at < KfWindow - Margin)
        {
            messenger.ToPerson(channel, c.ReporterId, c.ReporterKfId, template, model);
            return;
        }

        messenger.HoldForKf(c.ReporterId, c.ReporterKfId, messenger.Templates.Render(template, model));
        await TaskVillageAsync(c, outcome, ct);
    }

    /// <summary>When the farmer last wrote through 微信客服 (entering the chat does not open the window).</summary>
    public Task<DateTimeOffset?> LastCustomerMessageAsync(string externalUserId, CancellationToken ct)
    {
        var enter = nameof(InboundKind.Enter);
        return db.Inbox.AsNoTracking().Where(x => x.Channel == InboundChannel.Kf && x.SenderId == externalUserId && x.Kind != enter)
            .OrderByDescending(x => x.ReceivedAt).Select(x => (DateTimeOffset?)x.ReceivedAt).FirstOrDefaultAsync(ct);
    }

    private async Task TaskVillageAsync(Case c, string outcome, CancellationToken ct)
    {
        var cadre = await VillageCadreAsync(c, ct);
        if (cadre is null)
        {
            log.LogWarning("Case {Case}: no village cadre to tell the household; the notice waits for the farmer's next message", c.Number);
            return;
        }

        var now = time.GetUtcNow();
        var notice = new FarmerNotice
        {
            CaseId = c.Id, CaseNumber = c.Number, AssigneeId = cadre.UserId, Outcome = outcome, CreatedAt = now,
            TaskId = $"{TaskPrefix}{c.Number}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}",
            // One working day: end of the next working day.
            DueAt = ChinaTime.EndOfDay(calendar.AddWorkingDays(ChinaTime.DateOf(now), 1)),
        };
        db.FarmerNotices.Add(notice);
        var household = c.HouseholdId is { } id ? await db.Households.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, ct) : null;
        var phone = household?.Phone ?? c.ApplicantPhone;
        var name = household?.HeadName ?? c.ApplicantName ?? "申报人";
        messenger.Card([cadre.UserId], new CardBody(notice.TaskId, $"告知农户结果 · {c.Number}",
            "农户超过48小时没有在微信客服发消息，机器人暂时发不出去。请当面或电话告知农户，告知后点“已告知”。",
            [
                new("案件编号", c.Number),
                new("农户", name),
                // Full number only here: a 1:1 card to the cadre of the household's village.
                new("联系电话", string.IsNullOrEmpty(phone) ? "未登记" : phone),
                new("告知内容", Mask.Text(outcome)),
                new("办理期限", DueText.Of(notice.DueAt)),
            ],
            [new(ToldKey, "已告知")]));
        c.RecordEvent(new Actor("bot", "System", null), now, "farmer.notice_held", $"农户微信客服48小时窗口已关闭，结果待农户下次发消息时送达；已请{cadre.Name}告知农户");
    }

    /// <summary>The intake assignee (the village's responsible person), else the village's grid monitor or cadre.</summary>
    private async Task<Staff?> VillageCadreAsync(Case c, CancellationToken ct)
    {
        var intake = c.Stages.Where(s => s.Kind == StageKind.Intake).SelectMany(s => s.Assignments)
            .FirstOrDefault(a => a.AssigneeKind == AssigneeKind.Staff)?.AssigneeId;
        if (intake is not null && await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == intake && s.Active, ct) is { } s) return s;
        return await db.Staff.AsNoTracking().Where(x => x.RegionCode == c.VillageCode && x.Active && (x.Role == StaffRole.GridMonitor || x.Role == StaffRole.VillageCadre))
            .OrderBy(x => x.Role).ThenBy(x => x.UserId).FirstOrDefaultAsync(ct);
    }

    /// <summary>已告知 on the card: the notice is done, audited; every copy of the card ends final.</summary>
    public async Task<ActionOutcome> ToldAsync(Inbound m, Staff s, CardUpdates updates, CancellationToken ct)
    {
        var n = await db.FarmerNotices.FirstOrDefaultAsync(x => x.TaskId == m.TaskId, ct);
        if (n is null) { messenger.Reply(m, "staff.task_missing"); return ActionOutcome.NotDone; }
        if (n.AssigneeId != s.UserId && s.Role != StaffRole.CountyOffice)
        {
            messenger.ReplyText(m, $"这项告知任务交给了村里的负责人，不由您办理（案件{n.CaseNumber}）");
            return ActionOutcome.NotDone;
        }

        if (n.ToldAt is not null)
        {
            updates.FinishFor(s.UserId, m.TaskId!, m.ResponseCode, "已告知");
            return new(false, "已告知");
        }

        n.ToldAt = time.GetUtcNow();
        n.ToldBy = s.UserId;
        db.AuditEvents.Add(new Domain.Audit.AuditEvent
        {
            CaseId = n.CaseId, At = n.ToldAt.Value, Actor = s.UserId, ActorRole = s.Role.ToString(), SourceMessageId = m.MessageId,
            Action = "farmer.told", Detail = $"已当面或电话告知农户：{Mask.Text(n.Outcome)}",
        });
        await updates.FinishAsync(n.TaskId, $"已告知（{s.Name}）", (m.TaskId!, m.ResponseCode, s.UserId), ct);
        messenger.Reply(m, "staff.farmer_told", new { Number = n.CaseNumber });
        return new(true, "已告知");
    }
}
