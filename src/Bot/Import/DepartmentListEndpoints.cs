using Microsoft.AspNetCore.Http.HttpResults;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Routing;

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
        try { return TypedResults.Ok((await RunAsync(sp, upload.Content, upload.Format, new Actor(Admin.AdminAuth.ActorOf(request.HttpContext), "CountyOffice"), ct)).Masked()); }
        catch (ImportFileException e) { return TypedResults.BadRequest(new ImportEndpoints.ImportProblem(Domain.Privacy.Mask.Text(e.Message), e.Line)); }
    }

    /// <summary>Cases carded and saved per chunk; the tracker is cleared after each so 50,000 rows do not pile up in one context.</summary>
    public const int SaveEvery = 2_000;

    /// <summary>
    /// Imports and cards every new case in one transaction: all or nothing, as before. Inside it the cases are opened
    /// untracked, carded and written every <see cref="SaveEvery"/> cases (<see cref="BulkSave"/>, which leaves the change
    /// tracker empty), and routing and cards read the roster from one snapshot taken in the transaction instead of a
    /// query per case.
    /// </summary>
    public static async Task<DepartmentListResult> RunAsync(IServiceProvider sp, Stream content, ImportFormat format, Actor importer, CancellationToken ct)
    {
        var db = sp.GetRequiredService<BotDb>();
        var workflow = sp.GetRequiredService<CaseWorkflow>();
        var router = sp.GetRequiredService<StageRouter>();
        var cards = sp.GetRequiredService<TaskCards>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var snapshot = await RosterSnapshot.LoadAsync(db, ct);
        router.Snapshot = cards.Snapshot = snapshot;
        workflow.TrackNewCases = false;
        try
        {
            var result = await new DepartmentListImporter(db, workflow)
            {
                Snapshot = snapshot,
                BatchSize = SaveEvery,
                OnBatch = async (cases, token) =>
                {
                    foreach (var c in cases)
                        if (c.CurrentStage is { } stage) await cards.SendAsync(c, stage, workflow.ClockFor(c).Profile, token);
                    await BulkSave.SaveAndClearAsync(db, cases, token);
                },
            }.ImportAsync(content, format, importer, ct);
            await db.SaveChangesAsync(ct); // whatever else the scope left pending (the single save used to take it too)
            await tx.CommitAsync(ct);
            return result;
        }
        finally
        {
            router.Snapshot = cards.Snapshot = null;
            workflow.TrackNewCases = true;
        }
    }
}
