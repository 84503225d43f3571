using Microsoft.Extensions.Options;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Persistence;

/// <summary>Section "Database"; the connection itself is <c>ConnectionStrings:Bot</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (one instance, the file data/bot.db by default) or <c>Postgres</c> (one or more instances).</summary>
    public string Provider { get; set; } = "Sqlite";
}

/// <summary>A known provider, and for PostgreSQL a connection string (SQLite falls back to data/bot.db).</summary>
public sealed class DatabaseOptionsValidator(IConfiguration configuration) : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions o)
    {
        var p = new List<string>();
        DatabaseProvider? provider = null;
        try { provider = DatabaseProviders.Parse(o.Provider); }
        catch (InvalidOperationException e) { p.Add(e.Message); }
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Bot")))
            p.Add("Database:Provider is 'Postgres' but ConnectionStrings:Bot is empty; set it, e.g. \"Host=db;Database=rrb;Username=rrb;Password=…\".");
        return p.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(p);
    }
}
