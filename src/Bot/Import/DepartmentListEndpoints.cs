using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Bot.Inbox;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Routing;

namespace RapidResponse.Bot.Import;

/// <summary>
/// POST /api/import/department-list and `import department-list &lt;file&gt;`: a department's month-end warning list
/// opens triage cases routed to the villages, with their task cards, committed in short chunks so callbacks never wait long.
/// </summary>
public static class DepartmentListEndpoints
{
    public static RouteGroupBuilder MapDepartmentListEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/import/department-list", Import);
        return api;
    }

    private static async Task<Results<Ok<DepartmentListResult>, BadRequest<ImportEndpoints.ImportProblem>, ProblemHttpResult>> Import(HttpRequest request, IServiceProvider sp, CancellationToken ct)
    {
        var (upload, problem) = await Upload.ReadAsync(request, DepartmentListImporter.Columns, ct);
        if (upload is null) return TypedResults.BadRequest(new ImportEndpoints.ImportProblem(problem!));
        try { return TypedResults.Ok((await RunAsync(sp, upload.Content, upload.Format, new Actor(Admin.AdminAuth.ActorOf(request.HttpContext), "CountyOffice"), ct)).Masked()); }
        catch (ImportFileException e) { return TypedResults.BadRequest(new ImportEndpoints.ImportProblem(Domain.Privacy.Mask.Text(e.Message), e.Line)); }
        catch (DepartmentListInterruptedException e) { return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status500InternalServerError); }
    }

    /// <summary>At most this many cases per chunk (one transaction).</summary>
    public const int MaxChunk = 50;

    /// <summary>
    /// A chunk stops opening cases after this long, or at once when an acknowledgement waits for SQLite's one writer
    /// (<see cref="InboxWriteGate.AckWaiting"/>); carding and writing what it opened then take about as long again.
    /// </summary>
    public static readonly TimeSpan ChunkBudget = TimeSpan.FromMilliseconds(25);

    private const int MaxChunkTries = 5;

    /// <summary>
    /// Plans the list (read and matched, nothing written), then opens, cards and commits its cases in chunks of at most
    /// <see cref="MaxChunk"/> cases or <see cref="ChunkBudget"/>. On SQLite each chunk holds the process's write gate, as
    /// the inbox does, so a callback's acknowledgement waits for one short chunk, never for the whole list (BENCHMARKS.md).
    /// <para>
    /// All or nothing per chunk: a chunk's cases are committed with their stages, audit and task cards, or not at all. A
    /// chunk that lost a race (a case number drawn meanwhile by a report on another instance) is redone. A failure halfway
    /// leaves the chunks committed before it (their cases open, their cards queued) and nothing of the rest; importing the
    /// same file again opens only the rest, since every row's source key is unique on its case. The endpoint says how
    /// many were opened before the failure (<see cref="DepartmentListInterruptedException"/>).
    /// </para>
    /// Inside a chunk the cases are opened untracked and written by <see cref="BulkSave"/>, and routing and cards read
    /// the roster from one snapshot taken before the first chunk instead of a query per case.
    /// </summary>
    public static async Task<DepartmentListResult> RunAsync(IServiceProvider sp, Stream content, ImportFormat format, Actor importer, CancellationToken ct)
    {
        var db = sp.GetRequiredService<BotDb>();
        var workflow = sp.GetRequiredService<CaseWorkflow>();
        var router = sp.GetRequiredService<StageRouter>();
        var cards = sp.GetRequiredService<TaskCards>();
        // Only SQLite has one writer; PostgreSQL's row locks let the inbox write beside the import.
        var gate = db.IsPostgres() ? null : sp.GetService<InboxWriteGate>();
        var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DepartmentListEndpoints));
        var snapshot = await RosterSnapshot.LoadAsync(db, ct);
        router.Snapshot = cards.Snapshot = snapshot;
        workflow.TrackNewCases = false;
        var created = new List<string>();
        try
        {
            var lists = new DepartmentListImporter(db, workflow) { Snapshot = snapshot };
            var plan = await lists.PlanAsync(content, format, ct);
            for (var next = 0; next < plan.Rows.Count;)
                next += await ChunkAsync(plan.Rows, next);
            return new DepartmentListResult(created.Count, plan.AlreadyImported, plan.Errors.Count, created, plan.Errors);

            async Task<int> ChunkAsync(IReadOnlyList<PlannedCase> rows, int start)
            {
                for (var attempt = 1; ; attempt++)
                {
                    var cases = new List<Case>();
                    try
                    {
                        var asked = Stopwatch.GetTimestamp();
                        using var held = gate is null ? null : await gate.EnterAsync(ct);
                        var entered = Stopwatch.GetTimestamp();
                        await using var tx = await db.Database.BeginTransactionAsync(ct);
                        workflow.ForgetCounters();
                        var started = Stopwatch.GetTimestamp();
                        while (start + cases.Count < rows.Count && cases.Count < MaxChunk
                               && (cases.Count == 0 || (Stopwatch.GetElapsedTime(started) < ChunkBudget && gate?.AckWaiting != true)))
                            cases.Add(await lists.OpenAsync(rows[start + cases.Count], importer, ct));
                        foreach (var c in cases)
                            if (c.CurrentStage is { } stage) await cards.SendAsync(c, stage, workflow.ClockFor(c).Profile, ct);
                        await BulkSave.SaveAndClearAsync(db, cases, ct);
                        await tx.CommitAsync(ct);
                        log.LogDebug("Department list chunk of {Count} cases: waited {Wait} ms for the write gate, held it {Held} ms",
                            cases.Count, (int)Stopwatch.GetElapsedTime(asked, entered).TotalMilliseconds, (int)Stopwatch.GetElapsedTime(entered).TotalMilliseconds);
                        created.AddRange(cases.Select(c => c.Number));
                        return cases.Count;
                    }
                    catch (Exception e) when (attempt < MaxChunkTries && (DatabaseProviders.IsConcurrencyConflict(e) || DatabaseProviders.IsUniqueViolation(e)))
                    {
                        // Rolled back whole: open the same rows again from what the database holds now.
                        db.ChangeTracker.Clear();
                        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * attempt), ct);
                    }
                }
            }
        }
        catch (Exception e) when (created.Count > 0 && e is not OperationCanceledException)
        {
            throw new DepartmentListInterruptedException(created.Count, e);
        }
        finally
        {
            db.ChangeTracker.Clear();
            router.Snapshot = cards.Snapshot = null;
            workflow.TrackNewCases = true;
        }
    }
}

/// <summary>A department list import that failed after some chunks were committed: says how many, and that a re-import completes it.</summary>
public sealed class DepartmentListInterruptedException(int created, Exception inner) : Exception(
    $"导入中途出错：已建立 {created} 个案件（已保存，任务卡片已排队发送），其余行未导入。排除问题后重新导入同一文件即可，已建立的不会重复建立。错误：{Domain.Privacy.Mask.Text(inner.GetBaseException().Message)}", inner)
{
    public int Created { get; } = created;
}
