using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Tests.CountyConsole;

/// <summary>
/// The bot with the test roster, the rule-keeping fake WeCom (whose sign-in pages redirect back with a simulator code), and
/// three cases: one in 李树村 (城关镇) at the comparison stage with 卫健/医保 tasks, one in 河湾村 (河口乡) for 教体 whose
/// applicant name begins with "=cmd" (a formula to escape in the ledger), one closed in 桃园村.
/// </summary>
public sealed class ConsoleHost : IDisposable
{
    public const string CmdName = "=cmd|' /C calc'!A0";

    public ConsoleHost(bool kestrel = false, DateTimeOffset? start = null)
    {
        F = new BotFactory(start).WithWeCom();
        F.Settings["Console:OAuthBaseUrl"] = F.WeCom!.Url;
        F.Settings["Console:QrLoginBaseUrl"] = F.WeCom.Url;
        F.Settings["Console:PageSize"] = "5";
        Directory.CreateDirectory(HolidayDirectory = Path.Combine(F.Directory, "holidays"));
        F.Settings["Calendar:ExtraDirectory"] = HolidayDirectory;
        if (kestrel) F.UseKestrel(0);
        F.StartServer();
        using var db = F.NewDb();
        TestRoster.Seed(db);
        A1 = Open(TestRoster.VillageA1, "因病", Channel.SelfReport, c => c.HouseholdId = db.Households.Single(h => h.IdNumber == TestRoster.IdZhang).Id, toComparison: true);
        B1 = Open(TestRoster.VillageB1, "因学", Channel.CadreVisit, c => { c.ApplicantName = CmdName; c.ApplicantIdNumber = "530102199001011234"; c.ApplicantPhone = "13811112222"; }, toComparison: true);
        Closed = Open(TestRoster.VillageA2, "住房安全", Channel.Petition, null, toComparison: false, invalid: true);
    }

    public BotFactory F { get; }
    /// <summary>Calendar:ExtraDirectory of this host (empty; a year uploaded on the console goes to the database, not here).</summary>
    public string HolidayDirectory { get; }
    public string A1 { get; }
    public string B1 { get; }
    public string Closed { get; }

    private string Open(string village, string risk, Channel channel, Action<Case>? fill, bool toComparison, bool invalid = false)
    {
        using var scope = F.Services.CreateScope();
        var wf = scope.ServiceProvider.GetRequiredService<CaseWorkflow>();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var c = wf.OpenAsync(channel, village, [risk], "家中困难，联系电话13900001111", Severity.General, new Actor("farmer", "farmer"), fill).GetAwaiter().GetResult();
        var intake = c.CurrentStage!;
        var clock = wf.ClockFor(c);
        var actor = new Actor(intake.Assignments[0].AssigneeId, "GridMonitor");
        if (invalid) c.SetAsideAsInvalid("重复线索", actor, clock);
        if (toComparison)
        {
            c.CompleteTask(intake.Assignments[0].TaskId, TaskResult.Done, "受理", actor, clock);
            wf.AdvanceAsync(c, actor).GetAwaiter().GetResult();
        }

        db.SaveChanges();
        return c.Number;
    }

    /// <summary>
    /// Months of work for the overview picture: every week until <paramref name="until"/> a few cases open across the villages;
    /// most are accepted, some compared on time, some late, some set aside — the clock moves forward between them.
    /// </summary>
    public void History(DateTimeOffset until)
    {
        string[] villages = [TestRoster.VillageA1, TestRoster.VillageA2, TestRoster.VillageB1];
        string[] risks = ["因病", "因学", "住房安全", "因病", "务工就业不稳"];
        var i = 0;
        while (F.Time.GetUtcNow() < until)
        {
            for (var k = 0; k < 1 + i % 3; k++, i++)
            {
                using var scope = F.Services.CreateScope();
                var wf = scope.ServiceProvider.GetRequiredService<CaseWorkflow>();
                var db = scope.ServiceProvider.GetRequiredService<BotDb>();
                var c = wf.OpenAsync((Channel)(1 + i % 6), villages[i % 3], [risks[i % 5]], "家中困难", Severity.General, new Actor("farmer", "farmer")).GetAwaiter().GetResult();
                var actor = new Actor(c.CurrentStage!.Assignments[0].AssigneeId, "GridMonitor");
                if (i % 7 == 3) c.SetAsideAsInvalid("重复线索", actor, wf.ClockFor(c));
                else if (i % 5 != 4)
                {
                    c.CompleteTask(c.CurrentStage!.Assignments[0].TaskId, TaskResult.Done, "受理", actor, wf.ClockFor(c));
                    wf.AdvanceAsync(c, actor).GetAwaiter().GetResult();
                }

                db.SaveChanges();
            }

            F.Time.Advance(TimeSpan.FromDays(1 + i % 4));
            // Departments answer the comparisons that are open now: most on time, the rest when they are already late.
            using (var scope = F.Services.CreateScope())
            {
                var wf = scope.ServiceProvider.GetRequiredService<CaseWorkflow>();
                var db = scope.ServiceProvider.GetRequiredService<BotDb>();
                foreach (var number in db.Cases.Where(c => c.State == CaseState.Comparison).Select(c => c.Number).ToList())
                {
                    if (number.GetHashCode() % 4 == 0) continue;
                    var c = wf.LoadAsync(number).GetAwaiter().GetResult()!;
                    foreach (var a in c.CurrentStage!.Assignments.Where(a => a.IsOpen).ToList())
                        c.CompleteTask(a.TaskId, TaskResult.NoAnomaly, null, new Actor(a.AssigneeId, "DepartmentOfficer"), wf.ClockFor(c));
                    wf.AdvanceAsync(c, new Actor("system", "system")).GetAwaiter().GetResult();
                }

                db.SaveChanges();
            }

            F.Time.Advance(TimeSpan.FromDays(3));
        }
    }

    /// <summary>A browser-like client (cookies kept, redirects not followed) signed in as <paramref name="userId"/> through the OAuth redirect.</summary>
    public async Task<HttpClient> SignInAsync(string userId, bool qr = false)
    {
        var client = F.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var start = await client.GetAsync(qr ? "/console/login/qr" : "/console/login/wecom");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var wecomPage = start.Headers.Location!;
        Assert.StartsWith(F.WeCom!.Url, wecomPage.ToString());
        F.WeCom.SignedInUser = userId;
        using var outside = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var back = await outside.GetAsync(wecomPage);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var callback = back.Headers.Location!;
        var done = await client.GetAsync(callback.PathAndQuery);
        Assert.True(done.StatusCode == HttpStatusCode.Redirect, $"callback: {(int)done.StatusCode} {await done.Content.ReadAsStringAsync()}");
        Assert.Equal("/console", done.Headers.Location!.ToString());
        return client;
    }

    public void Dispose() => F.Dispose();
}
