using Npgsql;

namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>A database of its own on the test server (rrb_test_&lt;guid&gt;), dropped on dispose.</summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _server;

    private PostgresDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)
            ?? throw new InvalidOperationException($"{PostgresFactAttribute.Variable} is not set");
        var db = new PostgresDatabase(server, $"rrb_test_{Guid.NewGuid():N}");
        await db.AdminAsync($"CREATE DATABASE \"{db.Name}\"");
        return db;
    }

    public NpgsqlConnection Open()
    {
        var c = new NpgsqlConnection(ConnectionString);
        c.Open();
        return c;
    }

    /// <summary>One scalar from the test database (Quartz tables, counts).</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var c = Open();
        await using var cmd = new NpgsqlCommand(sql, c);
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task AdminAsync(string sql)
    {
        await using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres", Pooling = false }.ToString());
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }
}
