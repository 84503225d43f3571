namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>
/// A fact that needs a PostgreSQL server. Without RRB_TEST_POSTGRES it is reported as skipped with the reason, so a plain
/// run on a machine without a server says what did not run and why (CI runs scripts/start-postgres.sh first).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "RRB_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
            Skip = $"{Variable} not set: run scripts/start-postgres.sh and export {Variable} with the connection string it prints";
    }
}

/// <summary>The PostgreSQL tests run one at a time: each starts several bot instances, and the machine may have two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresCollection
{
    public const string Name = "postgres";
}
