using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Persistence;
using RapidResponse.Bot.Sandbox;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Tests.Sandbox;

/// <summary>
/// The sandbox opens only on purpose (issue 12, item 1): never by a missing WeCom setting in Production, never on a real
/// county's database, only for callers on this machine, and it shows ID and phone numbers masked.
/// </summary>
public sealed class SandboxSafetyTests
{
    private const string FarmerId = "990101198904220012", FarmerPhone = "13800000001";

    [Fact]
    public void Program_ShouldRefuseToStartNamingTheKeys_WhenProductionHasNoWeComSettings()
    {
        using var f = Program("Production");
        var e = Record.Exception(() => f.CreateClient());
        Assert.NotNull(e);
        var message = Messages(e);
        Assert.Contains("WeCom settings missing: WeCom:CorpId, WeCom:AgentId, WeCom:Secret, WeCom:Token, WeCom:EncodingAESKey", message);
        Assert.Contains("Production 环境缺少企业微信配置", message);
    }

    [Fact]
    public async Task Process_ShouldExitNamingTheKeys_WhenStartedInProductionWithoutWeComSettings()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rrb-tests", "prod-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RapidResponse.Bot.dll"), "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("WeCom__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Sandbox__", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(key);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["ConnectionStrings__Bot"] = $"Data Source={Path.Combine(dir, "bot.db")}";
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); throw; }
        Assert.NotEqual(0, p.ExitCode);
        Assert.Contains("WeCom settings missing: WeCom:CorpId, WeCom:AgentId, WeCom:Secret, WeCom:Token, WeCom:EncodingAESKey", await stderr + await stdout);
        Assert.False(File.Exists(Path.Combine(dir, "bot.db")), "it stopped before touching the database");
    }

    [Fact]
    public void Program_ShouldNameOnlyTheMissingKeys_WhenProductionLacksSome()
    {
        using var f = Program("Production", settings: new() { ["WeCom:AgentId"] = "1000002", ["WeCom:Secret"] = "s", ["WeCom:Token"] = "t" });
        var e = Record.Exception(() => f.CreateClient());
        Assert.Contains("WeCom settings missing: WeCom:CorpId, WeCom:EncodingAESKey.", Messages(e));
    }

    [Fact]
    public async Task Program_ShouldOpenTheSandbox_WhenDevelopmentHasNoWeComSettings()
    {
        using var f = Program("Development", RemoteAddress.Loopback);
        var http = f.CreateClient();
        var page = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType?.ToString());
        var personas = JsonDocument.Parse(await http.GetStringAsync("/sandbox/personas")).RootElement;
        Assert.Contains(personas.EnumerateArray(), p => p.GetProperty("id").GetString() == "gm_lishu");
    }

    [Fact]
    public void LaunchProfiles_ShouldRunInDevelopment_SoDotnetRunOpensTheSandbox()
    {
        var file = Path.Combine(RepoRoot(), "src", "Bot", "Properties", "launchSettings.json");
        var profiles = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("profiles").EnumerateObject().ToList();
        Assert.NotEmpty(profiles);
        foreach (var p in profiles)
            Assert.Equal("Development", p.Value.GetProperty("environmentVariables").GetProperty("ASPNETCORE_ENVIRONMENT").GetString());
    }

    [Fact]
    public async Task Sandbox_ShouldRefuseToStart_WhenTheDatabaseHoldsARealRoster()
    {
        string dir;
        await using (var real = new BotFactory()) // a real county's bot, not in sandbox mode
        {
            dir = real.Directory;
            using var db = real.NewDb();
            TestRoster.Seed(db); // codes 5301…: a real prefecture's, not the demo county's 990101
            db.Outbox.Add(new Domain.Messaging.OutboxMessage
            {
                Channel = Domain.Messaging.OutboundChannel.AppUser, Recipient = "gm_a1", Kind = Domain.Messaging.OutboundKind.Text,
                Payload = """{"content":"真实县的待发消息"}""", DedupeKey = "real-pending", CreatedAt = SandboxApp.Monday, NotBefore = SandboxApp.Monday,
            });
            await db.SaveChangesAsync();
        }

        await using (var sandbox = new BotFactory(directory: dir).WithSandbox(SandboxApp.Monday))
        {
            var e = Record.Exception(() => sandbox.StartServer());
            Assert.Contains("not the demo county 示范县 (region 530100 示范县)", Messages(e));
            Assert.Contains("沙盒只能在示范县（samples/）的数据库上运行", Messages(e));
        }

        // `demo --here` on it is refused the same way, before anything runs (the command line, as an operator types it).
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RapidResponse.Bot.dll"), "demo", "--here"])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("WeCom__", StringComparison.OrdinalIgnoreCase)).ToList()) psi.Environment.Remove(key);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        psi.Environment["Sandbox__Enabled"] = "true";
        psi.Environment["Scheduler__Enabled"] = "false";
        psi.Environment["ConnectionStrings__Bot"] = $"Data Source={Path.Combine(dir, "bot.db")}";
        using (var p = System.Diagnostics.Process.Start(psi)!)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try { await p.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { p.Kill(entireProcessTree: true); throw; }
            Assert.True(p.ExitCode == 2, $"exit {p.ExitCode}: {await stdout} {await stderr}");
            Assert.Contains("not the demo county", await stdout);
        }

        await using var after = new BotFactory(directory: dir);
        using var check = after.NewDb();
        // Nothing was delivered into the sandbox mailbox and nothing of the demo county was mixed in.
        Assert.Empty(check.SandboxMailbox);
        Assert.Equal(Domain.Messaging.OutboxStatus.Pending, check.Outbox.Single().Status);
        Assert.DoesNotContain(check.Staff, s => s.UserId == "gm_lishu");
    }

    [Fact]
    public async Task Sandbox_ShouldRefuseToStart_WhenHouseholdsCarryRealIdNumbers()
    {
        await using var host = await SandboxApp.StartAsync(SandboxApp.Monday);
        var seeder = host.Services.GetRequiredService<SandboxSeeder>();
        Assert.Null(await seeder.RosterProblemAsync()); // the demo county itself is fine
        using (var db = host.NewDb())
        {
            db.Households.First().IdNumber = "530101198001010019";
            await db.SaveChangesAsync();
        }
        Assert.Contains("1 households with real ID numbers", await seeder.RosterProblemAsync());
    }

    [Fact]
    public async Task SandboxEndpoints_ShouldAnswer403_WhenTheCallerIsOnAnotherMachine()
    {
        await using var host = await SandboxApp.StartAsync(SandboxApp.Monday, configure: f => f.TestServices = s => RemoteAddress.Use(s, RemoteAddress.Elsewhere));
        foreach (var path in new[] { "/", "/sandbox/personas", "/sandbox/groups", "/sandbox/clock", "/sandbox/app.js" })
        {
            var r = await host.Http.GetAsync(path);
            Assert.True(r.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)r.StatusCode}");
            Assert.Contains("沙盒只接受本机访问", await r.Content.ReadAsStringAsync());
        }
        var move = await host.Http.PostAsync("/sandbox/clock", new StringContent("""{"advance":"P1D"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, move.StatusCode);
        Assert.True(host.Clock().GetUtcNow() < SandboxApp.Monday.AddHours(1), "the clock was moved a day"); // it runs on in real time
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/health/live")).StatusCode); // not a sandbox endpoint
    }

    [Fact]
    public async Task SandboxEndpoints_ShouldAnswerRemoteCallers_WhenAllowRemoteIsSet()
    {
        await using var host = await SandboxApp.StartAsync(SandboxApp.Monday, new Dictionary<string, string?> { ["Sandbox:AllowRemote"] = "true" },
            configure: f => f.TestServices = s => RemoteAddress.Use(s, RemoteAddress.Elsewhere));
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/sandbox/personas")).StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.5", false)]
    [InlineData("::ffff:203.0.113.7", false)]
    [InlineData(null, false)]
    public void IsLoopback_ShouldAcceptOnlyThisMachine(string? address, bool expected) =>
        Assert.Equal(expected, SandboxGuard.IsLoopback(address is null ? null : IPAddress.Parse(address)));

    [Fact]
    public async Task SandboxAnswers_ShouldMaskIdAndPhoneNumbers_WhilePlayingTheOneShotReport()
    {
        await using var host = await SandboxApp.StartAsync(SandboxApp.Monday);
        var personas = (await host.GetAsync("/sandbox/personas")).GetRawText();
        Assert.DoesNotContain(FarmerId, personas);
        Assert.DoesNotContain(FarmerPhone, personas);
        Assert.Contains("9901**********0012", personas);

        // The quick reply goes by its label; the server fills in the full text, so the report still matches the roster.
        var sent = await host.PostAsync("/sandbox/send", new { from = "wm_demo_farmer_1", quick = "一次填完申报" });
        Assert.True(sent.GetProperty("processed").GetBoolean());
        await host.PostAsync("/sandbox/send", new { from = "wm_demo_farmer_1", text = "确认" });
        using (var db = host.NewDb())
        {
            var c = db.Cases.Single();
            Assert.Equal(FarmerId, c.ApplicantIdNumber);
            Assert.NotNull(c.HouseholdId);
        }
        foreach (var path in new[] { "/sandbox/chat?with=wm_demo_farmer_1", "/sandbox/messages?to=wm_demo_farmer_1", "/sandbox/messages?to=gm_lishu" })
        {
            var text = (await host.GetAsync(path)).GetRawText();
            Assert.DoesNotContain(FarmerId, text);
            Assert.DoesNotContain(FarmerPhone, text);
        }
        Assert.Contains("9901**********0012", (await host.GetAsync("/sandbox/chat?with=wm_demo_farmer_1")).GetRawText());

        var bad = await host.PostAsync("/sandbox/send", new { from = "wm_demo_farmer_1", quick = "不存在" }, 400);
        Assert.Contains("快捷回复", bad.GetProperty("error").GetString());
    }

    private static WebApplicationFactory<Program> Program(string environment, IPAddress? remote = null, Dictionary<string, string?>? settings = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "rrb-tests", "program-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment(environment);
            b.UseContentRoot(dir);
            b.UseSetting("ConnectionStrings:Bot", $"Data Source={Path.Combine(dir, "bot.db")}");
            b.UseSetting("Scheduler:Enabled", "false");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (k, v) in settings ?? []) b.UseSetting(k, v);
            if (remote is not null) b.ConfigureTestServices(s => RemoteAddress.Use(s, remote));
        });
    }

    private static string Messages(Exception? e)
    {
        var all = new List<string>();
        for (; e is not null; e = e.InnerException) all.Add(e.Message);
        return string.Join(" | ", all);
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Bot.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Bot.sln not found above " + AppContext.BaseDirectory);
    }
}
