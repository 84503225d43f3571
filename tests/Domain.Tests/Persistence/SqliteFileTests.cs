using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Routing;
using RapidResponse.Domain.Timelines;
using static RapidResponse.Domain.Tests.T;

namespace RapidResponse.Domain.Tests.Persistence;

/// <summary>Cases on a real SQLite file created by the migration, routed from roster rows.</summary>
public sealed class SqliteFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("botdb-").FullName;
    private readonly DbContextOptions<BotDb> _options;
    private readonly FakeTimeProvider _time = new(L("2026-03-02 09:00"));

    public SqliteFileTests()
    {
        _options = new DbContextOptionsBuilder<BotDb>().UseSqlite($"Data Source={Path.Combine(_dir, "bot.db")};Pooling=False").Options;
        using var db = NewDb();
        db.Database.Migrate();
        Seed(db);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private BotDb NewDb() => new(_options);

    private CaseWorkflow Workflow(BotDb db) =>
        new(db, new StageRouter(db, new RoutingOptions()), new ProfileRegistry(Yunlong), Cal, _time);

    private static void Seed(BotDb db)
    {
        db.Regions.AddRange(
            new Region { Code = "C1", Name = "云龙县", Level = RegionLevel.County },
            new Region { Code = "T1", Name = "诺邓镇", ParentCode = "C1", Level = RegionLevel.Township },
            new Region { Code = "V1", Name = "诺邓村", ParentCode = "T1", Level = RegionLevel.Village });
        db.Departments.AddRange(
            new Department { Code = "WJ", Name = "县卫健局", Kind = DepartmentKind.CloseMonitoring, RiskTypes = ["因病"] },
            new Department { Code = "YB", Name = "县医保局", Kind = DepartmentKind.CloseMonitoring, RiskTypes = ["因病"] },
            new Department { Code = "MZ", Name = "县民政局", Kind = DepartmentKind.CloseMonitoring, RiskTypes = ["其他"] },
            new Department { Code = "JT", Name = "县教体局", Kind = DepartmentKind.CloseMonitoring, RiskTypes = ["因学"] },
            // Not in the built-in risk → department map: routed because its roster row lists 因病.
            new Department { Code = "HSH", Name = "县红十字会", Kind = DepartmentKind.Related, RiskTypes = ["因病", "因灾"] });
        db.Staff.AddRange(
            new Staff { UserId = "gm0", Name = "离任监测员", Role = StaffRole.GridMonitor, RegionCode = "V1", Active = false },
            new Staff { UserId = "gm1", Name = "网格员甲", Role = StaffRole.GridMonitor, RegionCode = "V1" },
            new Staff { UserId = "vc1", Name = "村干部乙", Role = StaffRole.VillageCadre, RegionCode = "V1" },
            new Staff { UserId = "wt1", Name = "工作队丙", Role = StaffRole.WorkTeam, RegionCode = "V1" },
            new Staff { UserId = "cp1", Name = "联系人丁", Role = StaffRole.TownshipOfficer, RegionCode = "T2" },
            new Staff { UserId = "twl1", Name = "乡镇领导", Role = StaffRole.TownshipLead, RegionCode = "T1" },
            new Staff { UserId = "twp1", Name = "乡镇干部", Role = StaffRole.TownshipOfficer, RegionCode = "T1" },
            new Staff { UserId = "cty1", Name = "县办干部", Role = StaffRole.CountyOffice, RegionCode = "C1" },
            // Departments the comparison asks need an officer each, or their part goes to the county office (StageRouter).
            new Staff { UserId = "d_wj", Name = "卫健干部", Role = StaffRole.DepartmentOfficer, RegionCode = "C1", DepartmentCode = "WJ" },
            new Staff { UserId = "d_yb", Name = "医保干部", Role = StaffRole.DepartmentOfficer, RegionCode = "C1", DepartmentCode = "YB" },
            new Staff { UserId = "d_mz", Name = "民政干部", Role = StaffRole.DepartmentOfficer, RegionCode = "C1", DepartmentCode = "MZ" },
            new Staff { UserId = "d_hsh", Name = "红会干部", Role = StaffRole.DepartmentOfficer, RegionCode = "C1", DepartmentCode = "HSH" });
        db.Households.Add(new Household
        {
            HouseholdNo = "5329290001", HeadName = "杨某", IdNumber = "532929199001011234", VillageCode = "V1",
            Category = HouseholdCategory.MarginalAtRisk, Members = 4, IncomePerCapita = 6500m, ContactUserId = "cp1",
        });
        db.SaveChanges();
    }

    private async Task<Case> Open(BotDb db, bool withHousehold = false, bool active = false, Actor? reporter = null)
    {
        var householdId = withHousehold ? await db.Households.Select(h => h.Id).SingleAsync() : (long?)null;
        return await Workflow(db).OpenAsync(active ? Channel.CadreVisit : Channel.SelfReport, "V1", ["因病"], "户主住院，自付费用大",
            Severity.General, reporter ?? Cadre, c => c.HouseholdId = householdId, active);
    }

    private static IEnumerable<string> Ids(CaseStage s) => s.Assignments.Select(a => a.AssigneeId);

    [Fact]
    public void Migrate_ShouldCreateTheSchemaInAFile_WhenTheDatabaseIsNew()
    {
        using var db = NewDb();
        Assert.True(File.Exists(Path.Combine(_dir, "bot.db")));
        Assert.Contains(db.Database.GetAppliedMigrations(), m => m.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.Empty(db.Database.GetPendingMigrations());
        Assert.Equal(3, db.Regions.Count());
    }

    [Fact]
    public async Task OpenAsync_ShouldNumberPerPrefixAndYearAndRouteFromTheRoster_WhenCasesAreOpened()
    {
        await using (var db = NewDb())
        {
            var c1 = await Open(db, withHousehold: true);
            var c2 = await Open(db);
            var c3 = await Open(db, active: true, reporter: new Actor("vc1", "VillageCadre"));
            await db.SaveChangesAsync();

            Assert.Equal(["YL-2026-000001", "YL-2026-000002", "YL-2026-000003"], new[] { c1, c2, c3 }.Select(c => c.Number));
            Assert.Equal(["cp1"], Ids(c1.CurrentStage!));          // the household's contact person first
            Assert.Equal(["gm1"], Ids(c2.CurrentStage!));          // else the active grid monitor (gm0 has left)
            Assert.Equal(StageKind.HouseholdCheck, c3.CurrentStage!.Kind);   // active screening: intake done on filing
            Assert.Equal(["gm1", "vc1"], Ids(c3.CurrentStage!));  // two people go together
            Assert.Equal(Eod("2026-03-02"), c3.CurrentStage!.DueAt);
            Assert.Equal(TaskResult.Done, c3.Stages[0].Assignments.Single().Result);
        }

        await using (var db = NewDb())
        {
            Assert.Equal("YL-2026-000004", (await Open(db)).Number);   // the counter survives a new context
            await db.SaveChangesAsync();
            _time.SetUtcNow(L("2027-01-04 09:00"));
            Assert.Equal("YL-2027-000001", (await Open(db)).Number);   // a new year starts again
            await db.SaveChangesAsync();
        }

        await using (var db = NewDb())
            Assert.Equal([("YL", 2026, 4), ("YL", 2027, 1)], db.CaseCounters.OrderBy(x => x.Year).AsEnumerable().Select(x => (x.Prefix, x.Year, x.Last)));
    }

    [Fact]
    public async Task AdvanceAsync_ShouldRouteEachStageToItsActor_WhenTheCaseMovesOn()
    {
        await using var db = NewDb();
        var wf = Workflow(db);
        var c = await Open(db);
        var clock = () => wf.ClockFor(c);

        c.CompleteTask(c.CurrentStage!.Assignments[0].TaskId, TaskResult.Done, null, Cadre, clock());
        var cmp = (await wf.AdvanceAsync(c, Actor.System()))!;
        // 因病 → WJ, YB (map) + HSH (roster row) + MZ (always); JT (因学) is not asked.
        Assert.Equal(["HSH", "MZ", "WJ", "YB"], Ids(cmp).Order(StringComparer.Ordinal));
        Assert.All(cmp.Assignments, a => Assert.Equal(AssigneeKind.Department, a.AssigneeKind));

        foreach (var a in cmp.Assignments.ToList()) c.CompleteTask(a.TaskId, TaskResult.NoAnomaly, null, County, clock());
        var fwd = (await wf.AdvanceAsync(c, Actor.System()))!;
        Assert.Equal(["twp1"], Ids(fwd));                          // township officer before the lead

        c.CompleteTask(fwd.Assignments[0].TaskId, TaskResult.Done, null, Township, clock());
        var chk = (await wf.AdvanceAsync(c, Actor.System()))!;
        Assert.Equal(["gm1", "vc1"], Ids(chk));

        c.CompleteTask(chk.Assignments[1].TaskId, TaskResult.Qualifies, "属实", Cadre, clock());
        // 云龙 预警机制 二(七)(八): the village appraises and posts its notice, the township reviews and posts its own, the county confirms.
        var apr = (await wf.AdvanceAsync(c, Actor.System()))!;
        Assert.Equal((StageKind.Appraisal, "gm1"), (apr.Kind, apr.Assignments.Single().AssigneeId));
        c.CompleteTask(apr.Assignments[0].TaskId, TaskResult.Qualifies, null, Cadre, clock());
        var vn = (await wf.AdvanceAsync(c, Actor.System()))!;
        Assert.Equal((StageKind.VillageNotice, "gm1"), (vn.Kind, vn.Assignments.Single().AssigneeId));
        _time.Advance(TimeSpan.FromDays(6));
        c.CompleteTask(vn.Assignments[0].TaskId, TaskResult.Done, null, Cadre, clock());
        var tn = (await wf.AdvanceAsync(c, Actor.System()))!;
        Assert.Equal((StageKind.TownshipNotice, "twp1"), (tn.Kind, tn.Assignments.Single().AssigneeId));
        _time.Advance(TimeSpan.FromDays(6));
        c.CompleteTask(tn.Assignments[0].TaskId, TaskResult.Done, null, Township, clock());
        var dec = (await wf.AdvanceAsync(c, Actor.System()))!;
        Assert.Equal((StageKind.Decision, "cty1"), (dec.Kind, dec.Assignments.Single().AssigneeId));

        c.Decide(true, null, County, clock());
        var ast = (await wf.AdvanceAsync(c, Actor.System()))!;
        c.StartAssistance("落实医疗救助", Township, clock());
        var trk = (await wf.AdvanceAsync(c, Actor.System()))!;
        Assert.Equal((StageKind.AssistanceStart, StageKind.Tracking), (ast.Kind, trk.Kind));
        Assert.Equal(["gm1"], Ids(trk));                           // no household on the roster: the village's grid monitor
        Assert.Null(await wf.AdvanceAsync(c, Actor.System()));      // a stage is open: nothing to start
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task RouteAsync_ShouldFallBackToTheVillage_WhenTheContactPersonHasLeft()
    {
        await using var db = NewDb();
        var c = await Open(db, withHousehold: true);
        var router = new StageRouter(db, new RoutingOptions());
        Assert.Equal([Staff("cp1")], await router.RouteAsync(c, Yunlong.Stage(StageKind.Tracking)));

        (await db.Staff.SingleAsync(s => s.UserId == "cp1")).Active = false;
        await db.SaveChangesAsync();
        Assert.Equal([Staff("gm1")], await router.RouteAsync(c, Yunlong.Stage(StageKind.Tracking)));
        Assert.Equal([Staff("gm1")], await router.RouteAsync(c, Yunlong.Stage(StageKind.Intake)));

        var county = new StageDefinition(StageKind.Decision, "县级审定", StageActor.County, DeadlineRule.None, EscalationLadder.Silent);
        Assert.Equal([Staff("cty1")], await router.RouteAsync(c, county));
    }

    [Fact]
    public async Task SaveChanges_ShouldRoundTripACaseWithStagesAssignmentsStepsAndAudit_WhenReloadedInANewContext()
    {
        Case saved;
        await using (var db = NewDb())
        {
            var wf = Workflow(db);
            saved = await Open(db, withHousehold: true);
            saved.CompleteTask(saved.CurrentStage!.Assignments[0].TaskId, TaskResult.Done, "已受理 13812345678", new Actor("cp1", "TownshipOfficer", "wx-msg-9"), wf.ClockFor(saved));
            await wf.AdvanceAsync(saved, Actor.System());
            saved.CompleteTask(saved.CurrentStage!.Assignments[0].TaskId, TaskResult.ProblemFound, "有住院记录", County, wf.ClockFor(saved));
            saved.RecordVisit("电话了解病情", Cadre, wf.ClockFor(saved));
            await db.SaveChangesAsync();
        }

        await using (var db = NewDb())
        {
            var loaded = await Workflow(db).LoadAsync(saved.Number);
            Assert.NotNull(loaded);
            Assert.Equal(
                (saved.Channel, saved.State, saved.VillageCode, saved.ProfileName, saved.ProfileVersion, saved.CreatedAt, saved.HouseholdId, saved.ActiveScreening),
                (loaded.Channel, loaded.State, loaded.VillageCode, loaded.ProfileName, loaded.ProfileVersion, loaded.CreatedAt, loaded.HouseholdId, loaded.ActiveScreening));
            Assert.Equal(["因病"], loaded.RiskTypes);
            Assert.Equal(
                saved.Stages.Select(s => (s.Kind, s.Sequence, s.StartedAt, s.DueAt, s.CompletedAt, s.CompletedLate, s.Deferrals)),
                loaded.Stages.OrderBy(s => s.Sequence).Select(s => (s.Kind, s.Sequence, s.StartedAt, s.DueAt, s.CompletedAt, s.CompletedLate, s.Deferrals)));
            Assert.Equal(
                saved.Stages.SelectMany(s => s.Assignments).Select(a => (a.AssigneeKind, a.AssigneeId, a.TaskId, a.CompletedAt, a.CompletedBy, a.Result, a.Note)).Order(),
                loaded.Stages.SelectMany(s => s.Assignments).Select(a => (a.AssigneeKind, a.AssigneeId, a.TaskId, a.CompletedAt, a.CompletedBy, a.Result, a.Note)).Order());
            Assert.Equal(
                saved.Stages.SelectMany(s => s.Steps).Select(x => (x.Kind, x.FireAt, x.DoneAt, x.Cancelled)).Order(),
                loaded.Stages.SelectMany(s => s.Steps).Select(x => (x.Kind, x.FireAt, x.DoneAt, x.Cancelled)).Order());
            Assert.Equal(
                saved.Audit.Select(a => (a.At, a.Actor, a.ActorRole, a.Action, a.Detail, a.SourceMessageId)),
                loaded.Audit.OrderBy(a => a.Id).Select(a => (a.At, a.Actor, a.ActorRole, a.Action, a.Detail, a.SourceMessageId)));
            Assert.Contains(loaded.Audit, a => a.SourceMessageId == "wx-msg-9");
            Assert.DoesNotContain(loaded.Audit, a => a.Detail.Contains("13812345678"));   // masked before it is stored
            Assert.Equal("电话了解病情", Assert.Single(loaded.Visits).Note);
            Assert.Equal(StageKind.Comparison, loaded.CurrentStage!.Kind);

            var byTask = await Workflow(db).LoadByTaskAsync(loaded.CurrentStage.Assignments.First(a => a.IsOpen).TaskId);
            Assert.Equal(saved.Number, byTask?.Number);
        }
    }

    [Fact]
    public async Task BulkSave_ShouldWriteWhatSaveChangesWrites_WhenCasesAreOpenedUntracked()
    {
        // The same history twice: one case tracked and saved by EF, one opened untracked and written by BulkSave.
        async Task<Case> Story(BotDb db, CaseWorkflow wf)
        {
            var householdId = await db.Households.Select(h => h.Id).SingleAsync();
            var c = await wf.OpenAsync(Channel.SelfReport, "V1", ["因病"], "户主住院，自付费用大", Severity.General, Cadre, x => x.HouseholdId = householdId);
            c.CompleteTask(c.CurrentStage!.Assignments[0].TaskId, TaskResult.Done, "已受理 13812345678", new Actor("cp1", "TownshipOfficer", "wx-msg-9"), wf.ClockFor(c));
            await wf.AdvanceAsync(c, Actor.System());
            c.CompleteTask(c.CurrentStage!.Assignments[0].TaskId, TaskResult.ProblemFound, "有住院记录", County, wf.ClockFor(c));
            c.RecordVisit("电话了解病情", Cadre, wf.ClockFor(c));
            return c;
        }
        string tracked, bulk;
        await using (var db = NewDb())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var wf = Workflow(db);
            tracked = (await Story(db, wf)).Number;
            await db.SaveChangesAsync();
            wf.TrackNewCases = false;
            var untracked = await Story(db, wf);
            bulk = untracked.Number;
            db.Outbox.Add(new OutboxMessage { Recipient = "cp1", Kind = OutboundKind.Card, Payload = "{}", CreatedAt = _time.GetUtcNow(), NotBefore = _time.GetUtcNow() });
            await BulkSave.SaveAndClearAsync(db, [untracked]);
            Assert.True(untracked.Id > 0);
            Assert.All(untracked.Stages, s => Assert.Equal(untracked.Id, s.CaseId));
            wf.TrackNewCases = true;
            Assert.Empty(db.ChangeTracker.Entries());
            Assert.Equal("YL-2026-000003", (await Story(db, wf)).Number);   // the counter is tracked again after the clear
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        await using (var db = NewDb())
        {
            Assert.Equal(3, (await db.CaseCounters.SingleAsync()).Last);
            Assert.Equal(1, await db.Outbox.CountAsync());
            var a = (await Workflow(db).LoadAsync(tracked))!;
            var b = (await Workflow(db).LoadAsync(bulk))!;
            Assert.Equal(
                (a.Channel, a.State, a.VillageCode, a.ProfileName, a.ProfileVersion, a.CreatedAt, a.HouseholdId, a.ActiveScreening, a.Description, a.Severity, a.ReporterId),
                (b.Channel, b.State, b.VillageCode, b.ProfileName, b.ProfileVersion, b.CreatedAt, b.HouseholdId, b.ActiveScreening, b.Description, b.Severity, b.ReporterId));
            Assert.Equal(a.RiskTypes, b.RiskTypes);
            Assert.Equal(
                a.Stages.OrderBy(s => s.Sequence).Select(s => (s.Kind, s.Sequence, s.StartedAt, s.DueAt, s.CompletedAt, s.CompletedLate, s.Deferrals)),
                b.Stages.OrderBy(s => s.Sequence).Select(s => (s.Kind, s.Sequence, s.StartedAt, s.DueAt, s.CompletedAt, s.CompletedLate, s.Deferrals)));
            Assert.Equal(
                a.Stages.SelectMany(s => s.Assignments).Select(x => (x.Stage!.Sequence, x.AssigneeKind, x.AssigneeId, x.CompletedAt, x.CompletedBy, x.Result, x.Note)).Order(),
                b.Stages.SelectMany(s => s.Assignments).Select(x => (x.Stage!.Sequence, x.AssigneeKind, x.AssigneeId, x.CompletedAt, x.CompletedBy, x.Result, x.Note)).Order());
            Assert.Equal(
                a.Stages.SelectMany(s => s.Steps).Select(x => (x.Stage!.Sequence, x.Kind, x.FireAt, x.DoneAt, x.Cancelled)).Order(),
                b.Stages.SelectMany(s => s.Steps).Select(x => (x.Stage!.Sequence, x.Kind, x.FireAt, x.DoneAt, x.Cancelled)).Order());
            Assert.Equal(
                a.Audit.OrderBy(x => x.Id).Select(x => (x.At, x.Actor, x.ActorRole, x.Action, x.SourceMessageId)),
                b.Audit.OrderBy(x => x.Id).Select(x => (x.At, x.Actor, x.ActorRole, x.Action, x.SourceMessageId)));
            Assert.Equal(a.Visits.Select(v => (v.ByUserId, v.At, v.Note)), b.Visits.Select(v => (v.ByUserId, v.At, v.Note)));
            Assert.NotEmpty(b.Stages.SelectMany(s => s.Steps));
        }
    }

    [Fact]
    public async Task OpenStagesDueBefore_ShouldUseTheCompletedAtDueAtIndex_AtTheDeadlineThreshold()
    {
        await using (var db = NewDb())
        {
            var c1 = await Open(db);
            await Open(db);
            await Open(db, active: true);
            c1.CompleteTask(c1.CurrentStage!.Assignments[0].TaskId, TaskResult.Done, null, Cadre, Workflow(db).ClockFor(c1));
            await Workflow(db).AdvanceAsync(c1, Actor.System());   // comparison, due 03-04
            await db.SaveChangesAsync();
        }

        await using (var db = NewDb())
        {
            IQueryable<CaseStage> Due(DateTimeOffset t) => db.Stages.Where(s => s.CompletedAt == null && s.DueAt < t);
            // Open: c2 intake and c3 household check, both due at the end of 03-02; c1 comparison due 03-04.
            Assert.Equal(0, await Due(Eod("2026-03-02")).CountAsync());              // exactly at the deadline: not yet overdue
            Assert.Equal(2, await Due(Eod("2026-03-02").AddTicks(1)).CountAsync());   // one tick after
            Assert.Equal(3, await Due(Eod("2026-03-04").AddTicks(1)).CountAsync());

            var plan = await ExplainAsync(db, Due(L("2026-03-03 00:00")).ToQueryString());
            Assert.Contains("IX_Stages_CompletedAt_DueAt", plan);
        }
    }

    [Fact]
    public async Task PendingStepsDueBefore_ShouldUseTheDoneAtFireAtIndex_AtTheFiringThreshold()
    {
        await using (var db = NewDb())
        {
            var c1 = await Open(db);
            await Open(db);
            c1.CompleteTask(c1.CurrentStage!.Assignments[0].TaskId, TaskResult.Done, null, Cadre, Workflow(db).ClockFor(c1));   // cancels c1's steps
            await db.SaveChangesAsync();
        }

        await using (var db = NewDb())
        {
            IQueryable<LadderStep> Pending(DateTimeOffset t) => db.LadderSteps.Where(s => s.DoneAt == null && s.FireAt <= t).OrderBy(s => s.FireAt);
            // Same-day intake opened 09:00: the 50% nag is at 16:30 (7.5 of 15 hours).
            Assert.Empty(await Pending(L("2026-03-02 16:29:59.9999999")).ToListAsync());
            var due = Assert.Single(await Pending(L("2026-03-02 16:30")).ToListAsync());
            Assert.Equal(LadderStepKind.Nag50, due.Kind);
            Assert.Single(await Pending(L("2026-03-02 16:30:00.0000001")).ToListAsync());
            Assert.Equal(LadderStepKind.Overdue1, (await Pending(L("2026-03-03 08:30")).ToListAsync())[^1].Kind);

            var plan = await ExplainAsync(db, Pending(L("2026-03-03 00:00")).ToQueryString());
            Assert.Contains("IX_LadderSteps_DoneAt_FireAt", plan);
        }
    }

    /// <summary>EXPLAIN QUERY PLAN for the SQL EF generates (ToQueryString puts parameters in ".param set" lines).</summary>
    private static async Task<string> ExplainAsync(BotDb db, string queryString)
    {
        var lines = queryString.Split('\n', StringSplitOptions.TrimEntries);
        var conn = (SqliteConnection)db.Database.GetDbConnection();
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', lines.Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
        foreach (var p in lines.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)))
        {
            var parts = p.Split(' ', 4);
            cmd.Parameters.AddWithValue(parts[2], long.Parse(parts[3].Trim('\''), System.Globalization.CultureInfo.InvariantCulture));
        }
        var details = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) details.Add(r.GetString(3));
        return string.Join(" | ", details);
    }
}
