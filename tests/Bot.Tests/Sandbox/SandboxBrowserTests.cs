using Microsoft.Playwright;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Sandbox;

/// <summary>
/// The sandbox page in a real headless browser (Debian's chromium driven by Playwright) against the real app on Kestrel:
/// a farmer reports, the grid monitor accepts on the card, time travels past the comparison deadline.
/// </summary>
public sealed class SandboxBrowserTests
{
    public const string Chromium = "/usr/bin/chromium";

    private static async Task<IBrowser> LaunchAsync(IPlaywright pw)
    {
        Assert.True(File.Exists(Chromium),
            $"{Chromium} is missing: the browser tests need Debian's chromium and fonts-wqy-zenhei. Run scripts/install-test-deps.sh (./test.sh runs it), never `playwright install`.");
        return await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    [Fact]
    public async Task SandboxPage_ShouldPlayReportAcceptAndTimeTravel_WhenClickedThroughInBrowser()
    {
        await using var host = await SandboxApp.StartAsync(SandboxApp.Monday);
        using var pw = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(pw);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 375, Height = 812 }, Locale = "zh-CN" });
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(host.BaseAddress + "?as=wm_demo_farmer_1");
        await Assertions.Expect(page.GetByTestId("clock-now")).ToContainTextAsync("2026年10月12日");

        // The farmer reports in one message, then confirms.
        var chat = page.GetByTestId("chat");
        await page.GetByTestId("text").FillAsync("申报\n姓名：王乙子\n身份证号：990101198904220012\n村：桃园村\n困难类型：因病\n情况说明：丈夫住院，自付医疗费三万元\n联系电话：13800000001");
        await page.GetByTestId("send").ClickAsync();
        await Assertions.Expect(chat).ToContainTextAsync("请核对");
        await page.GetByTestId("text").FillAsync("确认");
        await page.GetByTestId("text").PressAsync("Enter");
        await Assertions.Expect(chat).ToContainTextAsync("YL-2026-000001");

        // The grid monitor of 桃园村 sees the intake card and clicks 受理; the card greys out with the result.
        await page.GetByTestId("persona").SelectOptionAsync("gm_lishu");
        var card = chat.Locator(".card").Filter(new LocatorFilterOptions { HasText = "受理任务" });
        await card.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "受理", Exact = true }).ClickAsync();
        await Assertions.Expect(card.Locator(".card-done")).ToHaveTextAsync("已受理（李树）");
        await Assertions.Expect(chat).ToContainTextAsync("下一步“信息比对”已派发");

        // Time travel past the comparison deadline (2 working days: Wednesday 10-14 23:59) with +1周.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "+1周" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("clock-now")).ToContainTextAsync("2026年10月19日");
        Assert.True(host.Clock().GetUtcNow() > new DateTimeOffset(2026, 10, 14, 23, 59, 59, TimeSpan.FromHours(8)));

        // The township group view lists 东岭镇's group.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "群聊" }).ClickAsync();
        await page.GetByTestId("group").SelectOptionAsync("demo-township-1");
        var group = page.GetByTestId("group-messages");
        await Assertions.Expect(group).ToBeVisibleAsync();
        await Assertions.Expect(group).ToContainTextAsync("逾期", new() { Timeout = 20_000 });

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(host.Directory, "mobile.png") });
    }

    /// <summary>The README's screenshot: the page on a desktop-sized window mid-flow (docs/sandbox.png when RRB_UPDATE_SCREENSHOT=1).</summary>
    [Fact]
    public async Task SandboxPage_ShouldRenderCardsAndGroups_WhenOpenedOnDesktop()
    {
        await using var host = await SandboxApp.StartAsync(SandboxApp.Monday);
        await host.PostAsync("/sandbox/send", new { from = "wm_demo_farmer_1", text = "申报\n姓名：王乙子\n身份证号：990101198904220012\n村：桃园村\n困难类型：因病\n情况说明：丈夫住院，自付医疗费三万元\n联系电话：13800000001" });
        await host.PostAsync("/sandbox/send", new { from = "wm_demo_farmer_1", text = "确认" });
        await host.PostAsync("/sandbox/send", new { from = "gm_lishu", text = "我的任务" });
        using var pw = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(pw);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 760 }, Locale = "zh-CN" });
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(host.BaseAddress + "?as=gm_lishu");
        var chat = page.GetByTestId("chat");
        await Assertions.Expect(chat.Locator(".card").First).ToContainTextAsync("受理任务");
        await Assertions.Expect(page.GetByTestId("group-messages")).ToBeVisibleAsync();
        // Nothing is fetched from outside the app (no CDN): every request went to the app itself.
        var foreign = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith(host.BaseAddress.ToString(), StringComparison.Ordinal)) foreign.Add(r.Url); };
        await page.ReloadAsync();
        await Assertions.Expect(chat.Locator(".card").First).ToContainTextAsync("受理任务");
        Assert.Empty(foreign);
        // The README's picture is refreshed on request only (RRB_UPDATE_SCREENSHOT=1), so a test run leaves the tree clean.
        var target = Environment.GetEnvironmentVariable("RRB_UPDATE_SCREENSHOT") == "1"
            ? Path.Combine(RepoRoot(), "docs", "sandbox.png")
            : Path.Combine(host.Directory, "sandbox.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = target });
        Assert.True(new FileInfo(target).Length > 10_000);
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Bot.sln"))) return d.FullName;
        throw new InvalidOperationException("Bot.sln not found above the test binaries.");
    }
}
