using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Bot.Admin;

/// <summary>
/// Read-only case views for the county office: GET /api/cases/{number}, GET /api/cases?state=open&amp;overdue=true.
/// Every free-text field goes out through <see cref="Mask"/>: people write ID and phone numbers into reasons and notes.
/// </summary>
public static class CaseEndpoints
{
    public sealed record AssignmentView(string Assignee, string Kind, string TaskId, DateTimeOffset? CompletedAt, string? Result, string? Note);
    public sealed record StageView(string Kind, string Name, int Sequence, DateTimeOffset StartedAt, DateTimeOffset? DueAt, DateTimeOffset? CompletedAt, bool Overdue, bool CompletedLate, int Deferrals, IReadOnlyList<AssignmentView> Assignments);
    public sealed record AuditView(DateTimeOffset At, string Actor, string Role, string Action, string Detail, string? SourceMessageId);
    public sealed record CaseView(string Number, string Channel, string State, string Outcome, IReadOnlyList<string> RiskTypes, string Description, string Severity,
        string? HouseholdNo, string? ApplicantName, string? ApplicantIdNumber, string? ApplicantPhone, string VillageCode, string Profile, int ProfileVersion,
        DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt, bool? Qualifies, string? DecisionReason, string? AssistancePlan, IReadOnlyList<StageView> Stages, IReadOnlyList<AuditView> Audit);
    public sealed record CaseSummary(string Number, string State, string VillageCode, string? CurrentStage, DateTimeOffset? DueAt, bool Overdue);

    public static RouteGroupBuilder MapCaseEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/cases/{number}", GetCase);
        api.MapGet("/cases", ListCases);
        return api;
    }

    private static async Task<Results<Ok<CaseView>, NotFound<string>>> GetCase(string number, CaseWorkflow workflow, TimeProvider time, CancellationToken ct)
    {
        var c = await workflow.LoadAsync(number, ct);
        if (c is null) return TypedResults.NotFound($"没有编号为 {number} 的案件");
        var clock = workflow.ClockFor(c);
        return TypedResults.Ok(await ToView(c, clock.Profile, time.GetUtcNow(), workflow));
    }

    private static async Task<CaseView> ToView(Case c, TimelineProfile profile, DateTimeOffset now, CaseWorkflow workflow)
    {
        var householdNo = c.HouseholdId is { } id ? await workflow.HouseholdNoAsync(id) : null;
        return new CaseView(c.Number, c.Channel.ToString(), c.State.ToString(), c.Outcome.ToString(), c.RiskTypes, Mask.Text(c.Description), c.Severity.ToString(),
            householdNo, M(c.ApplicantName), Mask.IdNumber(c.ApplicantIdNumber), Mask.Phone(c.ApplicantPhone), c.VillageCode, c.ProfileName, c.ProfileVersion,
            c.CreatedAt, c.ClosedAt, c.Qualifies, M(c.DecisionReason), M(c.AssistancePlan),
            [.. c.Stages.OrderBy(s => s.Sequence).Select(s => new StageView(s.Kind.ToString(), profile.NameOf(s.Kind), s.Sequence, s.StartedAt, s.DueAt, s.CompletedAt,
                s.IsOverdue(now), s.CompletedLate, s.Deferrals,
                [.. s.Assignments.Select(a => new AssignmentView(a.AssigneeId, a.AssigneeKind.ToString(), a.TaskId, a.CompletedAt, a.CompletedAt is null ? null : a.Result.ToChinese(), Mask.Text(a.Note)))]))],
            [.. c.Audit.OrderBy(a => a.At).ThenBy(a => a.Id).Select(a => new AuditView(a.At, a.Actor, a.ActorRole, a.Action, Mask.Text(a.Detail), a.SourceMessageId))]);
    }

    private static string? M(string? text) => text is null ? null : Mask.Text(text);

    private static async Task<Ok<IReadOnlyList<CaseSummary>>> ListCases(BotDb db, TimeProvider time, string? state, bool? overdue, int? limit, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var q = db.Stages.AsNoTracking().Where(s => s.CompletedAt == null);
        if (overdue == true) q = q.Where(s => s.DueAt != null && s.DueAt < now);
        var cases = db.Cases.AsNoTracking();
        if (string.Equals(state, "open", StringComparison.OrdinalIgnoreCase)) cases = cases.Where(c => c.State != CaseState.Closed);
        else if (string.Equals(state, "closed", StringComparison.OrdinalIgnoreCase)) cases = cases.Where(c => c.State == CaseState.Closed);
        var take = Math.Clamp(limit ?? 500, 1, 5000);
        List<CaseSummary> rows;
        if (overdue == true)
        {
            rows = await (from s in q join c in cases on s.CaseId equals c.Id orderby s.DueAt select new CaseSummary(c.Number, c.State.ToString(), c.VillageCode, s.Kind.ToString(), s.DueAt, true)).Take(take).ToListAsync(ct);
        }
        else
        {
            rows = await (from c in cases
                          join s in q on c.Id equals s.CaseId into open
                          from s in open.DefaultIfEmpty()
                          orderby c.Id
                          select new CaseSummary(c.Number, c.State.ToString(), c.VillageCode, s == null ? null : s.Kind.ToString(), s == null ? null : s.DueAt, s != null && s.DueAt != null && s.DueAt < now)).Take(take).ToListAsync(ct);
        }
        return TypedResults.Ok<IReadOnlyList<CaseSummary>>(rows);
    }
}
