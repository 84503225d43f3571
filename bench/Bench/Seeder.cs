using System.Diagnostics;
using Microsoft.Data.Sqlite;
using RapidResponse.Domain.Calendar;

namespace RapidResponse.Bench;

/// <summary>
/// Bulk data straight into the bot's SQLite file: one transaction per table, one prepared INSERT re-bound per row.
/// A county: 10 townships × 20 villages, a grid monitor per village, a lead per township, groups bound for every township.
/// </summary>
public sealed class Seeder(string databasePath)
{
    public const string County = "530900";
    public const int Townships = 10, VillagesPerTownship = 20;
    public static string Township(int t) => $"{County}{t + 101:D3}";
    public static string Village(int v) => $"{Township(v / VillagesPerTownship)}{v % VillagesPerTownship + 201:D3}";
    public static int Villages => Townships * VillagesPerTownship;

    private SqliteConnection Open()
    {
        var c = new SqliteConnection($"Data Source={databasePath}");
        c.Open();
        using var p = c.CreateCommand();
        p.CommandText = "PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;";
        p.ExecuteNonQuery();
        return c;
    }

    /// <summary>Runs <paramref name="rows"/> INSERTs of <paramref name="sql"/>, <paramref name="bind"/> filling the parameters ($p0, $p1, …) of row i.</summary>
    public void Bulk(string sql, int parameters, long rows, Action<long, SqliteParameterCollection> bind)
    {
        using var c = Open();
        using var tx = c.BeginTransaction();
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var i = 0; i < parameters; i++) cmd.Parameters.Add(new SqliteParameter("$p" + i, null));
        cmd.Prepare();
        for (long i = 0; i < rows; i++)
        {
            bind(i, cmd.Parameters);
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
    }

    public void Exec(string sql)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public long Scalar(string sql)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    public void Roster()
    {
        Bulk("INSERT INTO Regions (Code, Name, ParentCode, Level) VALUES ($p0, $p1, $p2, $p3)", 4, 1 + Townships + Villages, (i, p) =>
        {
            if (i == 0) Set(p, County, "示范县", null, 1);
            else if (i <= Townships) Set(p, Township((int)i - 1), $"第{i}镇", County, 2);
            else { var v = (int)i - 1 - Townships; Set(p, Village(v), $"第{v}村", Township(v / VillagesPerTownship), 3); }
        });
        Bulk("INSERT INTO Departments (Code, Name, Kind, RiskTypes) VALUES ($p0, $p1, $p2, $p3)", 4, 3, (i, p) =>
            Set(p, new[] { "WJ", "MZ", "JT" }[i], new[] { "县卫健局", "县民政局", "县教体局" }[i], 1, new[] { "因病", "其他", "因学" }[i]));
        Bulk("INSERT INTO Staff (UserId, Name, Phone, Role, RegionCode, DepartmentCode, Active) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, 1)", 6,
            Villages + Townships + 4, (i, p) =>
            {
                if (i < Villages) Set(p, $"gm{i}", $"网格{i}", $"139{i:D8}", 1, Village((int)i), null);
                else if (i < Villages + Townships) Set(p, $"tl{i - Villages}", $"镇长{i - Villages}", null, 5, Township((int)i - Villages), null);
                else if (i == Villages + Townships) Set(p, "co1", "县办公室", null, 6, County, null);
                else { var d = new[] { "WJ", "MZ", "JT" }[i - Villages - Townships - 1]; Set(p, "d_" + d, d + "干部", null, 8, County, d); }
            });
        Bulk("INSERT INTO Groups (RegionCode, Purpose, ChatId, WebhookKey) VALUES ($p0, $p1, $p2, NULL)", 3, Townships + 2, (i, p) =>
        {
            if (i < Townships) Set(p, Township((int)i), 1, $"chat-t{i}");
            else Set(p, County, (int)(i - Townships + 2), $"chat-county-{i}");
        });
    }

