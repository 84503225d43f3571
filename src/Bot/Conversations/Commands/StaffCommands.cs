using RapidResponse.Domain.Calendar;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations.Access;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Domain;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Bot.Conversations.Commands;

/// <summary>
/// Text commands of cadres and officers: 我的任务, 案件 &lt;编号&gt;, 走访 &lt;编号&gt; &lt;情况&gt;, 延期 &lt;编号&gt; [N天] &lt;原因&gt;,
/// 消除 &lt;编号&gt; &lt;理由&gt; [知情同意：谁 [日期] 方式], 重开 &lt;编号&gt; &lt;理由&gt; and 约谈 &lt;编号/单位&gt; 已约谈 … (county office),
/// 材料 &lt;编号&gt;, 月报, 急报, 帮助.
/// </summary>
public sealed partial class StaffCommands(BotDb db, CaseWorkflow workflow, Jurisdiction access, Messenger messenger, DeferralFlow deferrals, TaskCards cards,
    ProfileRegistry profiles, Domain.Calendar.WorkingCalendar calendar, TimeProvider time, EliminationFlow eliminations, Evidence.EvidenceCommand evidence)
{
    public async Task<bool> TryHandleAsync(Inbound m, Staff s, CancellationToken ct)
    {
        var text = (m.Text ?? "").Trim();
        if (text is "我的任务" or "任务" or "待办") { await MyTasks(m, s, ct); return true; }
        if (text is "帮助" or "菜单" or "?" or "？") { messenger.Reply(m, "staff.help", new { Role = Jurisdiction.RoleName(s.Role) }); return true; }
        if (text.StartsWith("月报", StringComparison.Ordinal)) { await MonthlyReport(m, s, text[2..].Trim(), ct); return true; }
        if (text.StartsWith("急报", StringComparison.Ordinal)) { await Emergency(m, s, text[2..].Trim(), ct); return true; }
        if (text.StartsWith("约谈", StringComparison.Ordinal)) { await Interview(m, s, text[2..].Trim(), ct); return true; }
        var match = CommandRe().Match(text);
        if (!match.Success) return false;
        var verb = match.Groups[1].Value;
        var number = match.Groups[2].Value.ToUpperInvariant();
        var rest = match.Groups[3].Value.Trim();
        switch (verb)
        {
            case "案件": await ShowCase(m, s, number, ct); return true;
            case "材料": await evidence.SendAsync(m, s, number, ct); return true;
            case "走访": await Visit(m, s, number, rest, ct); return true;
            case "消除": await eliminations.ProposeAsync(m, s, number, rest, ct); return true;
            case "重开": await Reopen(m, s, number, rest, ct); return true;
            default:
                var days = DaysRe().Match(rest);
                int? n = days.Success ? int.Parse(days.Groups[1].Value) : null;
                var reason = days.Success ? rest[days.Length..].Trim() : rest;
                if (reason.Length < 2) { messenger.Reply(m, "staff.deferral_usage"); return true; }
                await deferrals.RequestAsync(m, s, number, reason, n is > 0 and <= 30 ? n : null, ct);
                return true;
        }
    }

    /// <summary>
    /// Words that are a command or a menu item, not a note: what <see cref="TryHandleAsync"/> acts on, a bare 案件/走访/延期,
    /// and the farmer words 申报/进度. A note ("走访时户主不在家") is not a command unless a case number follows the verb.
    /// </summary>
    public static bool IsCommand(string text)
    {
        var t = text.Trim();
        return t is "我的任务" or "任务" or "待办" or "帮助" or "菜单" or "?" or "？" or "案件" or "走访" or "延期" or "重开" or "材料" or "月报" or "约谈" or "申报" or "进度"
               || CommandRe().IsMatch(t) || MonthlyRe().IsMatch(t);
    }

    /// <summary>"案件" / "走访" / "延期" without a valid number: usage help.</summary>
    public static bool LooksLikeCommand(string text) => UsageRe().IsMatch(text.Trim());

    private async Task MyTasks(Inbound m, Staff s, CancellationToken ct)
    {
        var mine = db.Assignments.AsNoTracking().Where(a => a.CompletedAt == null && a.Stage!.CompletedAt == null);
        mine = s.Role == StaffRole.DepartmentOfficer && s.DepartmentCode is { } dept
            ? mine.Where(a => a.AssigneeKind == AssigneeKind.Department && a.AssigneeId == dept)
            : mine.Where(a => a.AssigneeKind == AssigneeKind.Staff && a.AssigneeId == s.UserId);
        var rows = await mine.OrderBy(a => a.Stage!.DueAt).Select(a => new { a.Stage!.Case!.Number, a.Stage.Kind, a.Stage.DueAt, a.Stage.Case.ProfileName, a.Stage.Case.ProfileVersion })
            .Take(200).ToListAsync(ct);
        var now = time.GetUtcNow();
        var items = rows.OrderBy(r => r.DueAt ?? DateTimeOffset.MaxValue).Take(20)
            .Select(r => new { r.Number, Stage = StageName(r.Kind, r.ProfileName, r.ProfileVersion), Due = DueText.Of(r.DueAt), Left = r.DueAt is { } d ? TaskCards.Remaining(d, now) : "" }).ToList();
        messenger.Reply(m, "staff.my_tasks", new { Items = items, Total = rows.Count });
    }

    private string StageName(StageKind kind, string profile, int version) => profiles.Get(profile, version).NameOf(kind);

    private async Task ShowCase(Inbound m, Staff s, string number, CancellationToken ct)
    {
        var c = await workflow.LoadAsync(number, ct);
        if (c is null) { messenger.Reply(m, "staff.case_missing", new { Number = number }); return; }
        var may = await access.CanView(s, c, ct);
        if (!may.Allowed) { messenger.ReplyText(m, may.Reason); return; }
        var clock = workflow.ClockFor(c);
        var household = c.HouseholdId is { } id ? await db.Households.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, ct) : null;
        messenger.Reply(m, "staff.case_detail", new
        {
            c.Number,
            Channel = c.Channel.ToChinese(),
            Who = household is not null ? $"{household.HeadName}（{Mask.IdNumber(household.IdNumber)}）" : $"{c.ApplicantName}（{Mask.IdNumber(c.ApplicantIdNumber)}）",
            RiskTypes = string.Join("、", c.RiskTypes),
            Description = Mask.Text(c.Description),
            Status = c.IsOpen ? $"{clock.Profile.Stage(c.CurrentStage?.Kind ?? StageKind.Intake).Name}中" : c.Outcome.ToChinese(),
            Stages = c.Stages.OrderBy(x => x.Sequence).Select(x => new
            {
                Name = clock.Profile.Stage(x.Kind).Name,
                Due = x.DueAt is null && c.NoticeEndsAt(x, clock) is { } ends ? $"公示至{DueText.Of(ends).Replace("前", "")}" : DueText.Of(x.DueAt),
                Done = x.CompletedAt is null ? (x.IsOverdue(clock.Now) ? "已逾期" : "办理中") : (x.CompletedLate ? "逾期完成" : "按时完成"),
            }).ToList(),
        });
    }

    private async Task Visit(Inbound m, Staff s, string number, string note, CancellationToken ct)
    {
        var c = await workflow.LoadAsync(number, ct);
        if (c is null) { messenger.Reply(m, "staff.case_missing", new { Number = number }); return; }
        var may = await access.CanRecordVisit(s, c, ct);
        if (!may.Allowed) { messenger.ReplyText(m, may.Reason); return; }
        var clock = workflow.ClockFor(c);
        try { c.RecordVisit(note, new Actor(s.UserId, s.Role.ToString(), m.MessageId), clock); }
        catch (DomainException e) { messenger.ReplyText(m, e.Message); return; }
        var next = await workflow.AdvanceAsync(c, new Actor(s.UserId, s.Role.ToString(), m.MessageId), ct);
        if (next is not null) await cards.SendAsync(c, next, clock.Profile, ct);
        messenger.Reply(m, "staff.visit_recorded", new { c.Number, Next = next?.DueAt is { } d ? DueText.Of(d) : null });
    }

    /// <summary>"重开 编号 理由": the county office takes back a clue set aside as invalid or repeated; intake starts again.</summary>
    private async Task Reopen(Inbound m, Staff s, string number, string reason, CancellationToken ct)
    {
        if (s.Role != StaffRole.CountyOffice) { messenger.ReplyText(m, $"重开案件由县级办公室办理（您是{Jurisdiction.RoleName(s.Role)}）。如需重开，请联系县级办公室"); return; }
        var c = await workflow.LoadAsync(number, ct);
        if (c is null) { messenger.Reply(m, "staff.case_missing", new { Number = number }); return; }
        var may = await access.CanView(s, c, ct);
        if (!may.Allowed) { messenger.ReplyText(m, may.Reason); return; }
        if (reason.Length < 2) { messenger.Reply(m, "staff.reopen_usage"); return; }
        if (c.HouseholdId is { } h && await db.Cases.AsNoTracking().Where(x => x.HouseholdId == h && x.State != CaseState.Closed && x.Id != c.Id)
                .Select(x => x.Number).FirstOrDefaultAsync(ct) is { } other)
        { messenger.ReplyText(m, $"该户已有正在办理的案件{other}，请在那个案件中一并办理，不需要重开{c.Number}"); return; }
        var actor = new Actor(s.UserId, s.Role.ToString(), m.MessageId);
        CaseStage intake;
        try { intake = await workflow.ReopenAsync(c, reason, actor, ct); }
        catch (DomainException e) { messenger.ReplyText(m, e.Message); return; }
        var clock = workflow.ClockFor(c);
        await cards.SendAsync(c, intake, clock.Profile, ct);
        messenger.Reply(m, "staff.case_reopened", new { c.Number, Due = DueText.Of(intake.DueAt), Assignees = string.Join("、", intake.Assignments.Select(a => a.AssigneeId)) });
    }

    /// <summary>"月报 [2026-10] 内容": a department's monthly self-check report (方城: by the 5th of the next month).</summary>
    private async Task MonthlyReport(Inbound m, Staff s, string rest, CancellationToken ct)
    {
        if (s.Role != StaffRole.DepartmentOfficer || s.DepartmentCode is null) { messenger.ReplyText(m, "月报由行业部门报送，您的账号不是部门账号"); return; }
        var now = time.GetUtcNow();
        var period = PeriodRe().Match(rest);
        // Without a month, the report is for last month (it is due by the 5th of this month).
        var month = period.Success ? period.Value : Domain.Calendar.ChinaTime.DateOf(now).AddMonths(-1).ToString("yyyy-MM");
        var content = period.Success ? rest[period.Length..].Trim() : rest;
        try
        {
            var r = await Domain.Reports.DepartmentReports.SubmitAsync(db, s.DepartmentCode, month, s.UserId, content, now, ct);
            messenger.Reply(m, "staff.report_received", new { Period = month, r.Replaced, r.Late, Due = DueText.Of(r.DueAt) });
        }
        catch (DomainException e) { messenger.ReplyText(m, e.Message); }
    }

    /// <summary>
    /// "急报 11月2日14:30 情况": an emergency report to the 5+2 office (方城 二(二)1), due within 48 hours of the event (附件3 ①).
    /// The county office is told at once; a department's report after 48 hours creates the −3 item as 待核实 with its card.
    /// </summary>
    private async Task Emergency(Inbound m, Staff s, string rest, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!Domain.Reports.EmergencyReports.TryParse(rest, now, out var eventAt, out var situation, out var problem)) { messenger.ReplyText(m, problem!); return; }
        Domain.Reports.EmergencyReport r;
        try { r = Domain.Reports.EmergencyReports.Submit(db, calendar, s, eventAt, situation, now, m.MessageId); }
        catch (DomainException e) { messenger.ReplyText(m, e.Message); return; }
        var unit = r.UnitKind == "department"
            ? await db.Departments.AsNoTracking().Where(d => d.Code == r.UnitCode).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? r.UnitCode
            : await db.Regions.AsNoTracking().Where(x => x.Code == r.UnitCode).Select(x => x.Name).FirstOrDefaultAsync(ct) ?? r.UnitCode;
        var hours = (int)Math.Floor((now - eventAt).TotalHours);
        var model = new
        {
            Unit = unit, Reporter = s.Name, Event = Domain.Calendar.ChinaTime.ToLocal(eventAt).ToString("M月d日HH:mm"), Hours = hours, r.Late,
            Text = r.Text, Deducted = r.ScoreEvent is not null,
        };
        var office = await db.Staff.AsNoTracking().Where(x => x.Active && x.Role == StaffRole.CountyOffice).OrderBy(x => x.UserId).Select(x => x.UserId).ToListAsync(ct);
        foreach (var u in office) messenger.ToStaff(u, "staff.emergency_office", model);
        if (r.ScoreEvent is { } item) await Domain.Scoring.ScoreVerification.QueueCardsAsync(db, item, now, ct);
        messenger.Reply(m, "staff.emergency_received", model);
    }

    [GeneratedRegex(@"^\d{4}-\d{1,2}")] private static partial Regex PeriodRe();
    [GeneratedRegex(@"^月报(\s|\d)")] private static partial Regex MonthlyRe();
    [GeneratedRegex(@"^(案件|材料|走访|延期|消除|重开)\s*([A-Za-z]{1,6}-\d{4}-\d{6})\s*(.*)$", RegexOptions.Singleline)] private static partial Regex CommandRe();
    [GeneratedRegex(@"^(案件|材料|走访|延期|消除|重开)")] private static partial Regex UsageRe();
    [GeneratedRegex(@"^(\d{1,2})\s*(个工作日|天|日)?")] private static partial Regex DaysRe();
}
