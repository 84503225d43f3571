using Microsoft.AspNetCore.Http.HttpResults;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Import;

/// <summary>
/// POST /api/import/department-list and `import department-list &lt;file&gt;`: a department's month-end warning list
/// opens triage cases routed to the villages, with their task cards, in one transaction.
/// </summary>
public static class DepartmentListEndpoints
{
    public static RouteGroupBuilder MapDepartmentListEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/import/department-list", Import);
        return api;
    }

    private static async Task<Results<Ok<DepartmentListResult>, BadRequest<ImportEndpoints.ImportProblem>>> Import(HttpRequest request, IServiceProvider sp, CancellationToken ct)
    {
        var (upload, problem) = await Upload.ReadAsync(request, DepartmentListImporter.Columns, ct);
        if (upload is null) return TypedResults.BadRequest(new ImportEndpoints.ImportProblem(problem!));
        try { return TypedResults.Ok(await RunAsync(sp, upload.Content, upload.Format, new Actor("admin", "CountyOffice"), ct)); }
        catch (ImportFileException e) { return TypedResults.BadRequest(new ImportEndpoints.ImportProblem(e.Message, e.Line)); }
    }

    /// <summary>Imports and cards every new case; saves once.</summary>
    public static async Task<DepartmentListResult> RunAsync(IServiceProvider sp, Stream content, ImportFormat format, Actor importer, CancellationToken ct)
    {
        var db = sp.GetRequiredService<BotDb>();
        var workflow = sp.GetRequiredService<CaseWorkflow>();
        var cards = sp.GetRequiredService<TaskCards>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await new DepartmentListImporter(db, workflow).ImportAsync(content, format, importer, ct);
        foreach (var c in db.Cases.Local.Where(c => c.Id == 0 && c.CurrentStage is not null).ToList())
            await cards.SendAsync(c, c.CurrentStage!, workflow.ClockFor(c).Profile, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }
}
