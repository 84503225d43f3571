using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Scoring;

/// <summary>
/// 佐证核实 of a deduction (方城 附件3 ①: “相关单位限期两天内对反馈问题进行佐证核实，经核实属实的问题计入问题条数，否则不计入”).
/// A deduction starts 待核实 with a card to the department; within 2 working days it confirms or contests with a reason; the
/// county office decides a contest; silence past the 2 days counts as confirmed (the item was fed back and not disputed).
/// The county office may void any item. Every step is audited. Changes tracked entities only; the caller saves.
/// </summary>
public static class ScoreVerification
{
    public const string TaskPrefix = "SCORE-";
    public const string ConfirmKey = "score_confirm";
    public const string ContestKey = "score_contest";
    /// <summary>“限期两天内”, read as 2 working days (as the profiles read 丰都's “1天”).</summary>
    public const int RespondWorkingDays = 2;

    /// <summary>A new deduction waiting for the department's check (bonuses are verified when entered).</summary>
    public static ScoreEvent NewItem(string dept, QuarterPeriod quarter, ScoreRule rule, string reason, string enteredBy, DateTimeOffset now,
        WorkingCalendar calendar, string? sourceKey = null, string? caseNumber = null)
    {
        var e = new ScoreEvent
        {
            DepartmentCode = dept, Quarter = quarter.ToString(), RuleCode = rule.Code, Points = rule.Points, Reason = reason,
            EnteredBy = enteredBy, At = now, SourceKey = sourceKey, CaseNumber = caseNumber,
        };
        if (rule.IsDeduction)
        {
            e.Status = ScoreStatus.Pending;
            e.RespondBy = ChinaTime.EndOfDay(calendar.AddWorkingDays(ChinaTime.DateOf(now), RespondWorkingDays));
            e.TaskId = $"{TaskPrefix}{Guid.NewGuid():N}"[..(TaskPrefix.Length + 16)];
        }
        else
        {
            e.Status = ScoreStatus.Verified;
            e.VerifiedAt = now;
            e.VerifiedHow = "entered";
        }
        return e;
    }

    /// <summary>The 佐证核实 card a department gets for a pending deduction.</summary>
    public static CardBody Card(ScoreEvent e, string departmentName, ScoreRule rule) => new(
        e.TaskId!, $"扣分核实 · {departmentName}", Privacy.Mask.Text(e.Reason),
        [
            new("评分项", $"{rule.Name}（{rule.Points}分）"),
            new("季度", QuarterPeriod.Parse(e.Quarter).ToChinese()),
            .. e.CaseNumber is { } n ? new[] { new CardField("案件编号", n) } : [],
            new("核实期限", $"{ChinaTime.ToLocal(e.RespondBy!.Value):M月d日}24时前，逾期未提出异议视为属实"),
        ],
        [new(ConfirmKey, "属实"), new(ContestKey, "有异议", 2)]);

    /// <summary>Queues the 佐证核实 card of a pending item to each active officer of its department (outbox rows, saved by the caller).</summary>
    public static async Task<int> QueueCardsAsync(BotDb db, ScoreEvent e, DateTimeOffset now, CancellationToken ct = default)
    {
        if (e.Status != ScoreStatus.Pending || e.TaskId is null) return 0;
        var name = await db.Departments.AsNoTracking().Where(d => d.Code == e.DepartmentCode).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? e.DepartmentCode;
        var officers = await db.Staff.AsNoTracking().Where(s => s.Active && s.Role == StaffRole.DepartmentOfficer && s.DepartmentCode == e.DepartmentCode)
            .OrderBy(s => s.UserId).Select(s => s.UserId).ToListAsync(ct);
        if (officers.Count == 0) return 0;
        // One card send to every holder under one task id (WeCom: a task_id once per app).
        db.Outbox.Add(Outbound.Card(officers, Card(e, name, ScoreRules.Find(e.RuleCode)!), now));
        return officers.Count;
    }

    public static void Confirm(BotDb db, ScoreEvent e, string by, DateTimeOffset now, string? messageId = null)
    {
        if (e.Status != ScoreStatus.Pending) throw new DomainException(StateText(e));
        e.Status = ScoreStatus.Verified;
        e.VerifiedAt = now;
        e.VerifiedHow = "department";
        Audit(db, e, by, "department", "score.confirmed", now, "部门确认属实", messageId);
    }

