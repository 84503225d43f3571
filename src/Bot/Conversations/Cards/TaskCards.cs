using System.Globalization;
using Humanizer;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Bot.Conversations.Cards;

/// <summary>Button keys on task cards; the key is what a click sends back.</summary>
public static class CardKeys
{
    public const string Accept = "accept";
    /// <summary>无效/重复线索 on the intake card (asks for the reason in chat).</summary>
    public const string Invalid = "invalid";
    public const string NoAnomaly = "no_anomaly";
    public const string Problem = "problem";
    public const string Forward = "forward";
    public const string Qualifies = "qualifies";
    public const string NotQualifies = "not_qualifies";
    public const string StartAssistance = "start_assistance";
    public const string Visit = "visit";
    public const string Defer = "defer";
    public const string NoticeDone = "notice_done";
    public const string ProposeElimination = "propose_elimination";
    public const string ApproveElimination = "approve_elimination";
    public const string DeclineElimination = "decline_elimination";
    public const string Reported = "reported";
    public const string Implemented = "implemented";
    public const string ReferDepartment = "refer_department";
    public const string DepartmentReply = "department_reply";
    /// <summary>问题已销号 (丰都 第五步 限时清零).</summary>
    public const string Cleared = "cleared";
    public const string ApproveDeferral = "approve_deferral";
    public const string DeclineDeferral = "decline_deferral";
    public const string ConfirmAlert = "confirm_alert";
    public const string CancelAlert = "cancel_alert";
}

/// <summary>Builds and sends the task card of each assignment of a started stage (button_interaction cards).</summary>
public sealed class TaskCards(BotDb db, Messenger messenger, TimeProvider time, WorkingCalendar calendar)
{
    private static readonly CultureInfo Zh = CultureInfo.GetCultureInfo("zh-CN");
    // Per scope (one message, one import): a list of thousands of cases in a few villages reads each name once.
    private readonly Dictionary<string, string> _villageNames = new(StringComparer.Ordinal);

    /// <summary>
    /// Set by a bulk operation in one transaction (a department list import): households and department officers come
    /// from it instead of a query per card. Null (the default) reads the database each time.
    /// </summary>
    public RosterSnapshot? Snapshot { get; set; }

    /// <summary>Buttons of a stage: its results, plus a deferral request where the stage has a deadline.</summary>
    public static IReadOnlyList<CardButton> ButtonsFor(StageKind kind, bool hasDeadline, bool notice = false)
    {
        List<CardButton> b = kind switch
        {
            StageKind.Intake => [new(CardKeys.Accept, "受理"), new(CardKeys.Invalid, "无效/重复线索", 2)],
            StageKind.Comparison => [new(CardKeys.NoAnomaly, "比对无异常"), new(CardKeys.Problem, "发现问题", 2)],
            StageKind.ForwardToVillage => [new(CardKeys.Forward, "已反馈到村")],
            StageKind.HouseholdCheck => [new(CardKeys.Qualifies, "核查符合"), new(CardKeys.NotQualifies, "核查不符合", 2)],
            StageKind.Decision => [new(CardKeys.Qualifies, "认定符合"), new(CardKeys.NotQualifies, "认定不符合", 2)],
            StageKind.AssistanceStart => [new(CardKeys.StartAssistance, "启动帮扶")],
            StageKind.Tracking => [new(CardKeys.Visit, "记录走访"), new(CardKeys.ProposeElimination, "申请风险消除", 2)],
            StageKind.Appraisal => [new(CardKeys.Qualifies, "评议通过"), new(CardKeys.NotQualifies, "评议不通过", 2)],
            StageKind.VillageNotice => [new(CardKeys.NoticeDone, "公示期满无异议"), new(CardKeys.NotQualifies, "经核实不符合", 2)],
            StageKind.TownshipNotice => [new(CardKeys.NoticeDone, "审定通过，公示期满"), new(CardKeys.NotQualifies, "审定不符合", 2)],
            StageKind.EliminationAppraisal => [new(CardKeys.ApproveElimination, "评议通过"), new(CardKeys.DeclineElimination, "评议不通过", 2)],
            StageKind.EliminationVillageNotice => [new(CardKeys.ApproveElimination, "公示期满无异议"), new(CardKeys.DeclineElimination, "有异议，继续帮扶", 2)],
            StageKind.EliminationReview when notice => [new(CardKeys.ApproveElimination, "审定通过，公示期满"), new(CardKeys.DeclineElimination, "不同意", 2)],
            StageKind.EliminationReview or StageKind.EliminationConfirmation =>
                [new(CardKeys.ApproveElimination, "同意风险消除"), new(CardKeys.DeclineElimination, "不同意", 2)],
            StageKind.CountyForward => [new(CardKeys.Forward, "已反馈乡镇")],
            StageKind.ProblemClearance => [new(CardKeys.Cleared, "问题已解决，销号")],
            StageKind.SeriousRiskReport => [new(CardKeys.Reported, "已告知县级")],
            StageKind.Implementation => [new(CardKeys.Implemented, "乡镇已落实"), new(CardKeys.ReferDepartment, "已报县级部门审批", 2)],
            StageKind.DepartmentReply => [new(CardKeys.DepartmentReply, "作出答复")],
            _ => [],
        };
        if (hasDeadline) b.Add(new(CardKeys.Defer, "申请延期", 2));
        return b;
    }

