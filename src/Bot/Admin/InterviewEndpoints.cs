using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Bulletins;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Admin;

/// <summary>
/// The 约谈 list of each 通报 (云龙 责任追溯 四(三)) and the county office's record that an interview took place:
/// GET /api/interviews?period=2026-09~10, POST /api/interviews/{id}/held. The record is audited.
/// </summary>
public static class InterviewEndpoints
{
    public sealed record InterviewView(long Id, string Period, string UnitKind, string UnitCode, string UnitName, int Problems, int Unrectified,
        string Level, DateTimeOffset ListedAt, DateTimeOffset? HeldAt, string? HeldBy, string? HeldNote);
    /// <summary>Who held it (the county leader), when (default: now), and a note of what was agreed.</summary>
    public sealed record HeldRequest(string? HeldBy, DateTimeOffset? HeldAt, string? Note, string? RecordedBy);

    public static RouteGroupBuilder MapInterviewEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/interviews", List);
        api.MapPost("/interviews/{id:long}/held", Held);
        return api;
    }

    private static async Task<Ok<List<InterviewView>>> List(string? period, BotDb db, CancellationToken ct)
    {
        var q = db.InterviewListings.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(period)) q = q.Where(l => l.Period == period.Trim());
        var rows = await q.OrderBy(l => l.Id).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(View).ToList());
    }

    private static async Task<Results<Ok<InterviewView>, NotFound<string>, ValidationProblem>> Held(long id, HeldRequest req, BotDb db, TimeProvider time, CancellationToken ct)
    {
        var l = await db.InterviewListings.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (l is null) return TypedResults.NotFound($"没有编号为{id}的约谈名单记录，请先用 GET /api/interviews 查看");
        var now = time.GetUtcNow();
        var problems = InterviewRecords.Problems(l, req.HeldBy, req.HeldAt, req.RecordedBy, now);
        if (problems.Count > 0)
            return TypedResults.ValidationProblem(problems.ToDictionary(p => p.Key, p => new[] { p.Key == "heldAt" ? p.Value + "，例如：2026-11-05T15:00:00+08:00" : p.Value }), title: "约谈登记有误，请按提示修改后重新提交");
        InterviewRecords.Record(db, l, req.HeldBy!, req.HeldAt ?? now, req.Note, req.RecordedBy!, "admin", null, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(l));
    }

    private static InterviewView View(InterviewListing l) =>
        new(l.Id, l.Period, l.UnitKind, l.UnitCode, l.UnitName, l.Problems, l.Unrectified, l.Level == InterviewLevel.Principal ? "principal" : "deputy",
            l.ListedAt, l.HeldAt, l.HeldBy, l.HeldNote);
}
