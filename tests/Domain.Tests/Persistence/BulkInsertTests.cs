using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using static RapidResponse.Domain.Tests.T;

namespace RapidResponse.Domain.Tests.Persistence;

/// <summary>BulkInsert on a real SQLite file created by the migration, against what SaveChanges stores.</summary>
public sealed class BulkInsertTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("botdb-bulk-").FullName;
    private readonly DbContextOptions<BotDb> _options;

    public BulkInsertTests()
    {
        _options = new DbContextOptionsBuilder<BotDb>().UseSqlite($"Data Source={Path.Combine(_dir, "bot.db")};Pooling=False").Options;
        using var db = new BotDb(_options);
        db.Database.Migrate();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static OutboxMessage Message(string key, bool full) => new()
    {
        Channel = full ? OutboundChannel.Kf : OutboundChannel.AppUser,
        Recipient = "gm1",
        OpenKfId = full ? "wk123" : null,
        Kind = OutboundKind.Markdown,
        Payload = """{"content":"催办 \u0027x\u0027"}""",
        CreatedAt = L("2026-11-10 10:17:00.1234567"),
        NotBefore = L("2026-11-10 10:18"),
        Status = full ? OutboxStatus.Dead : OutboxStatus.Pending,
        Attempts = full ? 3 : 0,
        LastError = full ? "超时" : null,
        SentAt = full ? L("2026-11-10 10:19") : null,
        DedupeKey = key,
        PlatformMessageId = full ? "msg1" : null,
        ClaimedBy = full ? "node-a" : null,
        ClaimedUntil = full ? L("2026-11-10 10:20") : null,
    };

    [Fact]
    public async Task InsertAsync_ShouldStoreRowsAsSaveChangesDoes_WhenEveryKindOfColumnIsSet()
    {
        await using (var db = new BotDb(_options))
        {
            db.Outbox.AddRange(Message("ef:full", true), Message("ef:empty", false));
            db.AuditEvents.Add(new AuditEvent { CaseId = null, At = L("2026-11-10 10:17"), Actor = "system", ActorRole = "system", Action = "escalation.level1", Detail = "逾期" });
            await db.SaveChangesAsync();
        }
        await using (var db = new BotDb(_options))
        {
            await db.InsertAsync([Message("bulk:full", true), Message("bulk:empty", false)]);
            await db.InsertAsync([new AuditEvent { CaseId = null, At = L("2026-11-10 10:17"), Actor = "system", ActorRole = "system", Action = "escalation.level1", Detail = "逾期" }]);
        }

        await using var read = new BotDb(_options);
        var rows = await read.Outbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.True(r.Id > 0));
        Assert.Equal(Stored(rows[0]), Stored(rows[2]));
        Assert.Equal(Stored(rows[1]), Stored(rows[3]));
        var audit = await read.AuditEvents.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(2, audit.Count);
        Assert.Equal(audit[0], audit[1], AuditComparer.Instance);
    }

    [Fact]
    public async Task InsertAsync_ShouldStoreNothing_WhenARowBreaksAUniqueIndex()
    {
        await using (var db = new BotDb(_options))
            await db.InsertAsync([Message("k1", false)]);
        await using (var db = new BotDb(_options))
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(() => db.InsertAsync([Message("k2", false), Message("k1", false)]));
            Assert.True(DatabaseProviders.IsUniqueViolation(e));
        }
        await using var read = new BotDb(_options);
        Assert.Equal(["k1"], await read.Outbox.Select(m => m.DedupeKey!).ToListAsync());
    }

    [Fact]
    public async Task InsertAsync_ShouldRefuse_WhenAStoreGeneratedKeyIsSet()
    {
        await using var db = new BotDb(_options);
        var m = Message("k1", false);
        m.Id = 42;
        await Assert.ThrowsAsync<NotSupportedException>(() => db.InsertAsync([m]));
    }

    /// <summary>Every column but the key.</summary>
    private static object Stored(OutboxMessage m) => (m.Channel, m.Recipient, m.OpenKfId, m.Kind, m.Payload, m.CreatedAt, m.NotBefore, m.Status, m.Attempts,
        m.LastError, m.SentAt, m.DedupeKey!.Split(':')[1], m.PlatformMessageId, m.ClaimedBy, m.ClaimedUntil);

    private sealed class AuditComparer : IEqualityComparer<AuditEvent>
    {
        public static readonly AuditComparer Instance = new();
        public bool Equals(AuditEvent? a, AuditEvent? b) => a is not null && b is not null
            && (a.CaseId, a.At, a.Actor, a.ActorRole, a.Action, a.Detail, a.SourceMessageId) == (b.CaseId, b.At, b.Actor, b.ActorRole, b.Action, b.Detail, b.SourceMessageId);
        public int GetHashCode(AuditEvent a) => a.Action.GetHashCode();
    }
}
