using System.Net;
using RapidResponse.Bot.Tests.Sandbox;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.CountyConsole;

/// <summary>In the sandbox the console signs in as any persona through the same OAuth redirect, answered by the in-process rule-keeper.</summary>
public sealed class ConsoleSandboxTests
{
    [Fact]
    public async Task SandboxConsole_ShouldSignInAsAPersona_ThroughTheStandInWeComPage()
    {
        await using var host = await SandboxApp.StartAsync(SandboxApp.Monday);
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { BaseAddress = host.BaseAddress };
        var login = await http.GetStringAsync("/console/login");
        Assert.Contains("co_matian", login);
        Assert.Contains("to_zhaochuan", login);

        var r = await http.GetAsync("/console/login/wecom?as=to_zhaochuan");
        var html = await r.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("/console", r.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("赵川 · 乡镇干部", html);
        var sim = host.Services.GetService(typeof(RapidResponse.Bot.WeCom.Simulator.WeComSimulator)) as RapidResponse.Bot.WeCom.Simulator.WeComSimulator;
        Assert.Single(sim!.CallsTo("/cgi-bin/auth/getuserinfo"), e => !e.Refused);

        // A persona that is not on the roster is turned away by the console, not by the stand-in.
        using var other = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = host.BaseAddress };
        var refused = await other.GetAsync("/console/login/wecom?as=nobody_here");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
