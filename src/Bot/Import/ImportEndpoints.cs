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

    /// <summary>
    /// Officers added to a department after its open tasks were carded get a fresh card of each (a sent card cannot gain
    /// holders, and a task_id is used once per app: wecom-protocol notes §12).
    /// </summary>
    public static async Task<int> CardNewHoldersAsync(IServiceProvider sp, BotDb db, CancellationToken ct)
    {
        // A host without the conversation engine (an import-only host) has no cards to send.
        if (sp.GetService<RapidResponse.Domain.Cases.CaseWorkflow>() is not { } workflow
            || sp.GetService<RapidResponse.Bot.Conversations.Cards.TaskCards>() is not { } cards) return 0;
        var written = await cards.SendToNewHoldersAsync(c => workflow.ClockFor(c).Profile, (n, t) => workflow.LoadAsync(n, t), ct);
        if (written > 0) await db.SaveChangesAsync(ct);
        return written;
    }

    private static async Task<Results<Ok<ImportResult>, BadRequest<ImportProblem>>> Import(string kind, HttpRequest request, BotDb db, TimeProvider time, CancellationToken ct)
    {
        if (!ImportKinds.TryParse(kind, out var k))
            return TypedResults.BadRequest(new ImportProblem(
                $"不认识的导入类别“{kind}”，可用：{ImportKinds.Described}。Unknown import kind; use one of: {string.Join(", ", ImportKinds.All.Select(x => x.Name()))}",
                Kinds: [.. ImportKinds.All.Select(x => $"{x.Name()}（{x.ChineseName()}）")]));

        var (upload, problem) = await Upload.ReadAsync(request, ImportKinds.Columns(k), ct);
        if (upload is null) return TypedResults.BadRequest(new ImportProblem(problem!));
        var (result, rejected) = await RunAsync(k, upload, request.HttpContext.RequestServices, db, time, ct);
        if (result is null) return TypedResults.BadRequest(rejected!);
        return TypedResults.Ok(result);
    }

    /// <summary>
    /// One import as the API and the console do it: bad rows are listed (masked) and the good ones kept; a file that cannot be
    /// read at all is rejected with its line and nothing is imported. New department officers get their task cards.
    /// </summary>
    public static async Task<(ImportResult? Result, ImportProblem? Rejected)> RunAsync(ImportKind k, Upload upload, IServiceProvider sp, BotDb db, TimeProvider time, CancellationToken ct)
    {
        try
        {
            var result = await new RosterImporter(db, time, MaxPerContact(sp), sp.GetService<IStaffAccountLookup>()).ImportAsync(k, upload.Content, upload.Format, ct);
            if (k == ImportKind.Staff) await CardNewHoldersAsync(sp, db, ct);
            return (result.Masked(), null);
        }
        catch (ImportFileException e)
        {
            return (null, new ImportProblem(Domain.Privacy.Mask.Text(e.Message), e.Line));
        }
    }
}
