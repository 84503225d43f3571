using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Scoring;

namespace RapidResponse.Bot.Admin;

/// <summary>
/// Score items of the quarterly department ranking (方城 附件3). Late comparison answers are created automatically (D2b, one per
/// case and department); other items are entered here. A deduction starts 待核实 and the department gets a 佐证核实 card
/// (2 working days to confirm or contest); only verified items count. The county office decides contests and may void items:
/// POST /api/score-events, GET /api/score-events?quarter=2026-Q3, POST /api/score-events/{id}/decide, POST /api/score-events/{id}/void,
/// PUT /api/post-evaluations (后评估 result of the 5+2 office's own unit), GET /api/score-rules.
/// </summary>
public static class ScoreEventEndpoints
{
    /// <summary>One deduction or bonus; points come from the rule, never from the request.</summary>
    public sealed record ScoreEventRequest(string? DepartmentCode, string? Quarter, string? RuleCode, string? Reason, string? EnteredBy);
    public sealed record ScoreEventView(long Id, string DepartmentCode, string Quarter, string RuleCode, string Rule, int Points, string Reason, string EnteredBy, DateTimeOffset At,
        string Status, DateTimeOffset? RespondBy, string? ContestReason, string? VerifiedHow, string? VoidReason, string? CaseNumber);
    /// <summary>The county office's decision on a contest: uphold (counts) or not (voided).</summary>
    public sealed record DecideRequest(bool? Uphold, string? Reason, string? DecidedBy);
    public sealed record VoidRequest(string? Reason, string? VoidedBy);
    public sealed record PostEvaluationRequest(string? DepartmentCode, string? Quarter, string? Result, string? EnteredBy);
    public sealed record ScoreRuleView(string Code, int Points, string Name);

