using Microsoft.AspNetCore.Http.HttpResults;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Import;

/// <summary>POST /api/import/{kind}: a roster file as the raw body or as a multipart upload; answers the import summary.</summary>
public static class ImportEndpoints
{
    /// <summary>Why nothing was imported; <see cref="Kinds"/> lists the valid kinds when the kind was wrong.</summary>
    public sealed record ImportProblem(string Error, int? Line = null, IReadOnlyList<string>? Kinds = null);

    private static int? MaxPerContact(IServiceProvider sp) => sp.GetService<RapidResponse.Domain.Timelines.TimelineProfile>()?.MaxHouseholdsPerContact;

    public static RouteGroupBuilder MapImportEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/import/{kind}", Import);
        return api;
    }

    private static async Task<Results<Ok<ImportResult>, BadRequest<ImportProblem>>> Import(string kind, HttpRequest request, BotDb db, TimeProvider time, CancellationToken ct)
    {
        if (!ImportKinds.TryParse(kind, out var k))
            return TypedResults.BadRequest(new ImportProblem(
                $"不认识的导入类别“{kind}”，可用：{ImportKinds.Described}。Unknown import kind; use one of: {string.Join(", ", ImportKinds.All.Select(x => x.Name()))}",
                Kinds: [.. ImportKinds.All.Select(x => $"{x.Name()}（{x.ChineseName()}）")]));

        var (upload, problem) = await Upload.ReadAsync(request, ImportKinds.Columns(k), ct);
        if (upload is null) return TypedResults.BadRequest(new ImportProblem(problem!));
        try
        {
            return TypedResults.Ok((await new RosterImporter(db, time, MaxPerContact(request.HttpContext.RequestServices)).ImportAsync(k, upload.Content, upload.Format, ct)).Masked());
        }
        catch (ImportFileException e)
        {
            return TypedResults.BadRequest(new ImportProblem(Domain.Privacy.Mask.Text(e.Message), e.Line));
        }
    }
}
