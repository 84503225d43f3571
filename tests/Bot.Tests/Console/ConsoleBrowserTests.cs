using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniExcelLibs;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.Tests.Sandbox;

namespace RapidResponse.Bot.Tests.CountyConsole;

/// <summary>
/// The console in Debian's chromium (Playwright) against the real app on Kestrel and the fake WeCom over HTTP: the county
/// office signs in through the OAuth redirect, filters, opens a case, reveals the ID (audited), downloads the ledger, uploads a roster file (row errors shown); a
/// township gets 403 on another township's case; a department sees only its own; a dead message requeued from the page is sent.
/// </summary>
public sealed class ConsoleBrowserTests
{
    private static async Task<IBrowser> LaunchAsync(IPlaywright pw)
    {
        Assert.True(File.Exists(SandboxBrowserTests.Chromium), "Debian's chromium is missing: run scripts/install-test-deps.sh.");
        return await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = SandboxBrowserTests.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    private static string BaseUrl(ConsoleHost h) =>
        h.F.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    /// <summary>A fresh browser context signed in as <paramref name="userId"/> by clicking through the sign-in page.</summary>
    private static async Task<IPage> SignInAsync(IBrowser browser, ConsoleHost h, string userId, int width = 1280, int height = 900)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "zh-CN", AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        h.F.WeCom!.SignedInUser = userId;
        await page.GotoAsync(BaseUrl(h) + "/console");
        Assert.Contains("/console/login", page.Url);
        await page.GetByTestId("login-wecom").ClickAsync();
        await Assertions.Expect(page.GetByTestId("who")).ToBeVisibleAsync();
        return page;
    }

    [Fact]
    public async Task Console_ShouldSignInFilterOpenRevealAndExport_WhenTheCountyOfficeClicksThrough()
    {
        using var h = new ConsoleHost(kestrel: true);
        using var pw = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(pw);
        var page = await SignInAsync(browser, h, "co_1");
        await Assertions.Expect(page.GetByTestId("who")).ToContainTextAsync("褚办公室");
        await Assertions.Expect(page.GetByTestId("chart-open")).ToContainTextAsync("河口乡");
        Assert.Single(h.F.WeCom!.Simulator.CallsTo("/cgi-bin/auth/getuserinfo"), e => !e.Refused);

        // Filter the list to 河口乡.
        await page.GetByRole(AriaRole.Link, new() { Name = "案件", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("total")).ToContainTextAsync("共 3 件");
        await page.GetByTestId("f-township").SelectOptionAsync(TestRoster.TownB);
        await page.GetByTestId("apply").ClickAsync();
        await Assertions.Expect(page.GetByTestId("total")).ToContainTextAsync("共 1 件");
        await Assertions.Expect(page.GetByTestId("cases")).ToContainTextAsync(h.B1);
        await Assertions.Expect(page.GetByTestId("cases")).Not.ToContainTextAsync(h.A1);

        // The ledger with the same filter, read back with MiniExcel: columns, the ID (the county office may see it), the escaped formula.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("ledger").ClickAsync());
        var file = Path.Combine(h.F.Directory, "ledger.xlsx");
        await download.SaveAsAsync(file);
        var rows = MiniExcel.Query(file, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        var row = Assert.Single(rows);
        Assert.Equal(RapidResponse.Bot.CountyConsole.LedgerExport.Columns, row.Keys);
        Assert.Equal(h.B1, row["编号"]);
        Assert.Equal("'" + ConsoleHost.CmdName, row["户主"]);
        Assert.Equal("530102199001011234", row["身份证号"]);

        // Open the case: stages with start/due/who, the audit trail, masked ID until 查看完整.
        await page.GetByRole(AriaRole.Link, new() { Name = h.B1 }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("stages")).ToContainTextAsync("信息比对");
        await Assertions.Expect(page.GetByTestId("stages")).ToContainTextAsync("县教体局");
        await Assertions.Expect(page.GetByTestId("audit")).ToContainTextAsync("孙网格");
        await Assertions.Expect(page.GetByTestId("id-number")).ToHaveTextAsync("5301**********1234");
        await page.GetByTestId("reveal").ClickAsync();
        await Assertions.Expect(page.GetByTestId("id-number")).ToHaveTextAsync("530102199001011234");
        await Assertions.Expect(page.GetByTestId("audit")).ToContainTextAsync("console.reveal");
        using (var db = h.F.NewDb())
            Assert.Single(await db.AuditEvents.Where(a => a.Action == "console.reveal" && a.Actor == "co_1").ToListAsync());

        // A leader's ledger masks the ID.
        var leader = await SignInAsync(browser, h, "cl_1");
        await leader.GotoAsync(BaseUrl(h) + "/console/cases");
        download = await leader.RunAndWaitForDownloadAsync(() => leader.GetByTestId("ledger").ClickAsync());
        await download.SaveAsAsync(file = Path.Combine(h.F.Directory, "ledger-leader.xlsx"));
        rows = MiniExcel.Query(file, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal("5301**********1234", rows.Single(r => (string)r["编号"] == h.B1)["身份证号"]);

        // The roster import form (reached from the navigation): a households file with one bad row; the row error is shown
        // with its line, the good row is imported.
        await page.GetByRole(AriaRole.Link, new() { Name = "导入花名册", Exact = true }).ClickAsync();
        await page.GetByTestId("import-kind").SelectOptionAsync("households");
        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "households.csv", MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes("household_no,head_name,id_number,phone,village_code,category,members,income_per_capita,contact_userid\n"
                + "H-B1-001,周五,110101199003077774,,530102001,,2,6000,\nH-B1-002,吴六,530101198001010010,,530102001,,3,5000,\n"),
        });
        await page.GetByTestId("import-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-summary")).ToContainTextAsync("新增 1");
        await Assertions.Expect(page.GetByTestId("import-errors")).ToContainTextAsync("第3行");
        using (var db = h.F.NewDb())
            Assert.True(await db.Households.AnyAsync(x => x.HouseholdNo == "H-B1-001"));

        // Logout ends the session.
        await page.GetByRole(AriaRole.Button, new() { Name = "退出" }).ClickAsync();
        await page.GotoAsync(BaseUrl(h) + "/console/cases");
        Assert.Contains("/console/login", page.Url);
    }