    /// <summary>
    /// Sends the card of every open assignment of the stage: one send per task to all its holders (a department's officers
    /// share one task_id; WeCom refuses a task_id sent twice, 42014).
    /// </summary>
    public async Task SendAsync(Case c, CaseStage stage, TimelineProfile profile, CancellationToken ct = default)
    {
        var card = await BuildAsync(c, stage, profile, ct);
        foreach (var a in stage.Assignments.Where(a => a.IsOpen))
            messenger.Card(await HoldersAsync(a, ct), card with { TaskId = a.TaskId });
    }

    /// <summary>
    /// Officers added to a department after its open tasks were carded get a fresh card of each (a new task_id,
    /// <c>{task}@{n}</c>): a sent card cannot gain holders. Returns how many cards were written.
    /// </summary>
    public async Task<int> SendToNewHoldersAsync(Func<Case, TimelineProfile> profileOf, Func<string, CancellationToken, Task<Case?>> load, CancellationToken ct = default)
    {
        var open = await db.Assignments.AsNoTracking().Where(a => a.CompletedAt == null && a.AssigneeKind == AssigneeKind.Department && a.Stage!.CompletedAt == null)
            .Select(a => new { a.TaskId, Department = a.AssigneeId, a.EscalatedTo, Number = a.Stage!.Case!.Number }).ToListAsync(ct);
        if (open.Count == 0) return 0;

        // Who already holds a card of each open task: its first send ("card:{task}") and any later one ("card:{task}@{n}").
        var keys = open.Select(a => CardRows.DedupeKey(a.TaskId)).ToList();
        var cards = await db.Outbox.AsNoTracking()
            .Where(o => o.Kind == OutboundKind.Card && o.DedupeKey != null && (keys.Contains(o.DedupeKey) || (o.DedupeKey.StartsWith(CardRows.Prefix) && o.DedupeKey.Contains("@"))))
            .Select(o => new { o.DedupeKey, o.Recipient }).ToListAsync(ct);
        var sentBy = cards.GroupBy(o => CardRows.TaskOf(o.DedupeKey![CardRows.Prefix.Length..]))
            .ToDictionary(g => g.Key, g => (Count: g.Count(), Had: g.SelectMany(o => o.Recipient.Split('|')).ToHashSet(StringComparer.OrdinalIgnoreCase)));

        // Only the cases with a carded task whose department now has an officer the card did not reach are loaded.
        var departments = open.Select(a => a.Department).Distinct().ToList();
        var officers = Snapshot is null
            ? (await db.Staff.AsNoTracking().Where(s => s.Active && s.Role == StaffRole.DepartmentOfficer && s.DepartmentCode != null && departments.Contains(s.DepartmentCode))
                    .Select(s => new { s.DepartmentCode, s.UserId }).ToListAsync(ct))
                .GroupBy(s => s.DepartmentCode!).ToDictionary(g => g.Key, g => g.Select(s => s.UserId).ToList())
            : departments.ToDictionary(d => d, d => Snapshot.OfficersOf(d).ToList());
        var due = open.Where(a => sentBy.TryGetValue(a.TaskId, out var sent)
                && officers.GetValueOrDefault(a.Department, []).Append(a.EscalatedTo).OfType<string>().Any(u => !sent.Had.Contains(u)))
            .ToList();
        var written = 0;
        foreach (var group in due.GroupBy(x => x.Number))
        {
            var c = await load(group.Key, ct);
            if (c is null || !c.IsOpen) continue;
            var tasks = group.Select(a => a.TaskId).ToHashSet(StringComparer.Ordinal);
            foreach (var stage in c.Stages.Where(s => s.IsOpen))
            {
                CardBody? card = null;
                foreach (var a in stage.Assignments.Where(a => a.IsOpen && a.AssigneeKind == AssigneeKind.Department && tasks.Contains(a.TaskId)))
                {
                    var sent = sentBy[a.TaskId];
                    var fresh = (await HoldersAsync(a, ct)).Where(u => !sent.Had.Contains(u)).ToList();
                    if (fresh.Count == 0) continue;
                    card ??= await BuildAsync(c, stage, profileOf(c), ct);
                    messenger.Card(fresh, card with { TaskId = $"{a.TaskId}@{sent.Count + 1}" });
                    written++;
                }
            }
        }

        return written;
    }

