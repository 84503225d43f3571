using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Scoring;

/// <summary>
/// The county office enters a score item (方城 附件3), the same rules whichever door it comes through (admin API, console):
/// a known department that is ranked, a quarter that has begun, a rule of annex 3 (points from the rule, never from the
/// caller), a reason. Problems are keyed by field, in plain Chinese with an example.
/// </summary>
public static class ScoreEntry
{
    /// <summary>A reason of at least 4 characters (enter, decide, void, contest).</summary>
    public const int MinReason = 4;
    public const string DecideExample = "经核查系统记录，比对结果确于期限后反馈";
    public const string VoidExample = "部门异议成立，比对结果已按时反馈";

    public static async Task<Dictionary<string, string[]>> ValidateAsync(BotDb db, string? departmentCode, string? quarter, string? ruleCode, string? reason,
        DateTimeOffset now, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(departmentCode)) errors["departmentCode"] = ["请填写部门代码（departmentCode），例如：JT"];
        else
        {
            var kind = await db.Departments.AsNoTracking().Where(d => d.Code == departmentCode.Trim()).Select(d => (DepartmentKind?)d.Kind).FirstOrDefaultAsync(ct);
            if (kind is null) errors["departmentCode"] = [$"没有代码为“{departmentCode}”的部门，请先导入部门花名册或检查代码"];
            // 附件3: “县乡村振兴局排序运用上级对我县后评估结果” — the lead unit is not ranked and gets no items.
            else if (kind == DepartmentKind.CountyOffice)
                errors["departmentCode"] = ["牵头单位不参与部门排序，不录入加减分；请用 PUT /api/post-evaluations 录入上级后评估结果"];
        }
        if (!QuarterPeriod.TryParse(quarter, out var q)) errors["quarter"] = ["季度格式不对，请写成年-季度，例如：2026-Q3"];
        else if (q.Start > now) errors["quarter"] = [$"{q.ToChinese()}还没有开始，不能录入评分"];
        if (ScoreRules.Find(ruleCode) is null)
            errors["ruleCode"] = [$"评分项“{ruleCode}”不存在，可选：{string.Join("、", ScoreRules.All.Select(r => $"{r.Code}（{r.Name}，{r.Points:+0;-0}分）"))}"];
        if (ReasonProblem(reason, "加减分理由", "县督查暗访发现某村饮水问题未主动报告") is { } p) errors["reason"] = [p];
        return errors;
    }

    /// <summary>Null when the reason is long enough, else what to write: "请写明作废理由（至少4个字），例如：…".</summary>
    public static string? ReasonProblem(string? reason, string what, string example) =>
        string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < MinReason ? $"请写明{what}（至少{MinReason}个字），例如：{example}" : null;

    /// <summary>
    /// Adds a validated item: a deduction starts 待核实 with its 佐证核实 card queued to the department (附件3 ①), a bonus counts at
    /// once. Audited as <c>score.entered</c> by <paramref name="actor"/>. The caller saves.
    /// </summary>
    public static async Task<ScoreEvent> EnterAsync(BotDb db, WorkingCalendar calendar, string departmentCode, string quarter, string ruleCode, string reason,
        string enteredBy, string actor, string actorRole, DateTimeOffset now, CancellationToken ct = default)
    {
        var rule = ScoreRules.Find(ruleCode)!;
        var e = ScoreVerification.NewItem(departmentCode.Trim(), QuarterPeriod.Parse(quarter), rule, Mask.Text(reason.Trim()), enteredBy.Trim(), now, calendar);
        db.ScoreEvents.Add(e);
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = actor, ActorRole = actorRole, Action = "score.entered",
            Detail = $"{e.DepartmentCode} {e.Quarter} {rule.Name} {rule.Points:+0;-0}分：{e.Reason}（录入人：{e.EnteredBy}）{(e.Status == ScoreStatus.Pending ? "（待部门核实）" : "")}",
        });
        await ScoreVerification.QueueCardsAsync(db, e, now, ct);
        return e;
    }
}
