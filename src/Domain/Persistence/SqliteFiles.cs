using Microsoft.Data.Sqlite;

namespace RapidResponse.Domain.Persistence;

/// <summary>The bot's SQLite file as every component opens it: `ConnectionStrings:Bot`, relative paths under the content root.</summary>
public static class SqliteFiles
{
    public static string ConnectionString(string? configured, string contentRoot)
    {
        var b = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? "Data Source=data/bot.db" : configured);
        if (b.DataSource != ":memory:" && !Path.IsPathRooted(b.DataSource))
            b.DataSource = Path.Combine(contentRoot, b.DataSource);
        if (b.DataSource != ":memory:") Directory.CreateDirectory(Path.GetDirectoryName(b.DataSource)!);
        b.Pooling = true;
        b.DefaultTimeout = 30;
        return b.ToString();
    }
}
