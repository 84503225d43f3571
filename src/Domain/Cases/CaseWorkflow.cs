using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Routing;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Domain.Cases;

/// <summary>
/// Drives cases through their stages against the database: numbers, routing, next stages.
/// It changes tracked entities only; the caller adds its outbox rows and saves once, so both land in one transaction.
/// </summary>
public sealed class CaseWorkflow(BotDb db, StageRouter router, ProfileRegistry profiles, WorkingCalendar calendar, TimeProvider time)
{
    /// <summary>
    /// False while a bulk import opens cases: they are left untracked for the import to write in chunks
    /// (<see cref="BulkSave"/>); tracking 50,000 case graphs cost more than writing them.
    /// </summary>
    public bool TrackNewCases { get; set; } = true;

    /// <summary>Audit action of a stage the roster could not fully staff: its detail names what is missing.</summary>
    public const string UnroutedAction = "stage.unrouted";

    /// <summary>What the roster could not staff in the stage, when it went to the county office instead (the audit's words).</summary>
    public static string? GapsOf(Case c, CaseStage stage) =>
        c.Audit.Where(a => a.Action == UnroutedAction && a.At == stage.StartedAt).Select(a => a.Detail).LastOrDefault();

    public CaseClock ClockFor(Case c) => new(profiles.Get(c.ProfileName, c.ProfileVersion), calendar, time.GetUtcNow());

    public CaseClock ClockForNew() => new(profiles.Current, calendar, time.GetUtcNow());

    /// <summary>Opens a case, routes and starts its first stage (and the check for an actively found case).</summary>
    public async Task<Case> OpenAsync(Channel channel, string villageCode, IEnumerable<string> riskTypes, string description, Severity severity,
        Actor reporter, Action<Case>? fill = null, bool activeScreening = false, CancellationToken ct = default)
    {
        var clock = ClockForNew();
        var number = await NextNumberAsync(clock.Profile.CasePrefix, ChinaTime.DateOf(clock.Now).Year, ct);
        var c = Case.Open(number, channel, villageCode, riskTypes, description, severity, reporter, clock, activeScreening);
        fill?.Invoke(c);
        if (TrackNewCases) db.Cases.Add(c);
        if (activeScreening)
        {
            // The cadre who found it has already accepted it: intake is done on filing.
            var intake = c.StartStage(StageKind.Intake, [new Assignee(AssigneeKind.Staff, reporter.Id)], reporter, clock);
            c.CompleteTask(intake.Assignments[0].TaskId, TaskResult.Done, "干部主动排查发现，报告即受理", reporter, clock);
        }
        await AdvanceAsync(c, reporter, ct);
        return c;
    }

    /// <summary>Starts the next stage if the case needs one. Returns the started stage, or null.</summary>
    public async Task<CaseStage?> AdvanceAsync(Case c, Actor actor, CancellationToken ct = default)
    {
        var clock = ClockFor(c);
        if (c.NextStage(clock.Profile) is not { } next) return null;
        var (assignees, gaps) = await router.RouteOrRefer(c, clock.Profile.Stage(next), ct);
        // 湘阴 二(二)2(3): visits by household category (未脱贫 monthly, 已脱贫 quarterly) when the profile sets them.
        DeadlineRule? rule = null;
        if (next == StageKind.Tracking && clock.Profile.TrackingByCategory is { Count: > 0 } && c.HouseholdId is { } hid)
            rule = clock.Profile.TrackingFor(await db.Households.Where(h => h.Id == hid).Select(h => (Roster.HouseholdCategory?)h.Category).FirstOrDefaultAsync(ct));
        // 丰都 第五步 限时清零: 一般性问题15日内、疑难问题半年内、特殊问题一年内完成销号 — by the class chosen at the report, counted from it.
        DateTimeOffset? from = null;
        if (next == StageKind.ProblemClearance) { rule = clock.Profile.Stage(next).DeadlineFor(c.ProblemClass); from = c.CreatedAt; }
        var stage = c.StartStage(next, assignees, actor, clock, rule, from);
        // The county office holds what the roster could not staff; the audit says what is missing (the card shows it too).
        if (gaps.Count > 0) c.RecordEvent(Actor.System(), clock.Now, UnroutedAction, string.Join("；", gaps));
        return stage;
    }

    /// <summary>
    /// Reopens a clue set aside as invalid and starts a fresh intake stage. The intake is routed before anything changes,
    /// so a village with nobody to take it leaves the case as it was.
    /// </summary>
    public async Task<CaseStage> ReopenAsync(Case c, string reason, Actor actor, CancellationToken ct = default)
    {
        var clock = ClockFor(c);
        var intake = clock.Profile.Stage(StageKind.Intake);
        IReadOnlyList<Assignee> assignees = c.State == CaseState.Closed ? await router.RouteAsync(c, intake, ct) : [];
        if (c.State == CaseState.Closed && assignees.Count == 0) throw new DomainException($"“{intake.Name}”环节没有找到办理人，请县级办公室检查花名册");
        c.Reopen(reason, actor, clock);
        return c.StartStage(StageKind.Intake, assignees, actor, clock);
    }

    /// <summary>Loads a case with everything a transition touches.</summary>
    public Task<Case?> LoadAsync(string number, CancellationToken ct = default) =>
        db.Cases.Include(c => c.Stages).ThenInclude(s => s.Assignments)
            .Include(c => c.Stages).ThenInclude(s => s.Steps)
            .Include(c => c.Audit).Include(c => c.Visits)
            .AsSplitQuery()
            .FirstOrDefaultAsync(c => c.Number == number, ct);

    /// <summary>Loads the case holding a task (card task_id).</summary>
    public async Task<Case?> LoadByTaskAsync(string taskId, CancellationToken ct = default)
    {
        var number = await db.Assignments.Where(a => a.TaskId == taskId).Select(a => a.Stage!.Case!.Number).FirstOrDefaultAsync(ct);
        return number is null ? null : await LoadAsync(number, ct);
    }

    public Task<string?> HouseholdNoAsync(long householdId, CancellationToken ct = default) =>
        db.Households.Where(h => h.Id == householdId).Select(h => (string?)h.HouseholdNo).FirstOrDefaultAsync(ct);

    // The counter row is tracked once per scope; DbSet.Local would scan every tracked entity (DetectChanges) per new case.
    private readonly Dictionary<(string, int), CaseCounter> _counters = [];

    /// <summary>
    /// Reads the case-number counters again at the next case: a bulk operation committing in chunks calls this at each
    /// chunk, inside its transaction, so numbers others drew between its chunks are seen (the counter's token checks the rest).
    /// </summary>
    public void ForgetCounters() => _counters.Clear();

    private async Task<string> NextNumberAsync(string prefix, int year, CancellationToken ct)
    {
        if (!_counters.TryGetValue((prefix, year), out var counter))
        {
            // Once per prefix and year: a counter another workflow on this context added but did not save yet is only in Local.
            counter = db.CaseCounters.Local.FirstOrDefault(x => x.Prefix == prefix && x.Year == year)
                      ?? await db.CaseCounters.FirstOrDefaultAsync(x => x.Prefix == prefix && x.Year == year, ct);
            if (counter is null) { counter = new CaseCounter { Prefix = prefix, Year = year }; db.CaseCounters.Add(counter); }
            _counters[(prefix, year)] = counter;
        }
        // A bulk import saves in chunks and clears the change tracker after each save: track the saved counter again.
        else if (db.Entry(counter).State == EntityState.Detached) db.CaseCounters.Attach(counter);
        counter.Last++;
        counter.Version++;
        return $"{prefix}-{year}-{counter.Last:D6}";
    }
}
