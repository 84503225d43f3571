using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Tests.Import;

/// <summary>A migrated SQLite file in its own temp folder, and helpers to import CSV text into it.</summary>
public sealed class ImportTestDatabase : IAsyncDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "rrb-import-tests", Guid.NewGuid().ToString("N"));
    private readonly string connectionString;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8)));

    private ImportTestDatabase()
    {
        Directory.CreateDirectory(directory);
        connectionString = $"Data Source={Path.Combine(directory, "bot.db")}";
    }

    public static async Task<ImportTestDatabase> CreateAsync()
    {
        var t = new ImportTestDatabase();
        await using var db = t.NewDb();
        await db.Database.MigrateAsync();
        return t;
    }

    public BotDb NewDb(IInterceptor? interceptor = null)
    {
        var options = new DbContextOptionsBuilder<BotDb>().UseSqlite(connectionString);
        if (interceptor is not null) options.AddInterceptors(interceptor);
        return new BotDb(options.Options);
    }

    public async Task<ImportResult> ImportCsvAsync(ImportKind kind, string csv, IInterceptor? interceptor = null)
    {
        await using var db = NewDb(interceptor);
        return await new RosterImporter(db, Time).ImportAsync(kind, new MemoryStream(Encoding.UTF8.GetBytes(csv)), ImportFormat.Csv);
    }

    public async Task<ImportResult> ImportFileAsync(ImportKind kind, string path)
    {
        await using var db = NewDb();
        return await new RosterImporter(db, Time).ImportFileAsync(kind, path);
    }

    /// <summary>County 990101 → township 990101001 → village 990101001001, departments WJ and MZ, staff vc_a in the village.</summary>
    public async Task SeedSmallCountyAsync()
    {
        await using var db = NewDb();
        db.Regions.AddRange(
            new Region { Code = "990101", Name = "示范县", Level = RegionLevel.County },
            new Region { Code = "990101001", Name = "东岭镇", ParentCode = "990101", Level = RegionLevel.Township },
            new Region { Code = "990101001001", Name = "桃园村", ParentCode = "990101001", Level = RegionLevel.Village });
        db.Departments.AddRange(
            new Department { Code = "WJ", Name = "县卫健委", Kind = DepartmentKind.CloseMonitoring, RiskTypes = ["因病"] },
            new Department { Code = "MZ", Name = "县民政局", Kind = DepartmentKind.CloseMonitoring, RiskTypes = ["其他"] });
        db.Staff.Add(new Staff { UserId = "vc_a", Name = "王禾", Role = StaffRole.VillageCadre, RegionCode = "990101001001" });
        await db.SaveChangesAsync();
    }

    /// <summary>A valid fictional ID number (area 990101, which does not exist) with the given birth date.</summary>
    public static string Id(string birth, int seq)
    {
        var body = $"990101{birth}{seq:000}";
        return body + IdNumber.CheckChar(body);
    }

    /// <summary>The repository's samples/ folder.</summary>
    public static string SamplesDirectory
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Bot.sln"))) return Path.Combine(d.FullName, "samples");
            throw new DirectoryNotFoundException("Bot.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await Task.Yield();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Counts the SELECT statements a context runs (SQLite inserts are one statement per row by design, in-process and cheap).</summary>
public sealed class QueryCounter : DbCommandInterceptor
{
    public int Count;

    public override ValueTask<InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)) Interlocked.Increment(ref Count);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }
}
