using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;
using RapidResponse.Scheduler;

namespace RapidResponse.Bot.Tests.CountyConsole;

/// <summary>The console's sign-in and authorization rules over real HTTP (the browser test walks the same paths in chromium).</summary>
public sealed partial class ConsoleAccessTests : IDisposable
{
    private readonly ConsoleHost _h = new();

    public void Dispose() => _h.Dispose();

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private static async Task<string> TokenAsync(HttpClient c, string page)
    {
        var html = await c.GetStringAsync(page);
        return WebUtility.HtmlDecode(TokenField().Match(html).Groups[1].Value);
    }

    [Fact]
    public async Task Console_ShouldRedirectToSignIn_WhenNotSignedIn()
    {
        var c = _h.F.CreateClient(new() { AllowAutoRedirect = false });
        var r = await c.GetAsync("/console/cases");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/console/login", r.Headers.Location!.ToString());
        // The admin token opens the admin API, never the console.
        var admin = _h.F.CreateClient(new() { AllowAutoRedirect = false });
        admin.DefaultRequestHeaders.Authorization = new("Bearer", "test-admin-token");
        var a = await admin.GetAsync("/console/cases");
        Assert.Equal(HttpStatusCode.Redirect, a.StatusCode);
    }

    [Fact]
    public async Task SignIn_ShouldAskWeComForTheUser_AndRefuseTheCodeASecondTime()
    {
        var client = _h.F.CreateClient(new() { AllowAutoRedirect = false });
        var start = await client.GetAsync("/console/login/wecom");
        var wecom = start.Headers.Location!.ToString();
        Assert.Contains("/connect/oauth2/authorize?", wecom);
        Assert.Contains("scope=snsapi_base", wecom);
        Assert.EndsWith("#wechat_redirect", wecom);
        _h.F.WeCom!.SignedInUser = "co_1";
        using var outside = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var callback = (await outside.GetAsync(wecom)).Headers.Location!.PathAndQuery;
        var ok = await client.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Contains("褚办公室", await client.GetStringAsync("/console"));
        Assert.Single(_h.F.WeCom.Simulator.CallsTo("/cgi-bin/auth/getuserinfo"), e => !e.Refused);

        // The same code again (a replayed link) in a fresh browser: the state cookie is missing, and WeCom refuses the code anyway.
        var replay = _h.F.CreateClient(new() { AllowAutoRedirect = false });
        await replay.GetAsync("/console/login/wecom");
        var again = await replay.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Contains("请重新登录", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignIn_ShouldRefuse_WhenTheCodeIsUsedTwiceOrTheUserIsNotOnTheRoster()
    {
        var sim = _h.F.WeCom!.Simulator;
        var client = _h.F.CreateClient(new() { AllowAutoRedirect = false });
        var state = StateOf((await client.GetAsync("/console/login/qr")).Headers.Location!.ToString());
        var code = sim.IssueOAuthCode("to_a");
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync($"/console/auth/callback?code={code}&state={state}")).StatusCode);

        var second = _h.F.CreateClient(new() { AllowAutoRedirect = false });
        state = StateOf((await second.GetAsync("/console/login/qr")).Headers.Location!.ToString());
        var r = await second.GetAsync($"/console/auth/callback?code={code}&state={state}");
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Contains("登录码已使用或已过期", await r.Content.ReadAsStringAsync());

        // A member of the corp who is not on the staff roster.
        sim.SetMember("stranger");
        state = StateOf((await second.GetAsync("/console/login/wecom")).Headers.Location!.ToString());
        r = await second.GetAsync($"/console/auth/callback?code={sim.IssueOAuthCode("stranger")}&state={state}");
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Contains("不在工作人员花名册中", await r.Content.ReadAsStringAsync());

        // A code older than 5 minutes.
        state = StateOf((await second.GetAsync("/console/login/wecom")).Headers.Location!.ToString());
        var old = sim.IssueOAuthCode("co_1");
        _h.F.Time.Advance(TimeSpan.FromMinutes(5));
        r = await second.GetAsync($"/console/auth/callback?code={old}&state={state}");
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
    }

    private static string StateOf(string url) => Regex.Match(url, "state=([0-9a-f]+)").Groups[1].Value;