    public static void Contest(BotDb db, ScoreEvent e, string reason, string by, DateTimeOffset now, string? messageId = null)
    {
        if (e.Status != ScoreStatus.Pending) throw new DomainException(StateText(e));
        if (now > e.RespondBy) throw new DomainException($"核实期限（{ChinaTime.ToLocal(e.RespondBy!.Value):M月d日}）已过，已视为属实；如确有错误请联系县级办公室作废");
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 4)
            throw new DomainException("请写明异议理由（至少4个字），例如：该户10月13日已在系统反馈比对结果，附截图");
        e.Status = ScoreStatus.Contested;
        e.ContestReason = Privacy.Mask.Text(reason.Trim());
        e.ContestedBy = by;
        e.ContestedAt = now;
        Audit(db, e, by, "department", "score.contested", now, $"部门提出异议：{e.ContestReason}", messageId);
    }

    /// <summary>The county office decides a contest: uphold (the item counts) or grant (the item is voided).</summary>
    public static void Decide(BotDb db, ScoreEvent e, bool uphold, string reason, string by, DateTimeOffset now)
    {
        if (e.Status != ScoreStatus.Contested) throw new DomainException($"这条扣分没有待裁定的异议（{StateText(e)}）");
        e.DecidedBy = by;
        e.DecidedAt = now;
        if (uphold)
        {
            e.Status = ScoreStatus.Verified;
            e.VerifiedAt = now;
            e.VerifiedHow = "county";
            Audit(db, e, by, "admin", "score.upheld", now, $"县级办公室裁定异议不成立：{reason}");
        }
        else
        {
            e.Status = ScoreStatus.Voided;
            e.VoidReason = reason;
            Audit(db, e, by, "admin", "score.voided", now, $"县级办公室裁定异议成立，作废：{reason}");
        }
    }

    public static void Void(BotDb db, ScoreEvent e, string reason, string by, DateTimeOffset now)
    {
        if (e.Status == ScoreStatus.Voided) throw new DomainException("这条评分已经作废");
        e.Status = ScoreStatus.Voided;
        e.VoidReason = reason;
        e.DecidedBy = by;
        e.DecidedAt = now;
        Audit(db, e, by, "admin", "score.voided", now, $"县级办公室作废：{reason}");
    }

    /// <summary>Pending items whose 2 working days have passed with no contest become verified (audited, by the system).</summary>
    public static async Task<int> VerifyUncontestedAsync(BotDb db, DateTimeOffset now, CancellationToken ct = default)
    {
        var due = await db.ScoreEvents.Where(e => e.Status == ScoreStatus.Pending && e.RespondBy < now).ToListAsync(ct);
        foreach (var e in due)
        {
            e.Status = ScoreStatus.Verified;
            e.VerifiedAt = e.RespondBy;
            e.VerifiedHow = "deadline";
            Audit(db, e, "system", "system", "score.verified", now, "核实期限内未提出异议，视为属实");
        }
        return due.Count;
    }

    /// <summary>
    /// 附件3 ②: a comparison answer (信息比对) not given by the stage's deadline is an assigned problem not rectified in time (−3):
    /// one item per case and department — a department with several officers gets one item, not one per officer — created
    /// once the deadline has passed (never before: a preview or a bulletin counts only past-due work).
    /// </summary>
    public static async Task<List<ScoreEvent>> CreateLateComparisonsAsync(BotDb db, WorkingCalendar calendar, DateTimeOffset now, CancellationToken ct = default)
    {
        // Items belong to the quarter of the deadline: only deadlines of this quarter and the last are looked at, and those
        // already carrying an item are left out in SQL, so the per-minute sweep does not grow with the case history.
        var since = QuarterPeriod.Of(ChinaTime.DateOf(now)).Previous.Start;
        var late = await (
            from a in db.Assignments
            join s in db.Stages on a.StageId equals s.Id
            join c in db.Cases on s.CaseId equals c.Id
            where a.AssigneeKind == AssigneeKind.Department && s.Kind == StageKind.Comparison && s.DueAt < now && s.DueAt >= since
                  && (a.CompletedAt > s.DueAt || (a.CompletedAt == null && (s.CompletedAt == null || s.CompletedAt > s.DueAt)))
                  && !db.ScoreEvents.Any(e => e.SourceKey == "cmp:" + c.Id.ToString() + ":" + a.AssigneeId)
            select new { CaseId = c.Id, c.Number, Dept = a.AssigneeId, s.DueAt }).ToListAsync(ct);
        if (late.Count == 0) return [];
        var keys = late.Select(l => LateComparisonKey(l.CaseId, l.Dept)).Distinct().ToList();
        var have = (await db.ScoreEvents.AsNoTracking().Where(e => keys.Contains(e.SourceKey!)).Select(e => e.SourceKey!).ToListAsync(ct)).ToHashSet();
        var known = (await db.Departments.AsNoTracking().Select(d => d.Code).ToListAsync(ct)).ToHashSet();
        var rule = ScoreRules.Find(ScoreRules.AssignedNotRectified)!;
        var made = new List<ScoreEvent>();
        foreach (var l in late.OrderBy(l => l.CaseId).ThenBy(l => l.Dept, StringComparer.Ordinal))
        {
            var key = LateComparisonKey(l.CaseId, l.Dept);
            if (!have.Add(key) || !known.Contains(l.Dept)) continue;
            var e = NewItem(l.Dept, QuarterPeriod.Of(ChinaTime.DateOf(l.DueAt!.Value)), rule,
                $"案件{l.Number}信息比对未在期限（{ChinaTime.ToLocal(l.DueAt.Value):M月d日}）内反馈（自动计入：{rule.Name}）", "system", now, calendar, key, l.Number);
            db.ScoreEvents.Add(e);
            Audit(db, e, "system", "system", "score.created", now, "自动生成扣分（待核实）");
            made.Add(e);
        }
        return made;
    }

    public static string LateComparisonKey(long caseId, string dept) => $"cmp:{caseId}:{dept}";

    private static string StateText(ScoreEvent e) => e.Status switch
    {
        ScoreStatus.Verified => "这条扣分已核实属实",
        ScoreStatus.Contested => "这条扣分的异议已提交，等待县级办公室裁定",
        ScoreStatus.Voided => "这条扣分已作废",
        _ => "这条扣分待核实",
    };

    private static void Audit(BotDb db, ScoreEvent e, string by, string role, string action, DateTimeOffset now, string what, string? messageId = null) =>
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = by, ActorRole = role, Action = action, SourceMessageId = messageId,
            Detail = $"{e.DepartmentCode} {e.Quarter} {e.RuleCode} {e.Points:+0;-0}分（{(e.Id == 0 ? e.SourceKey ?? "" : "#" + e.Id)}）：{what}",
        });
}
