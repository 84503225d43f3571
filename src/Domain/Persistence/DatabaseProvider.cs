using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace RapidResponse.Domain.Persistence;

/// <summary>The database behind <see cref="BotDb"/> (`Database:Provider`). SQLite: one instance; PostgreSQL: one or more.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Reading `Database:Provider`, and the few provider facts feature code has to know.</summary>
public static class DatabaseProviders
{
    public const string ConfigKey = "Database:Provider";

    /// <summary>Unset means SQLite; anything but "Sqlite" or "Postgres" (any case) is a configuration error.</summary>
    public static DatabaseProvider Parse(string? configured) => configured?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => throw new InvalidOperationException($"{ConfigKey} '{configured}' is not supported; use 'Sqlite' (one instance) or 'Postgres' (one or more instances)."),
    };

    /// <summary>True when a write failed only because a unique index (or primary key) already holds the value.</summary>
    public static bool IsUniqueViolation(Exception e)
    {
        for (var x = (Exception?)e; x is not null; x = x.InnerException)
        {
            // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555); PostgreSQL unique_violation.
            if (x is SqliteException { SqliteExtendedErrorCode: 2067 or 1555 }) return true;
            if (x is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }) return true;
        }
        return false;
    }

    /// <summary>
    /// True when a save lost a race and nothing of it was kept: a concurrency token moved (someone saved the same case or
    /// counter first), or PostgreSQL chose this transaction as the victim of a deadlock or a serialization failure. Work
    /// that failed this way can be redone from fresh state.
    /// </summary>
    public static bool IsConcurrencyConflict(Exception e)
    {
        for (var x = (Exception?)e; x is not null; x = x.InnerException)
        {
            if (x is DbUpdateConcurrencyException) return true;
            if (x is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected }) return true;
        }
        return false;
    }

    /// <summary>True when the context runs on PostgreSQL (several instances may share the database).</summary>
    public static bool IsPostgres(this DbContext db) => db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";
}