    [Fact]
    public async Task Township_ShouldSeeItsTownshipOnly_AndGet403OnAnotherTownshipsCase()
    {
        var c = await _h.SignInAsync("to_a");
        var list = await c.GetStringAsync("/console/cases");
        Assert.Contains(_h.A1, list);
        Assert.DoesNotContain(_h.B1, list);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/console/cases/" + _h.A1)).StatusCode);
        var other = await c.GetAsync("/console/cases/" + _h.B1);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("不在你的管辖范围内", await other.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/console/cases/YL-2026-999999")).StatusCode);
    }

    [Fact]
    public async Task CaseDetail_ShouldShowTheCasesEvidence_AndServeItsFileOnlyWithinTheJurisdiction()
    {
        var photo = RapidResponse.Bot.Tests.Evidence.Media.Png(11);
        long id;
        using (var scope = _h.F.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapidResponse.Domain.Persistence.BotDb>();
            var store = scope.ServiceProvider.GetRequiredService<RapidResponse.Bot.Evidence.MediaStore>();
            var now = _h.F.Time.GetUtcNow();
            var item = new RapidResponse.Domain.Evidence.EvidenceItem
            {
                CaseId = db.Cases.Single(c => c.Number == _h.A1).Id, Kind = RapidResponse.Domain.Evidence.EvidenceKind.Image, Channel = InboundChannel.Kf,
                SenderId = "farmer", MediaId = "m1", ContentType = "image/png", Size = photo.Length, Status = RapidResponse.Domain.Evidence.EvidenceStatus.Stored,
                Sha256 = await store.PutAsync(db, photo, now, CancellationToken.None), ReceivedAt = now, StoredAt = now, Note = "医院票据",
            };
            db.Evidence.Add(item);
            await db.SaveChangesAsync();
            id = item.Id;
        }

        var c = await _h.SignInAsync("to_a");
        var detail = await c.GetStringAsync("/console/cases/" + _h.A1);
        Assert.Contains("data-testid=\"evidence\"", detail);
        Assert.Contains($"/console/cases/{_h.A1}/evidence/{id}", detail);
        Assert.Contains("医院票据", detail);
        var file = await c.GetAsync($"/console/cases/{_h.A1}/evidence/{id}");
        Assert.Equal("image/png", file.Content.Headers.ContentType!.MediaType);
        Assert.Equal(photo, await file.Content.ReadAsByteArrayAsync());
        Assert.DoesNotContain("data-testid=\"evidence\"", await c.GetStringAsync("/console/cases/" + _h.Closed)); // none there

        var other = await _h.SignInAsync("to_b");
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/console/cases/{_h.A1}/evidence/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync($"/console/cases/{_h.B1}/evidence/{id}")).StatusCode);
    }

    [Fact]
    public async Task Department_ShouldSeeOnlyCasesWithItsTasks_AndOnlyItsOwnTasks()
    {
        var jt = await _h.SignInAsync("d_jt");
        var list = await jt.GetStringAsync("/console/cases");
        Assert.Contains(_h.B1, list);
        Assert.DoesNotContain(_h.A1, list);
        Assert.Equal(HttpStatusCode.Forbidden, (await jt.GetAsync("/console/cases/" + _h.A1)).StatusCode);
        var detail = await jt.GetStringAsync("/console/cases/" + _h.B1);
        Assert.Contains("县教体局", detail);
        Assert.DoesNotContain("孙网格", detail); // the village's intake task is not the department's
        Assert.DoesNotContain("data-testid=\"audit\"", detail);

        var wj = await _h.SignInAsync("d_wj");
        list = await wj.GetStringAsync("/console/cases");
        Assert.Contains(_h.A1, list);
        Assert.DoesNotContain(_h.B1, list);
        detail = await wj.GetStringAsync("/console/cases/" + _h.A1);
        Assert.Contains("县卫健局", detail);
        Assert.DoesNotContain("县医保局", detail);
    }

    [Fact]
    public async Task Reveal_ShouldShowFullIdAndBeAudited_OnlyForTheHouseholdsVillageTownshipAndCountyOffice()
    {
        var town = await _h.SignInAsync("to_a");
        var page = await town.GetStringAsync("/console/cases/" + _h.A1);
        Assert.Contains("5301**********0019", page);
        Assert.DoesNotContain(TestRoster.IdZhang, page);

        // Without the antiforgery token the form is refused.
        var bare = await town.PostAsync($"/console/cases/{_h.A1}/reveal", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);

        var token = await TokenAsync(town, "/console/cases/" + _h.A1);
        var shown = await town.PostAsync($"/console/cases/{_h.A1}/reveal", new FormUrlEncodedContent([new("__af", token)]));
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        var html = await shown.Content.ReadAsStringAsync();
        Assert.Contains(TestRoster.IdZhang, html);
        Assert.Contains("13800000001", html);
        using (var db = _h.F.NewDb())
            Assert.Single(await db.AuditEvents.Where(a => a.Action == "console.reveal" && a.Actor == "to_a").ToListAsync());

        foreach (var who in new[] { "cl_1", "d_wj", "gm_a2" })
        {
            var c = await _h.SignInAsync(who);
            var detail = await c.GetAsync("/console/cases/" + _h.A1);
            if (detail.StatusCode == HttpStatusCode.OK) Assert.DoesNotContain("data-testid=\"reveal\"", await detail.Content.ReadAsStringAsync());
            var t = await TokenAsync(c, "/console");
            var r = await c.PostAsync($"/console/cases/{_h.A1}/reveal", new FormUrlEncodedContent([new("__af", t)]));
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.DoesNotContain(TestRoster.IdZhang, await r.Content.ReadAsStringAsync());
        }

        using (var db = _h.F.NewDb())
            Assert.Single(await db.AuditEvents.Where(a => a.Action == "console.reveal").ToListAsync());
    }

    [Fact]
    public async Task Ledger_ShouldFollowFiltersMaskIdsByRoleAndEscapeFormulas()
    {
        var county = await _h.SignInAsync("co_1");
        var rows = await LedgerAsync(county, "/console/ledger.xlsx");
        Assert.Equal(3, rows.Count);
        var b1 = rows.Single(r => (string)r["编号"] == _h.B1);
        Assert.Equal("'" + ConsoleHost.CmdName, b1["户主"]);
        Assert.Equal("530102199001011234", b1["身份证号"]);
        Assert.Equal("河口乡", b1["乡镇"]);
        Assert.Equal("否", b1["受理是否逾期"]);

        var filtered = await LedgerAsync(county, "/console/ledger.xlsx?township=" + TestRoster.TownA + "&state=open");
        Assert.Equal([_h.A1], filtered.Select(r => (string)r["编号"]));

        var leader = await _h.SignInAsync("cl_1");
        var masked = await LedgerAsync(leader, "/console/ledger.xlsx");
        Assert.Equal("5301**********0019", masked.Single(r => (string)r["编号"] == _h.A1)["身份证号"]);

        var bad = await county.GetAsync("/console/ledger.xlsx?from=10/1");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("2026-10-01", await bad.Content.ReadAsStringAsync());
    }

    private static async Task<List<IDictionary<string, object>>> LedgerAsync(HttpClient c, string url)
    {
        var r = await c.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r.Content.Headers.ContentType!.MediaType);
        using var ms = new MemoryStream(await r.Content.ReadAsByteArrayAsync());
        var rows = ms.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        if (rows.Count > 0)
            Assert.Equal(RapidResponse.Bot.CountyConsole.LedgerExport.Columns, rows[0].Keys);
        return rows;
    }

    [Fact]
    public async Task Requeue_ShouldSendADeadMessageAgain_OnlyForTheCountyOffice()
    {
        long id;
        using (var db = _h.F.NewDb())
        {
            var row = Outbound.Text(new Target(OutboundChannel.Webhook, "hook-town-a"), "城关镇：请处理逾期事项", null, "test:dead", _h.F.Time.GetUtcNow());
            row.Status = OutboxStatus.Dead;
            row.Attempts = 5;
            row.LastError = "45009 api freq out of limit";
            db.Outbox.Add(row);
            await db.SaveChangesAsync();
            id = row.Id;
        }

        var town = await _h.SignInAsync("to_a");
        var t = await TokenAsync(town, "/console");
        Assert.Equal(HttpStatusCode.Forbidden, (await town.PostAsync($"/console/outbox/{id}/requeue", new FormUrlEncodedContent([new("__af", t)]))).StatusCode);

        var county = await _h.SignInAsync("co_1");
        var token = await TokenAsync(county, "/console/outbox");
        Assert.Contains("45009", await county.GetStringAsync("/console/outbox"));
        var r = await county.PostAsync($"/console/outbox/{id}/requeue", new FormUrlEncodedContent([new("__af", token)]));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            using var db = _h.F.NewDb();
            if (await db.Outbox.AnyAsync(o => o.Id == id && o.Status == OutboxStatus.Sent)) break;
            await Task.Delay(100);
        }

        Assert.Contains(_h.F.WeCom!.Simulator.DeliveredTo("hook-town-a"), d => d.Json.Contains("请处理逾期事项"));
        using (var db = _h.F.NewDb())
        {
            Assert.Equal(OutboxStatus.Sent, (await db.Outbox.SingleAsync(o => o.Id == id)).Status);
            Assert.Single(await db.AuditEvents.Where(a => a.Action == "outbox.requeued" && a.Actor == "co_1").ToListAsync());
        }
    }

    [Fact]
    public async Task Overview_ShouldDrawChartsForTheTownshipsInScope()
    {
        var county = await _h.SignInAsync("co_1");
        var html = await county.GetStringAsync("/console");
        Assert.Contains("data-testid=\"chart-open\"", html);
        Assert.Contains("data-testid=\"chart-trend\"", html);
        Assert.Contains("城关镇", html);
        Assert.Contains("河口乡", html);
        Assert.Matches("data-testid=\"open-total\"><a[^>]*>2<", html);

        var town = await _h.SignInAsync("to_b");
        html = await town.GetStringAsync("/console");
        Assert.Matches("data-testid=\"open-total\"><a[^>]*>1<", html);
        Assert.DoesNotContain("城关镇", html);
    }

    [Fact]
    public async Task CaseList_ShouldFilterPageAndExplainBadFilters()
    {
        var county = await _h.SignInAsync("co_1");
        var html = await county.GetStringAsync("/console/cases?channel=CadreVisit");
        Assert.Contains(_h.B1, html);
        Assert.DoesNotContain(_h.A1, html);
        html = await county.GetStringAsync("/console/cases?risk=因病");
        Assert.Contains(_h.A1, html);
        Assert.DoesNotContain(_h.B1, html);
        html = await county.GetStringAsync("/console/cases?state=closed");
        Assert.Contains(_h.Closed, html);
        Assert.DoesNotContain(_h.A1, html);
        html = await county.GetStringAsync("/console/cases?from=2026-13-01&risk=穷");
        Assert.Contains("年-月-日", html);
        Assert.Contains("不在列表中", html);
    }

    [Fact]
    public async Task Rankings_ShouldShowLateComparisonDeductions_AndADepartmentOnlyItsOwnItems()
    {
        _h.F.Time.Advance(TimeSpan.FromDays(7)); // 卫健 and 医保 let A1's comparison run past its 2 working days
        // The sweep's step: each late answer becomes a 待核实 item (方城 附件3); only verified items count, so both confirm.
        using (var scope = _h.F.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapidResponse.Domain.Persistence.BotDb>();
            var calendar = scope.ServiceProvider.GetRequiredService<RapidResponse.Domain.Calendar.WorkingCalendar>();
            var items = await RapidResponse.Domain.Scoring.ScoreVerification.CreateLateComparisonsAsync(db, calendar, _h.F.Time.GetUtcNow());
            Assert.NotEmpty(items);
            foreach (var i in items) i.Status = RapidResponse.Domain.Scoring.ScoreStatus.Verified;
            await db.SaveChangesAsync();
        }
        var county = await _h.SignInAsync("co_1");
        var html = await county.GetStringAsync("/console/rankings");
        Assert.Contains("密切监测单位", html);
        Assert.Contains("相关单位", html);
        Assert.Contains("data-testid=\"chart-townships\"", html);
        Assert.Matches("县卫健局</td><td>97<", html);
        Assert.Contains("-3 ", html);

        var jt = await _h.SignInAsync("d_jt");
        html = await jt.GetStringAsync("/console/rankings");
        Assert.Matches("县卫健局</td><td>97<", html); // the ranking itself is public to departments
        Assert.Matches("县卫健局</td><td>97</td><td>1（−3）</td><td>0</td><td style=\"white-space:normal\"></td>", html); // 卫健's items are not 教体's to read
        Assert.Matches("县教体局</td><td>97</td><td>1（−3）</td><td>0</td><td style=\"white-space:normal\">-3 ", html); // its own are

        var bad = await county.GetAsync("/console/rankings?quarter=2026Q4");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("2026-Q4", await bad.Content.ReadAsStringAsync());
    }
}