    public static RouteGroupBuilder MapScoreEventEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/score-events", Create);
        api.MapGet("/score-events", List);
        api.MapPost("/score-events/{id:long}/decide", Decide);
        api.MapPost("/score-events/{id:long}/void", Void);
        api.MapPut("/post-evaluations", PostEvaluation);
        api.MapGet("/score-rules", () => TypedResults.Ok(ScoreRules.All.Select(r => new ScoreRuleView(r.Code, r.Points, r.Name)).ToList()));
        return api;
    }

    private static async Task<Results<Created<ScoreEventView>, ValidationProblem>> Create(ScoreEventRequest req, HttpContext http, BotDb db, TimeProvider time,
        Domain.Calendar.WorkingCalendar calendar, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var errors = await ScoreEntry.ValidateAsync(db, req.DepartmentCode, req.Quarter, req.RuleCode, req.Reason, now, ct);
        if (string.IsNullOrWhiteSpace(req.EnteredBy)) errors["enteredBy"] = ["请填写录入人（enteredBy），例如：县乡村振兴局张三"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "评分录入有误，请按提示修改后重新提交");

        // 附件3 ①: a deduction is checked by the department first (待核实, card, 2 working days); a bonus counts when entered.
        // The actor is the name of the admin token the request came with; enteredBy is what the caller says about themselves.
        var e = await ScoreEntry.EnterAsync(db, calendar, req.DepartmentCode!, req.Quarter!, req.RuleCode!, req.Reason!, req.EnteredBy!, AdminAuth.ActorOf(http), "admin", now, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/score-events?quarter={e.Quarter}", View(e));
    }

    private static async Task<Results<Ok<List<ScoreEventView>>, ValidationProblem>> List(string? quarter, BotDb db, CancellationToken ct)
    {
        if (!QuarterPeriod.TryParse(quarter, out var q))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quarter"] = ["请指定季度，例如：?quarter=2026-Q3"] });
        var key = q.ToString();
        var rows = await db.ScoreEvents.AsNoTracking().Where(x => x.Quarter == key).OrderBy(x => x.Id).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(View).ToList());
    }

    private static async Task<Results<Ok<ScoreEventView>, NotFound<string>, ValidationProblem>> Decide(long id, DecideRequest req, BotDb db, TimeProvider time, CancellationToken ct)
    {
        var e = await db.ScoreEvents.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (e is null) return TypedResults.NotFound($"没有编号为{id}的评分项");
        var errors = new Dictionary<string, string[]>();
        if (req.Uphold is null) errors["uphold"] = ["请写明裁定：uphold=true 异议不成立（计分），uphold=false 异议成立（作废）"];
        if (ScoreEntry.ReasonProblem(req.Reason, "裁定理由", ScoreEntry.DecideExample) is { } rp) errors["reason"] = [rp];
        if (string.IsNullOrWhiteSpace(req.DecidedBy)) errors["decidedBy"] = ["请填写裁定人（decidedBy），例如：县乡村振兴局张三"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "裁定有误，请按提示修改后重新提交");
        try { ScoreVerification.Decide(db, e, req.Uphold!.Value, Mask.Text(req.Reason!.Trim()), req.DecidedBy!.Trim(), time.GetUtcNow()); }
        catch (Domain.DomainException x) { return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [x.Message] }, title: "不能裁定"); }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(e));
    }

    private static async Task<Results<Ok<ScoreEventView>, NotFound<string>, ValidationProblem>> Void(long id, VoidRequest req, BotDb db, [FromServices] Conversations.Cards.ScoreCardFlow cards, CancellationToken ct)
    {
        var e = await db.ScoreEvents.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (e is null) return TypedResults.NotFound($"没有编号为{id}的评分项");
        var errors = new Dictionary<string, string[]>();
        if (ScoreEntry.ReasonProblem(req.Reason, "作废理由", ScoreEntry.VoidExample) is { } rp) errors["reason"] = [rp];
        if (string.IsNullOrWhiteSpace(req.VoidedBy)) errors["voidedBy"] = ["请填写作废人（voidedBy），例如：县乡村振兴局张三"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "作废有误，请按提示修改后重新提交");
        // A pending item's 佐证核实 cards end on 已作废 and the department is told (ScoreCardFlow.VoidAsync).
        try { await cards.VoidAsync(e, Mask.Text(req.Reason!.Trim()), req.VoidedBy!.Trim(), ct); }
        catch (Domain.DomainException x) { return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [x.Message] }, title: "不能作废"); }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(e));
    }

    /// <summary>附件3: “县乡村振兴局排序运用上级对我县后评估结果” — the 5+2 office's own unit is listed with this result, not ranked.</summary>
    private static async Task<Results<Ok<PostEvaluationRequest>, ValidationProblem>> PostEvaluation(PostEvaluationRequest req, BotDb db, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var now = time.GetUtcNow();
        if (string.IsNullOrWhiteSpace(req.DepartmentCode)
            || !await db.Departments.AnyAsync(d => d.Code == req.DepartmentCode && d.Kind == Domain.Roster.DepartmentKind.CountyOffice, ct))
            errors["departmentCode"] = ["请填写牵头单位的部门代码（部门花名册中类别为“牵头单位”/county_office 的单位），例如：XZ"];
        if (!QuarterPeriod.TryParse(req.Quarter, out var quarter)) errors["quarter"] = ["季度格式不对，请写成年-季度，例如：2026-Q3"];
        if (string.IsNullOrWhiteSpace(req.Result)) errors["result"] = ["请填写后评估结果，例如：好（综合评价第一等次）"];
        if (string.IsNullOrWhiteSpace(req.EnteredBy)) errors["enteredBy"] = ["请填写录入人（enteredBy），例如：县乡村振兴局张三"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "后评估结果录入有误，请按提示修改后重新提交");
        var key = Domain.Bulletins.QuarterlyBulletinQuery.PostEvaluationKey(quarter, req.DepartmentCode!);
        var value = System.Text.Json.JsonSerializer.Serialize(new { result = Mask.Text(req.Result!.Trim()), enteredBy = req.EnteredBy!.Trim(), at = now });
        var row = await db.KeyValues.FirstOrDefaultAsync(k => k.Key == key, ct);
        if (row is null) db.KeyValues.Add(new Domain.Messaging.KeyValueEntry { Key = key, Value = value, UpdatedAt = now });
        else { row.Value = value; row.UpdatedAt = now; }
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = req.EnteredBy!.Trim(), ActorRole = "admin", Action = "score.post-evaluation",
            Detail = $"{req.DepartmentCode} {quarter} 后评估结果：{Mask.Text(req.Result!.Trim())}",
        });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(req);
    }

    private static ScoreEventView View(ScoreEvent e) =>
        new(e.Id, e.DepartmentCode, e.Quarter, e.RuleCode, ScoreRules.Find(e.RuleCode)?.Name ?? e.RuleCode, e.Points, Mask.Text(e.Reason), Mask.Text(e.EnteredBy), e.At,
            e.Status.ToString(), e.RespondBy, e.ContestReason is null ? null : Mask.Text(e.ContestReason), e.VerifiedHow, e.VoidReason is null ? null : Mask.Text(e.VoidReason), e.CaseNumber);
}
