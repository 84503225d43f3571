using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Domain.Persistence.Postgres;

/// <summary>
/// <see cref="BotDb"/> on PostgreSQL, where several instances share the database. The model is the shared one plus what only
/// a shared deployment needs (<see cref="SendHits"/>); the type also tells its migrations (Postgres/Migrations) from the SQLite
/// ones. Registered as <c>AddDbContext&lt;BotDb, PostgresBotDb&gt;</c>, so code asks for BotDb.
/// </summary>
public sealed class PostgresBotDb(DbContextOptions<PostgresBotDb> options) : BotDb(options)
{
    /// <summary>Rate-limit counts of every instance (one instance on SQLite counts in memory).</summary>
    public DbSet<SendHit> SendHits => Set<SendHit>();

    protected override void OnModelCreating(ModelBuilder m)
    {
        base.OnModelCreating(m);
        m.Entity<SendHit>(e => e.HasIndex(x => new { x.Key, x.At }));
    }
}

/// <summary>Lets `dotnet ef migrations add --context PostgresBotDb` build the model without the host or a server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresBotDb>
{
    public PostgresBotDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresBotDb>().UseNpgsql("Host=localhost;Database=rrb_design").Options);
}
