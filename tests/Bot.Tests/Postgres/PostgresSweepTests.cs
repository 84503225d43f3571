using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Scheduler.Escalation;
using static RapidResponse.Bot.Tests.Infrastructure.TestRoster;

namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>The deadline sweep's PostgreSQL paths: the batch read, marking steps done with one array parameter, EF's batched inserts.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSweepTests
{
    [PostgresFact]
    public async Task DeadlineSweep_ShouldFireEachDueStepOnceInBatches_WhenStoredInPostgres()
    {
        // Batches of two: three steps take two batches and two transactions.
        await using var c = await Cluster.StartAsync(1, new Dictionary<string, string?> { ["Scheduler:SweepBatchSize"] = "2" });
        var now = Scheduler.Seed.Bj(11, 10, 10, 17); // a Tuesday in working hours
        long nag, escalation, dropped;
        await using (var db = c.NewDb())
        {
            Seed(db);
            Step(db, "PG-1", now.AddDays(3), completed: false, LadderStepKind.Nag50, now.AddMinutes(-5),
                new StageAssignment { AssigneeKind = AssigneeKind.Department, AssigneeId = "JT", TaskId = "T1" },
                new StageAssignment { AssigneeKind = AssigneeKind.Staff, AssigneeId = "gm_a1", TaskId = "T2" });
            Step(db, "PG-2", now.AddHours(-2), completed: false, LadderStepKind.Overdue1, now.AddMinutes(-4),
                new StageAssignment { AssigneeKind = AssigneeKind.Staff, AssigneeId = "gm_a1", TaskId = "T3" });
            Step(db, "PG-3", now.AddDays(1), completed: true, LadderStepKind.Nag75, now.AddMinutes(-3),
                new StageAssignment { AssigneeKind = AssigneeKind.Staff, AssigneeId = "gm_a1", TaskId = "T4" });
            await db.SaveChangesAsync();
            var ids = await db.LadderSteps.OrderBy(s => s.FireAt).Select(s => s.Id).ToListAsync();
            (nag, escalation, dropped) = (ids[0], ids[1], ids[2]);
        }

        var first = await SweepAsync(c, now);
        var again = await SweepAsync(c, now.AddMinutes(1));

        Assert.Equal((2, 1, 3), (first.Fired, first.Dropped, first.Messages));
        Assert.Equal((0, 0), (again.Fired, again.Messages));
        await using var check = c.NewDb();
        var rows = await check.Outbox.Select(o => new { o.DedupeKey, o.Channel, o.Recipient }).ToListAsync();
        Assert.Equal(
            new[] { $"ladder:{nag}:d_jt/AppUser/d_jt", $"ladder:{nag}:gm_a1/AppUser/gm_a1", $"ladder:{escalation}/Webhook/hook-town-a" }.Order(StringComparer.Ordinal),
            rows.Select(r => $"{r.DedupeKey}/{r.Channel}/{r.Recipient}").Order(StringComparer.Ordinal));
        var steps = await check.LadderSteps.OrderBy(s => s.Id).Select(s => new { s.Id, s.DoneAt, s.Cancelled }).ToListAsync();
        Assert.All(steps, s => Assert.Equal(now, s.DoneAt));
        Assert.Equal([dropped], steps.Where(s => s.Cancelled).Select(s => s.Id));
        Assert.Equal("escalation.level1", (await check.AuditEvents.SingleAsync()).Action);
        var body = OutboundPayload.Deserialize<TextBody>((await check.Outbox.SingleAsync(o => o.DedupeKey == $"ladder:{escalation}")).Payload);
        Assert.Equal(["gm_a1", "tl_a"], body.Mentions);
        Assert.Contains("PG-2", body.Content);
    }

    private static void Step(Domain.Persistence.BotDb db, string number, DateTimeOffset due, bool completed, LadderStepKind kind, DateTimeOffset fireAt,
        params StageAssignment[] assignments)
    {
        var stage = new CaseStage
        {
            Kind = StageKind.HouseholdCheck, Sequence = 4, StartedAt = fireAt.AddDays(-2), DueAt = due,
            CompletedAt = completed ? fireAt.AddHours(-1) : null, Assignments = [.. assignments],
            Steps = [new LadderStep { Kind = kind, FireAt = fireAt }],
        };
        db.Cases.Add(new Case
        {
            Number = number, Channel = Channel.SelfReport, State = CaseState.HouseholdCheck, VillageCode = VillageA1, Description = "住院自付费用高",
            ProfileName = "yunlong", ProfileVersion = 1, CreatedAt = fireAt.AddDays(-2), Stages = [stage],
        });
    }

    private static async Task<SweepResult> SweepAsync(Cluster c, DateTimeOffset now)
    {
        await using var scope = c.Nodes[0].Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeadlineSweep>().RunAsync(now);
    }
}
