using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Persistence.Postgres;

namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>`Database:Provider=Postgres`: the PostgreSQL context, its own migrations, and what the shared model stores there.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresProviderTests
{
    [PostgresFact]
    public async Task AddBotDatabase_ShouldMigrateThePostgresContext_WhenProviderIsPostgres()
    {
        await using var c = await Cluster.StartAsync(1);
        await using var db = c.NewDb();
        Assert.IsType<PostgresBotDb>(db);
        Assert.True(db.IsPostgres());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "the PostgreSQL model changed: run scripts/regen-postgres-migrations.sh");
        Assert.Single(await db.Database.GetAppliedMigrationsAsync());
    }

    [PostgresFact]
    public async Task SharedModel_ShouldRoundTripInstantsAndSeedTheRoster_WhenStoredInPostgres()
    {
        await using var c = await Cluster.StartAsync(1);
        var at = new DateTimeOffset(2026, 10, 12, 9, 30, 15, TimeSpan.FromHours(8)).AddTicks(7);
        await using (var db = c.NewDb())
        {
            TestRoster.Seed(db);
            db.KeyValues.Add(new KeyValueEntry { Key = "k", Value = "v", UpdatedAt = at, ExpiresAt = at.AddDays(1) });
            await db.SaveChangesAsync();
        }
        await using (var db = c.NewDb())
        {
            var kv = await db.KeyValues.SingleAsync(x => x.Key == "k" && x.UpdatedAt >= at && x.UpdatedAt < at.AddTicks(1));
            Assert.Equal(at, kv.UpdatedAt);
            Assert.True(await db.Staff.AnyAsync());
        }
    }

    [PostgresFact]
    public async Task DepartmentList_ShouldOpenCardAndSaveCasesInChunks_WhenImportedIntoPostgres()
    {
        await using var c = await Cluster.StartAsync(1);
        await using (var db = c.NewDb()) TestRoster.Seed(db);
        var csv = "department_code,id_number,household_no,warning_type,date,note\n"
                  + $"YB,{TestRoster.IdZhang},,自付医疗费超标,2026-09-30,\n" + "JT,,H-A1-002,辍学,2026-09-20,\n";
        await using (var scope = c.Nodes[0].Services.CreateAsyncScope())
        {
            var r = await RapidResponse.Bot.Import.DepartmentListEndpoints.RunAsync(scope.ServiceProvider, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)),
                RapidResponse.Domain.Import.ImportFormat.Csv, new RapidResponse.Domain.Cases.Actor("admin", "CountyOffice"), default);
            Assert.Equal(2, r.Created);
        }
        await using (var db = c.NewDb())
        {
            var cases = await db.Cases.Include(x => x.Stages).ThenInclude(s => s.Assignments).Include(x => x.Stages).ThenInclude(s => s.Steps).ToListAsync();
            Assert.Equal(2, cases.Count);
            Assert.All(cases, x => Assert.NotEmpty(Assert.Single(x.Stages).Steps));
            Assert.Equal(2, await db.Outbox.CountAsync(o => o.Kind == OutboundKind.Card));
            Assert.Equal(2, (await db.CaseCounters.SingleAsync()).Last);
        }
    }

    [PostgresFact]
    public async Task IsUniqueViolation_ShouldRecognisePostgres23505_WhenADedupeKeyIsStoredTwice()
    {
        await using var c = await Cluster.StartAsync(1);
        await using (var db = c.NewDb())
        {
            db.Inbox.Add(Row("dup"));
            await db.SaveChangesAsync();
        }
        await using (var db = c.NewDb())
        {
            db.Inbox.Add(Row("dup"));
            var e = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.True(DatabaseProviders.IsUniqueViolation(e));
        }

        static InboxMessage Row(string key) => new()
        {
            Channel = InboundChannel.App, DedupeKey = key, SenderId = "u", Kind = "Text", Payload = "{}", ReceivedAt = DateTimeOffset.UnixEpoch,
        };
    }

    [Fact]
    public void Parse_ShouldRefuseUnknownProviders_AndDefaultToSqlite()
    {
        Assert.Equal(DatabaseProvider.Sqlite, DatabaseProviders.Parse(null));
        Assert.Equal(DatabaseProvider.Sqlite, DatabaseProviders.Parse("sqlite"));
        Assert.Equal(DatabaseProvider.Postgres, DatabaseProviders.Parse("Postgres"));
        Assert.Contains("'Postgres'", Assert.Throws<InvalidOperationException>(() => DatabaseProviders.Parse("mysql")).Message);
    }
}
