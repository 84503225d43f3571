using RapidResponse.Bot.Hosting;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Persistence.Postgres;

namespace RapidResponse.Bot.Persistence;

/// <summary>Database provider selection (`Database:Provider`) and start-up migration.</summary>
public static class DatabaseExtensions
{
    public static WebApplicationBuilder AddBotDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DatabaseOptions, DatabaseOptionsValidator>(DatabaseOptions.Section);
        var provider = DatabaseProviders.Parse(builder.Configuration[DatabaseProviders.ConfigKey]);
        var configured = builder.Configuration.GetConnectionString("Bot");
        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(configured))
                throw new InvalidOperationException("Database:Provider is 'Postgres' but ConnectionStrings:Bot is empty; set it, e.g. \"Host=db;Database=rrb;Username=rrb;Password=…\".");
            // Registered as BotDb: everything that asks for BotDb gets the PostgreSQL context with its own migrations.
            builder.Services.AddDbContext<BotDb, PostgresBotDb>(o => o.UseNpgsql(configured));
            return builder;
        }

        var cs = SqliteFiles.ConnectionString(configured, builder.Environment.ContentRootPath);
        builder.Services.AddDbContext<BotDb>(o => o.UseSqlite(cs).AddInterceptors(SqlitePragmas.Instance));
        return builder;
    }


    /// <summary>
    /// Applies pending migrations and switches SQLite to WAL so readers never block the writer. On PostgreSQL several
    /// instances may start at once; EF Core takes a database lock for the migration, so exactly one applies it.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL;", ct);
        }
    }
}

/// <summary>
/// Per-connection SQLite settings (PRAGMAs other than journal_mode do not persist in the file): SQLite's own busy handler
/// waits for the single writer in short steps instead of Microsoft.Data.Sqlite's fixed 150 ms retry sleep, and WAL with
/// synchronous=NORMAL keeps every commit across a process crash (only an OS crash may lose the last commits).
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();
    private const string Sql = "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var c = connection.CreateCommand();
        c.CommandText = Sql;
        c.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        await using var c = connection.CreateCommand();
        c.CommandText = Sql;
        await c.ExecuteNonQueryAsync(ct);
    }
}
