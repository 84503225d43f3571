using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Timelines;
using RapidResponse.Scheduler.Scoring;

namespace RapidResponse.Scheduler.Escalation;

/// <summary>What one sweep did.</summary>
public sealed record SweepResult(int Fired, int Held, int Stale, int Dropped, int Messages)
{
    public override string ToString() => $"fired {Fired}, held {Held}, stale {Stale}, dropped {Dropped}, messages {Messages}";
}

/// <summary>
/// Fires due ladder steps (DESIGN §3). Each step's outbox rows and its DoneAt are saved in one transaction, so a step is sent
/// at most once however often the sweep runs, fails or restarts; the steps are rows, so a step missed during downtime fires
/// once when the host is back, never once per missed minute.
/// </summary>
public sealed class DeadlineSweep(BotDb db, ProfileRegistry profiles, SendWindow window, LadderTexts texts, ScoreSweep scores,
    IOptions<SchedulerOptions> options, ILogger<DeadlineSweep> log)
{
    public async Task<SweepResult> RunAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        int fired = 0, held = 0, stale = 0, dropped = 0, messages = 0;
        var size = options.Value.SweepBatchSize;
        Dictionary<(string, GroupPurpose), GroupBinding>? groups = null;
        var lastFire = DateTimeOffset.MinValue;
        long lastId = 0;
        while (true)
        {
            var batch = await BatchAsync(now, lastFire, lastId, size, ct);
            if (batch.Count == 0) break;
            groups ??= await GroupBindings.ByRegionAsync(db, ct);
            var ctx = await LadderContext.LoadAsync(db, batch.Select(s => s.Stage!).ToList(), groups, ct);
            // Nags of one stage due together (e.g. 50% and 75% both moved to the first day after a holiday) collapse into the latest.
            var latestNag = batch.Where(s => !s.IsOverdueLevel).GroupBy(s => s.StageId)
                .ToDictionary(g => g.Key, g => g.MaxBy(s => (s.FireAt, s.Kind))!.Id);
            // The send window depends only on the profile at this instant.
            var windowOpen = new Dictionary<(string, int), bool>();
            List<long> firedIds = [], cancelledIds = [];
            List<OutboxMessage> outbox = [];
            List<AuditEvent> audit = [];
            foreach (var step in batch)
            {
                var stage = step.Stage!;
                var c = stage.Case!;
                if (stage.CompletedAt is not null || c.State == CaseState.Closed) { cancelledIds.Add(step.Id); dropped++; continue; }
                var profile = profiles.Get(c.ProfileName, c.ProfileVersion);
                if (!windowOpen.TryGetValue((c.ProfileName, c.ProfileVersion), out var open))
                    windowOpen[(c.ProfileName, c.ProfileVersion)] = open = window.IsOpen(now, window.HoursFor(profile));
                if (!open) { held++; continue; }
                var overdue = stage.DueAt is { } due && now > due;
                if (!step.IsOverdueLevel && (overdue || latestNag[step.StageId] != step.Id)) { cancelledIds.Add(step.Id); stale++; continue; }
                if (step.IsOverdueLevel && !overdue) { cancelledIds.Add(step.Id); dropped++; continue; }
                var rows = step.IsOverdueLevel ? Escalate(step, c, stage, profile, ctx, audit, now) : Nag(step, c, stage, profile, ctx, now);
                outbox.AddRange(rows);
                messages += rows.Count;
                firedIds.Add(step.Id);
                fired++;
            }
            if (firedIds.Count + cancelledIds.Count > 0)
            {
                // One transaction per batch: a step is marked done together with its outbox rows, or not at all.
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await MarkDoneAsync(firedIds, now, cancelled: false, ct);
                await MarkDoneAsync(cancelledIds, now, cancelled: true, ct);
                await db.InsertAsync(outbox, ct);
                await db.InsertAsync(audit, ct);
                await tx.CommitAsync(ct);
            }
            db.ChangeTracker.Clear(); // PostgreSQL's insert path tracks the rows it saved
            lastFire = batch[^1].FireAt;
            lastId = batch[^1].Id;
            if (batch.Count < size) break;
        }
        messages += await scores.RunAsync(now, ct);
        var result = new SweepResult(fired, held, stale, dropped, messages);
        if (fired + stale + dropped + messages > 0) log.LogInformation("Deadline sweep at {Now}: {Result}", now, result);
        return result;
    }

    /// <summary>
    /// The next due steps after (<paramref name="lastFire"/>, <paramref name="lastId"/>): keyset paging over the (DoneAt, FireAt)
    /// index, so held steps do not block the ones behind them. Read without tracking (the steps are marked done set-wise), and
    /// only the columns the sweep and <see cref="LadderTexts"/> use: of the case its id, number, state, village and profile.
    /// A text that needs another column of the case must add it here.
    /// </summary>
    private Task<List<LadderStep>> BatchAsync(DateTimeOffset now, DateTimeOffset lastFire, long lastId, int size, CancellationToken ct) =>
        db.LadderSteps
            .Where(s => s.DoneAt == null && s.FireAt <= now && (s.FireAt > lastFire || (s.FireAt == lastFire && s.Id > lastId)))
            .OrderBy(s => s.FireAt).ThenBy(s => s.Id).Take(size)
            .Select(s => new LadderStep
            {
                Id = s.Id, StageId = s.StageId, Kind = s.Kind, FireAt = s.FireAt, DoneAt = s.DoneAt, Cancelled = s.Cancelled,
                Stage = new CaseStage
                {
                    Id = s.Stage!.Id, CaseId = s.Stage.CaseId, Kind = s.Stage.Kind, Sequence = s.Stage.Sequence, StartedAt = s.Stage.StartedAt,
                    DueAt = s.Stage.DueAt, CompletedAt = s.Stage.CompletedAt, CompletedLate = s.Stage.CompletedLate, Deferrals = s.Stage.Deferrals,
                    Case = new Case
                    {
                        Id = s.Stage.Case!.Id, Number = s.Stage.Case.Number, State = s.Stage.Case.State, VillageCode = s.Stage.Case.VillageCode,
                        ProfileName = s.Stage.Case.ProfileName, ProfileVersion = s.Stage.Case.ProfileVersion,
                    },
                    Assignments = s.Stage.Assignments.Select(a => new StageAssignment
                    {
                        Id = a.Id, StageId = a.StageId, AssigneeKind = a.AssigneeKind, AssigneeId = a.AssigneeId, TaskId = a.TaskId,
                        CompletedAt = a.CompletedAt, CompletedBy = a.CompletedBy, Result = a.Result, Note = a.Note, EscalatedTo = a.EscalatedTo,
                    }).ToList(),
                },
            })
            .AsSplitQuery()
            .ToListAsync(ct);

    /// <summary>
    /// Sets DoneAt (and Cancelled) of the steps in one statement. Only steps still pending count: had another sweep marked
    /// one meanwhile, the batch rolls back rather than send its messages twice.
    /// </summary>
    private async Task MarkDoneAsync(List<long> ids, DateTimeOffset now, bool cancelled, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        var done = await MarkAsync(ids, now, cancelled, ct);
        if (done != ids.Count)
            throw new DbUpdateConcurrencyException($"{ids.Count - done} of {ids.Count} ladder steps were marked done by another sweep meanwhile; the batch is rolled back");
    }

    // The ids as one parameter (json_each on SQLite, = ANY on PostgreSQL): the same SQL for every batch, translated once.
    private Task<int> MarkAsync(List<long> ids, DateTimeOffset now, bool cancelled, CancellationToken ct) =>
        db.LadderSteps.Where(s => EF.Parameter(ids).Contains(s.Id) && s.DoneAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.DoneAt, now).SetProperty(s => s.Cancelled, cancelled), ct);

    /// <summary>
    /// The start-up warm-up (<see cref="SweepWarmUp"/>): every query and statement of a sweep once and its texts rendered, so the
    /// first sweep after a start does not pay EF Core's query compilation and the JIT of its path. Reads with an instant before
    /// any data (<paramref name="before"/>: nothing is due then), renders each ladder text for a made-up stage at
    /// <paramref name="now"/>, and runs the step update and the outbox and audit inserts in a transaction that is rolled back:
    /// nothing is sent, marked or stored.
    /// </summary>
    public async Task WarmUpAsync(DateTimeOffset before, DateTimeOffset now, CancellationToken ct = default)
    {
        _ = await BatchAsync(before, DateTimeOffset.MinValue, 0, 1, ct);
        var groups = await GroupBindings.ByRegionAsync(db, ct);
        var profile = profiles.Current;
        var kind = profile.Stages[0].Kind;
        var c = new Case { Number = "WARMUP", VillageCode = "", ProfileName = profile.Name, ProfileVersion = profile.Version, State = (CaseState)(int)kind };
        var stage = new CaseStage { Case = c, Kind = kind, Sequence = 1, StartedAt = now.AddDays(-1), DueAt = now.AddDays(2) };
        stage.Assignments.Add(new StageAssignment { Stage = stage, AssigneeKind = AssigneeKind.Staff, AssigneeId = "", TaskId = "WARMUP-S" });
        stage.Assignments.Add(new StageAssignment { Stage = stage, AssigneeKind = AssigneeKind.Department, AssigneeId = "", TaskId = "WARMUP-D" });
        var ctx = await LadderContext.LoadAsync(db, [stage], groups, ct);
        var step = new LadderStep { Stage = stage, Kind = LadderStepKind.Nag50, FireAt = now };
        var text = texts.Nag(step, c, stage, profile, ctx, stage.Assignments[0], now);
        stage.DueAt = now.AddHours(-30);
        foreach (var target in new[] { EscalationTarget.TownshipGroup, EscalationTarget.CountyGroup, EscalationTarget.Interview })
            text += texts.Escalation((int)target, target, c, stage, profile, ctx, now);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await MarkAsync([-1], now, cancelled: false, ct);
            await db.InsertAsync([Outbound.Text(Target.User("warmup"), text, ["warmup"], "warmup:" + Guid.NewGuid().ToString("N"), now)], ct);
            await db.InsertAsync([new AuditEvent { At = now, Actor = "system", ActorRole = "system", Action = "warmup" }], ct);
            await tx.RollbackAsync(ct);
        }
        db.ChangeTracker.Clear();
        await scores.WarmUpAsync(before, ct);
    }

    /// <summary>Nags go 1:1 to every open assignee (a department's officers for a department).</summary>
    private List<OutboxMessage> Nag(LadderStep step, Case c, CaseStage stage, TimelineProfile profile, LadderContext ctx, DateTimeOffset now)
    {
        var rows = new List<OutboxMessage>();
        foreach (var a in stage.Assignments.Where(a => a.IsOpen))
        {
            // A task moved up because nobody could be reached (UndeliverableStaff) nags the one who holds it now.
            IReadOnlyList<string> own = a.AssigneeKind == AssigneeKind.Department ? ctx.OfficersOf(a.AssigneeId) : [a.AssigneeId];
            var users = a.EscalatedTo is { } up && !own.Contains(up) ? [.. own, up] : own;
            if (users.Count == 0) continue;
            // One text per assignment: a department's officers all get the same one.
            var text = texts.Nag(step, c, stage, profile, ctx, a, now);
            foreach (var u in users) rows.Add(Outbound.Text(Target.User(u), text, null, $"ladder:{step.Id}:{u}", now));
        }
        if (rows.Count == 0) log.LogWarning("Nag {Step} of {Case}: no open assignee with a WeCom account", step.Kind, c.Number);
        return rows;
    }

    /// <summary>Level 1 → township work group (@ assignees and township lead); level 2 → county leaders; level 3 → 约谈 in the county group.</summary>
    private List<OutboxMessage> Escalate(LadderStep step, Case c, CaseStage stage, TimelineProfile profile, LadderContext ctx, List<AuditEvent> audit, DateTimeOffset now)
    {
        var level = (int)step.Kind - (int)LadderStepKind.Overdue1 + 1;
        var target = profile.Has(stage.Kind)
            ? profile.Stage(stage.Kind).Ladder.Levels.FirstOrDefault(l => l.Level == level)?.Target
            : null;
        target ??= level switch { 1 => EscalationTarget.TownshipGroup, 2 => EscalationTarget.CountyGroup, _ => EscalationTarget.Interview };
        var (_, township, county) = ctx.ChainOf(c.VillageCode);
        var owners = stage.Assignments.Where(a => a.IsOpen).ToList();
        var mentions = new List<string>();
        if (target == EscalationTarget.TownshipGroup)
        {
            foreach (var a in owners) mentions.AddRange(a.AssigneeKind == AssigneeKind.Department ? ctx.OfficersOf(a.AssigneeId) : [a.AssigneeId]);
            if (township is not null) mentions.AddRange(ctx.LeadsOf(township));
        }
        var text = texts.Escalation(level, target.Value, c, stage, profile, ctx, now);
        Target? group = target == EscalationTarget.TownshipGroup && township is not null
            ? Target.Of(ctx.Group(township, GroupPurpose.TownshipWork)) ?? Target.Of(ctx.Group(county, GroupPurpose.CountyLeaders))
            : Target.Of(ctx.Group(county, GroupPurpose.CountyLeaders));
        audit.Add(new AuditEvent
        {
            CaseId = c.Id, At = now, Actor = "system", ActorRole = "system", Action = $"escalation.level{level}",
            Detail = $"{profile.NameOf(stage.Kind)}逾期{(level == 3 ? "，列入督办" : "")}，发送至{(group is null ? "县级办公室" : group.Channel == OutboundChannel.Webhook ? "群机器人" : "群聊")}",
        });
        if (group is not null) return [Outbound.Text(group, text, mentions.Distinct().ToList(), $"ladder:{step.Id}", now)];
        // No group bound: the county office gets it 1:1 rather than nobody.
        log.LogWarning("Escalation level {Level} of {Case}: no group chat bound for township {Township} or county {County}; sending to the county office",
            level, c.Number, township, county);
        return [.. ctx.CountyOffice(county).Select(u => Outbound.Text(Target.User(u), text, null, $"ladder:{step.Id}:{u}", now))];
    }
}
