using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Scoring;

namespace RapidResponse.Bot.Admin;

/// <summary>
/// Score events of the quarterly department ranking (方城 附件3), entered by the county office (late comparison tasks are
/// counted automatically as D2b; other assigned problems are entered here):
/// POST /api/score-events, GET /api/score-events?quarter=2026-Q3, GET /api/score-rules.
/// </summary>
public static class ScoreEventEndpoints
{
    /// <summary>One deduction or bonus; points come from the rule, never from the request.</summary>
    public sealed record ScoreEventRequest(string? DepartmentCode, string? Quarter, string? RuleCode, string? Reason, string? EnteredBy);
    public sealed record ScoreEventView(long Id, string DepartmentCode, string Quarter, string RuleCode, string Rule, int Points, string Reason, string EnteredBy, DateTimeOffset At);
    public sealed record ScoreRuleView(string Code, int Points, string Name);

    public static RouteGroupBuilder MapScoreEventEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/score-events", Create);
        api.MapGet("/score-events", List);
        api.MapGet("/score-rules", () => TypedResults.Ok(ScoreRules.All.Select(r => new ScoreRuleView(r.Code, r.Points, r.Name)).ToList()));
        return api;
    }

    private static async Task<Results<Created<ScoreEventView>, ValidationProblem>> Create(ScoreEventRequest req, HttpContext http, BotDb db, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var now = time.GetUtcNow();
        var rule = ScoreRules.Find(req.RuleCode);
        if (string.IsNullOrWhiteSpace(req.DepartmentCode)) errors["departmentCode"] = ["请填写部门代码（departmentCode），例如：JT"];
        else if (!await db.Departments.AnyAsync(d => d.Code == req.DepartmentCode, ct))
            errors["departmentCode"] = [$"没有代码为“{req.DepartmentCode}”的部门，请先导入部门花名册或检查代码"];
        if (!QuarterPeriod.TryParse(req.Quarter, out var quarter)) errors["quarter"] = ["季度格式不对，请写成年-季度，例如：2026-Q3"];
        else if (quarter.Start > now) errors["quarter"] = [$"{quarter.ToChinese()}还没有开始，不能录入评分"];
        if (rule is null)
            errors["ruleCode"] = [$"评分项“{req.RuleCode}”不存在，可选：{string.Join("、", ScoreRules.All.Select(r => $"{r.Code}（{r.Name}，{r.Points:+0;-0}分）"))}"];
        if (string.IsNullOrWhiteSpace(req.Reason) || req.Reason.Trim().Length < 4) errors["reason"] = ["请写明加减分理由（至少4个字），例如：县督查暗访发现某村饮水问题未主动报告"];
        if (string.IsNullOrWhiteSpace(req.EnteredBy)) errors["enteredBy"] = ["请填写录入人（enteredBy），例如：县乡村振兴局张三"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "评分录入有误，请按提示修改后重新提交");

        var e = new ScoreEvent
        {
            DepartmentCode = req.DepartmentCode!.Trim(), Quarter = quarter.ToString(), RuleCode = rule!.Code, Points = rule.Points,
            Reason = Mask.Text(req.Reason!.Trim()), EnteredBy = req.EnteredBy!.Trim(), At = now,
        };
        db.ScoreEvents.Add(e);
        db.AuditEvents.Add(new AuditEvent
        {
            // The actor is the name of the admin token the request came with; enteredBy is what the caller says about themselves.
            At = now, Actor = AdminAuth.ActorOf(http), ActorRole = "admin", Action = "score.entered",
            Detail = $"{e.DepartmentCode} {e.Quarter} {rule.Name} {rule.Points:+0;-0}分：{e.Reason}（录入人：{e.EnteredBy}）",
        });
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

    private static ScoreEventView View(ScoreEvent e) =>
        new(e.Id, e.DepartmentCode, e.Quarter, e.RuleCode, ScoreRules.Find(e.RuleCode)?.Name ?? e.RuleCode, e.Points, Mask.Text(e.Reason), Mask.Text(e.EnteredBy), e.At);
}