    /// <summary>Fictional households: id numbers with valid GB 11643 check digits, unique per row.</summary>
    public void Households(long count) =>
        Bulk("INSERT INTO Households (HouseholdNo, HeadName, IdNumber, Phone, VillageCode, Category, Card, Members, IncomePerCapita, ContactUserId, NoLabourCapacity) "
             + "VALUES ($p0, $p1, $p2, $p3, $p4, 1, 0, 3, 7200, $p5, 0)", 6, count, (i, p) =>
                Set(p, HouseholdNo(i), "户主" + i, IdNumberOf(i), $"138{i:D8}", Village((int)(i % Villages)), $"gm{i % Villages}"));

    public static string HouseholdNo(long i) => $"H{i:D8}";

    public static string IdNumberOf(long i)
    {
        // Birth date and sequence number from i: unique for every i (1,000 per day from 1950-01-01).
        var body = $"530921{new DateOnly(1950, 1, 1).AddDays((int)(i / 1000)):yyyyMMdd}{i % 1000:D3}";
        return body + Check(body);
    }

    private static char Check(string body17)
    {
        int[] w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var k = 0; k < 17; k++) sum += (body17[k] - '0') * w[k];
        return "10X98765432"[sum % 11];
    }

    /// <summary>
    /// <paramref name="cases"/> open cases at the household-check stage, one open stage each with its grid monitor's task,
    /// created <paramref name="created"/>; a ladder step per stage, the first <paramref name="due"/> of them due at
    /// <paramref name="now"/> (alternately a nag and a level-1 escalation of an overdue stage), the rest in the future.
    /// </summary>
    public void OpenCases(int cases, int due, DateTimeOffset now, Func<int, DateTimeOffset> created, long householdCount)
    {
        var sw = Stopwatch.StartNew();
        Bulk("INSERT INTO Cases (Id, Number, Channel, State, Outcome, RiskTypes, Description, Severity, HouseholdId, VillageCode, ReporterVerified, ActiveScreening, ProfileName, ProfileVersion, CreatedAt, Version, ProblemClass) "
             + "VALUES ($p0, $p1, $p2, 4, 0, '因病', '住院自付费用高', 1, $p3, $p4, 0, 0, 'yunlong', 1, $p5, 0, 0)", 6, cases, (i, p) =>
                Set(p, i + 1, $"YL-2026-{i + 1:D7}", (int)(i % 6) + 1, householdCount > 0 ? i % householdCount + 1 : null, Village((int)(i % Villages)), created((int)i).UtcTicks));
        Bulk("INSERT INTO Stages (Id, CaseId, Kind, Sequence, StartedAt, DueAt, CompletedLate, Deferrals) VALUES ($p0, $p0, 4, 4, $p1, $p2, 0, 0)", 3, cases, (i, p) =>
        {
            var overdue = i < due && i % 2 == 1;
            var start = created((int)i);
            Set(p, i + 1, start.UtcTicks, (overdue ? now.AddHours(-2) : now.AddDays(3)).UtcTicks);
        });
        Bulk("INSERT INTO Assignments (StageId, AssigneeKind, AssigneeId, TaskId, Result) VALUES ($p0, 1, $p1, $p2, 0)", 3, cases, (i, p) =>
            Set(p, i + 1, $"gm{i % Villages}", $"T{i + 1:D8}"));
        Bulk("INSERT INTO LadderSteps (StageId, Kind, FireAt, Cancelled) VALUES ($p0, $p1, $p2, 0)", 3, cases, (i, p) =>
        {
            var isDue = i < due;
            var kind = isDue && i % 2 == 1 ? 11 : 1;
            Set(p, i + 1, kind, (isDue ? now.AddMinutes(-5 - i % 50) : now.AddDays(1 + i % 5)).UtcTicks);
        });
        Console.Error.WriteLine($"seeded {cases:N0} open cases ({due:N0} due) in {sw.Elapsed.TotalSeconds:F1} s");
    }

    private static void Set(SqliteParameterCollection p, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) p[i].Value = values[i] ?? DBNull.Value;
    }

    /// <summary>A Tuesday in working hours, Beijing time.</summary>
    public static DateTimeOffset Now => ChinaTime.At(new DateOnly(2026, 11, 10), new TimeOnly(10, 17));
}
