using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Evidence;
using RapidResponse.Domain.Evidence;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;

namespace RapidResponse.Bot.Admin;

/// <summary>
/// A case's evidence for the county office: <c>GET /api/cases/{number}/evidence</c> lists what is stored,
/// <c>GET /api/cases/{number}/evidence/{id}</c> answers the file itself.
/// </summary>
public static class EvidenceEndpoints
{
    public sealed record EvidenceView(long Id, string Kind, string? FileName, string? ContentType, long Size, string Sha256, DateTimeOffset ReceivedAt,
        string Channel, string? Note);

    public static RouteGroupBuilder MapEvidenceEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/cases/{number}/evidence", ListAsync);
        api.MapGet("/cases/{number}/evidence/{id:long}", GetAsync);
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<EvidenceView>>, NotFound<string>>> ListAsync(string number, BotDb db, CancellationToken ct)
    {
        var caseId = await db.Cases.AsNoTracking().Where(c => c.Number == number).Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
        if (caseId is null) return TypedResults.NotFound($"没有编号为 {number} 的案件");
        var rows = await db.Evidence.AsNoTracking().Where(e => e.CaseId == caseId && e.Status == EvidenceStatus.Stored).OrderBy(e => e.Id).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<EvidenceView>>([.. rows.Select(e => new EvidenceView(e.Id, e.Kind.ToString(), e.FileName, e.ContentType, e.Size, e.Sha256!,
            e.ReceivedAt, e.Channel.ToString(), e.Note is null ? null : Mask.Text(e.Note)))]);
    }

    private static async Task<Results<FileContentHttpResult, NotFound<string>>> GetAsync(string number, long id, BotDb db, MediaStore store, CancellationToken ct)
    {
        var e = await (from x in db.Evidence.AsNoTracking()
                       join c in db.Cases.AsNoTracking() on x.CaseId equals c.Id
                       where x.Id == id && c.Number == number && x.Status == EvidenceStatus.Stored
                       select x).FirstOrDefaultAsync(ct);
        if (e is null) return TypedResults.NotFound($"案件 {number} 没有编号为 {id} 的材料：请用 GET /api/cases/{number}/evidence 查看这个案件的材料");
        var bytes = await store.ReadAsync(db, e.Sha256!, ct);
        if (bytes is null) return TypedResults.NotFound($"材料 {id} 的文件不在存储里了（{e.Sha256}）：请检查 Media:Directory 或数据库");
        return TypedResults.File(bytes, e.ContentType ?? "application/octet-stream", FileName(e));
    }

    /// <summary>A download name: the sender's file name, or the kind and id with the type's extension.</summary>
    public static string FileName(EvidenceItem e) => e.FileName is { Length: > 0 } n ? n
        : $"{EvidenceItem.Name(e.Kind)}-{e.Id}" + (e.ContentType switch { "image/jpeg" => ".jpg", "image/png" => ".png", "audio/amr" => ".amr", "application/pdf" => ".pdf", _ => "" });
}