    /// <summary>
    /// The WeCom userids holding an assignment: a department's officers for a department task, and the person one level
    /// up when the task moved because nobody could be reached (<see cref="StageAssignment.EscalatedTo"/>).
    /// </summary>
    public async Task<IReadOnlyList<string>> HoldersAsync(StageAssignment a, CancellationToken ct = default)
    {
        IReadOnlyList<string> own = a.AssigneeKind == AssigneeKind.Staff
            ? [a.AssigneeId]
            : Snapshot is { } snapshot ? snapshot.OfficersOf(a.AssigneeId)
            : await db.Staff.AsNoTracking().Where(s => s.DepartmentCode == a.AssigneeId && s.Active && s.Role == StaffRole.DepartmentOfficer)
                .OrderBy(s => s.UserId).Select(s => s.UserId).ToListAsync(ct);
        return a.EscalatedTo is { } up && !own.Contains(up) ? [.. own, up] : own;
    }

    public async Task<CardBody> BuildAsync(Case c, CaseStage stage, TimelineProfile profile, CancellationToken ct = default)
    {
        var def = profile.Stage(stage.Kind);
        var household = c.HouseholdId is { } id
            ? Snapshot?.Household(id) ?? await db.Households.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, ct)
            : null;
        if (!_villageNames.TryGetValue(c.VillageCode, out var village))
            _villageNames[c.VillageCode] = village = await db.Regions.AsNoTracking().Where(r => r.Code == c.VillageCode).Select(r => r.Name).FirstOrDefaultAsync(ct) ?? c.VillageCode;
        var who = household is not null
            ? $"{household.HeadName}（{Mask.IdNumber(household.IdNumber)}）"
            : $"{c.ApplicantName ?? "未登记"}（{Mask.IdNumber(c.ApplicantIdNumber)}）";
        // The cadre checks in person who is behind a report the bot could not tie to a roster household.
        if (c.Channel == Channel.SelfReport && !c.ReporterVerified) who += "，申报人身份未核对";
        var fields = new List<CardField>
        {
            new("案件编号", c.Number),
            new("农户", who),
            new("所在村", village),
            new("困难类型", string.Join("、", c.RiskTypes)),
            new("办理事项", def.Action ?? def.Name),
        };
        if (c.NoticeEndsAt(stage, new CaseClock(profile, calendar, time.GetUtcNow())) is { } ends)
            fields.Add(new("公示期", $"{DueText.Of(ends).Replace("前", "")}期满（{def.Notice!.Describe()}）"));
        // The roster could not staff part of the stage: the county office holds it and is told what to fix.
        if (CaseWorkflow.GapsOf(c, stage) is { } gaps) fields.Add(new("待县级办公室处理", $"{gaps}。请补录花名册后转办，或代为办理"));
        if (stage.DueAt is { } due) fields.Add(new("办理期限", $"{DueText.Of(due)}（{Remaining(due, time.GetUtcNow())}）"));
        if (c.Severity == Severity.Serious) fields.Add(new("程度", "严重"));
        // 丰都 第五步: the class chosen at the report sets the clearance limit; shown wherever the profile keeps that step.
        if (profile.Has(StageKind.ProblemClearance))
            fields.Add(new("问题类别", $"{c.ProblemClass.ToChinese()}（{profile.Stage(StageKind.ProblemClearance).DeadlineFor(c.ProblemClass).Describe()}内销号）"));
        // 丰都 第五步: such a household is not marked risk-eliminated; the card says so before anyone proposes it.
        if (household?.NoLabourCapacity == true) fields.Add(new("劳动能力", "整户无劳动能力（含低保、特困），暂不消除风险"));
        if (TimelineProfile.EliminationKinds.Contains(stage.Kind))
        {
            fields.Add(new("消除依据", Mask.Text(Truncate(c.EliminationReason ?? "", 60))));
            fields.Add(new("知情同意", $"{Mask.Text(c.ConsentBy ?? "")}，{(c.ConsentAt is { } at ? ChinaTime.ToLocal(at).ToString("M月d日") : "")}，{Mask.Text(c.ConsentHow ?? "")}"));
        }
        return new CardBody(stage.Assignments.FirstOrDefault()?.TaskId ?? c.Number, $"{def.Name}任务 · {c.Number}",
            Mask.Text(Truncate(c.Description, 60)), fields, ButtonsFor(stage.Kind, stage.DueAt is not null, def.Notice is not null),
            stage.DueAt is null ? null : Remaining(stage.DueAt.Value, time.GetUtcNow()), "距办理期限");
    }

    /// <summary>"还剩2天" / "已逾期3小时" in Chinese (Humanizer zh-CN).</summary>
    public static string Remaining(DateTimeOffset due, DateTimeOffset now)
    {
        var left = due - now;
        var span = left.Duration();
        var text = span < TimeSpan.FromMinutes(1) ? "不到1分钟"
            // Humanizer zh-CN says "2 天, 30 分"; written Chinese runs them together: "2天30分钟".
            : System.Text.RegularExpressions.Regex.Replace(
                span.Humanize(2, Zh, minUnit: Humanizer.TimeUnit.Minute, maxUnit: Humanizer.TimeUnit.Day, collectionSeparator: ""), @"\s+", "")
                .Replace(",", "").Replace("分", "分钟").Replace("分钟钟", "分钟");
        return left >= TimeSpan.Zero ? $"还剩{text}" : $"已逾期{text}";
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
