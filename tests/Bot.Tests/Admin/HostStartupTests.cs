using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Admin;

public sealed class HostStartupTests
{
    [Fact]
    public async Task HealthReady_ShouldReportReady_WhenHostStartsOnEmptyDirectory()
    {
        using var f = new BotFactory();
        Assert.False(File.Exists(f.DatabasePath));
        var client = f.CreateClient();

        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");

        Assert.True(File.Exists(f.DatabasePath));
        Assert.True(ready.GetProperty("database").GetBoolean());
        Assert.Equal(0, ready.GetProperty("pendingMigrations").GetArrayLength());
        // 2026-10: the next year (2027) has no State Council data yet, and the health check says so.
        Assert.Equal("ready-with-warnings", ready.GetProperty("status").GetString());
        Assert.Contains(ready.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("2027"));
    }

    [Fact]
    public async Task AdminApi_ShouldAnswer401_WhenBearerTokenMissingOrWrong()
    {
        using var f = new BotFactory();
        var client = f.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/cases?state=open")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/cases?state=open")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.AdminClient().GetAsync("/api/cases?state=open")).StatusCode);
    }

    [Fact]
    public async Task AdminApi_ShouldNotExist_WhenTokenUnset()
    {
        using var f = new BotFactory();
        f.Settings[$"Admin:Tokens:{BotFactory.AdminTokenName}"] = "";
        var client = f.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/cases?state=open")).StatusCode);
    }

    [Fact]
    public async Task Host_ShouldStartWithQuartzScheduler_WhenSchedulerEnabled()
    {
        using var f = new BotFactory();
        f.Settings["Scheduler:Enabled"] = "true";
        f.Settings["Scheduler:InstanceName"] = "host-startup-test";
        var client = f.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        // Quartz created its tables in the bot's own SQLite file and stored the sweep, bulletin and duty jobs there.
        await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={f.DatabasePath}");
        await conn.OpenAsync();
        var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM QRTZ_JOB_DETAILS";
        Assert.Equal(3L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public void Host_ShouldRefuseToStart_WhenATemplateDoesNotParse_NamingFileAndLine()
    {
        using var f = new BotFactory();
        var templates = Path.Combine(f.Directory, "templates");
        System.IO.Directory.CreateDirectory(templates);
        File.WriteAllText(Path.Combine(templates, "nag.liquid"), "【催办】{{ assignee }}\n{% if due %}期限{{ due }}");
        f.Settings["Templates:Directory"] = templates;
        var e = Assert.ThrowsAny<Exception>(() => f.CreateClient());
        var all = string.Join("\n", Flatten(e).Select(x => x.Message));
        Assert.Contains($"{Path.Combine(templates, "nag.liquid")} line 2", all);
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException a) foreach (var i in a.InnerExceptions.SelectMany(Flatten)) yield return i;
        }
    }
}