    [Fact]
    public async Task Console_ShouldRefuseOtherTownshipsCase_AndShowADepartmentOnlyItsTasks_InTheBrowser()
    {
        using var h = new ConsoleHost(kestrel: true);
        using var pw = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(pw);
        var town = await SignInAsync(browser, h, "to_a", 390, 844);
        var refused = await town.GotoAsync(BaseUrl(h) + "/console/cases/" + h.B1);
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(town.GetByTestId("forbidden")).ToContainTextAsync("不在你的管辖范围内");

        var dept = await SignInAsync(browser, h, "d_jt", 390, 844);
        await dept.GotoAsync(BaseUrl(h) + "/console/cases");
        await Assertions.Expect(dept.GetByTestId("total")).ToContainTextAsync("共 1 件");
        await Assertions.Expect(dept.GetByTestId("cases")).ToContainTextAsync(h.B1);
        await dept.GetByRole(AriaRole.Link, new() { Name = h.B1 }).ClickAsync();
        await Assertions.Expect(dept.GetByTestId("stages")).ToContainTextAsync("县教体局");
        await Assertions.Expect(dept.GetByTestId("stages")).Not.ToContainTextAsync("受理");
        await Assertions.Expect(dept.GetByTestId("reveal")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task FailedMessages_ShouldSendADeadMessageAgain_WhenTheCountyOfficeClicksRequeueInTheBrowser()
    {
        using var h = new ConsoleHost(kestrel: true);
        long id;
        using (var db = h.F.NewDb())
        {
            var row = RapidResponse.Domain.Messaging.Outbound.Text(new RapidResponse.Domain.Messaging.Target(RapidResponse.Domain.Messaging.OutboundChannel.Webhook, "hook-town-a"),
                "城关镇：李树村案件入户核查已逾期，请处理", null, "test:dead-browser", h.F.Time.GetUtcNow());
            row.Status = RapidResponse.Domain.Messaging.OutboxStatus.Dead;
            row.Attempts = 5;
            row.LastError = "45009 api freq out of limit";
            db.Outbox.Add(row);
            await db.SaveChangesAsync();
            id = row.Id;
        }

        using var pw = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(pw);
        var page = await SignInAsync(browser, h, "co_1");
        await page.GetByRole(AriaRole.Link, new() { Name = "失败消息", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("dead")).ToContainTextAsync("45009");
        Assert.Empty(h.F.WeCom!.Simulator.DeliveredTo("hook-town-a"));
        await page.GetByTestId($"requeue-{id}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("dead")).ToContainTextAsync("没有发送失败的消息");

        // Actually sent: the fake WeCom's group robot received it, and the row is Sent.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !h.F.WeCom.Simulator.DeliveredTo("hook-town-a").Any()) await Task.Delay(100);
        Assert.Contains(h.F.WeCom.Simulator.DeliveredTo("hook-town-a"), d => d.Json.Contains("入户核查已逾期"));
        using (var db = h.F.NewDb())
        {
            var sent = await db.Outbox.AsNoTracking().SingleAsync(o => o.Id == id);
            for (var i = 0; i < 100 && sent.Status != RapidResponse.Domain.Messaging.OutboxStatus.Sent; i++)
            {
                await Task.Delay(100);
                sent = await db.Outbox.AsNoTracking().SingleAsync(o => o.Id == id);
            }
            Assert.Equal(RapidResponse.Domain.Messaging.OutboxStatus.Sent, sent.Status);
            Assert.Single(await db.AuditEvents.Where(a => a.Action == "outbox.requeued" && a.Actor == "co_1").ToListAsync());
        }
    }

    /// <summary>The README's picture of the overview (docs/console.png when RRB_UPDATE_SCREENSHOT=1); nothing is fetched from outside the app.</summary>
    [Fact]
    public async Task Overview_ShouldRenderWithoutOutsideRequests_OnADesktop()
    {
        using var h = new ConsoleHost(kestrel: true, start: new DateTimeOffset(2025, 11, 3, 9, 0, 0, TimeSpan.FromHours(8)));
        h.History(new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8)));
        using var pw = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(pw);
        var page = await SignInAsync(browser, h, "co_1", 1280, 860);
        await Assertions.Expect(page.GetByTestId("overdue-total")).Not.ToHaveTextAsync("0");
        var foreign = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith(BaseUrl(h), StringComparison.Ordinal)) foreign.Add(r.Url); };
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("chart-trend")).ToBeVisibleAsync();
        Assert.Empty(foreign);
        var target = Environment.GetEnvironmentVariable("RRB_UPDATE_SCREENSHOT") == "1"
            ? Path.Combine(RepoRoot(), "docs", "console.png")
            : Path.Combine(h.F.Directory, "console.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = target, FullPage = true });
        Assert.True(new FileInfo(target).Length > 10_000);
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Bot.sln"))) return d.FullName;
        throw new InvalidOperationException("Bot.sln not found above the test binaries.");
    }
}
