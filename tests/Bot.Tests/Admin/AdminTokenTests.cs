using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using RapidResponse.Bot.Admin;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Admin;

/// <summary>Named admin tokens (issue 12, item 5): at least 32 characters, placeholders and the retired single token refused, the name is the actor.</summary>
public sealed class AdminTokenTests
{
    private const string CountyOffice = "county-office-token-0123456789abcdef", Auditor = "auditor-token-0123456789abcdef-000001";

    [Theory]
    [InlineData("Admin:Tokens:short", "tooshort-token", "Admin:Tokens:short is 14 characters long; an admin token needs at least 32")]
    [InlineData("Admin:Tokens:county-office", "<at-least-32-random-characters>", "Admin:Tokens:county-office is still the placeholder of appsettings.sample.json")]
    [InlineData("Admin:ApiToken", "a-long-legacy-single-token-0123456789abcdef", "Admin:ApiToken is no longer read")]
    public void Host_ShouldRefuseToStart_WhenAnAdminTokenIsUnusable(string key, string value, string expected)
    {
        using var f = new BotFactory();
        f.Settings[key] = value;
        var e = Record.Exception(() => f.CreateClient());
        Assert.NotNull(e);
        var message = string.Join(" | ", Flatten(e));
        Assert.Contains(expected, message);
        Assert.DoesNotContain(value, message.Replace("appsettings.sample.json", "")); // never the token itself
    }

    [Fact]
    public void IsEnabled_ShouldAcceptExactly32Characters_AndRefuse31()
    {
        Assert.True(AdminAuth.IsEnabled(Config(("Admin:Tokens:ok", new string('k', 32)))));
        var e = Assert.Throws<InvalidOperationException>(() => AdminAuth.IsEnabled(Config(("Admin:Tokens:ok", new string('k', 31)))));
        Assert.Contains("31 characters", e.Message);
        Assert.False(AdminAuth.IsEnabled(Config()));
    }

    [Fact]
    public void IsEnabled_ShouldRefuseTheSample_WhenItsPlaceholderIsCopiedAsIs()
    {
        var sample = new ConfigurationBuilder().AddJsonFile(SampleFile()).Build();
        Assert.NotEmpty(AdminAuth.Tokens(sample));
        var e = Assert.Throws<InvalidOperationException>(() => AdminAuth.IsEnabled(sample));
        Assert.Contains("placeholder", e.Message);
    }

    [Fact]
    public void IsEnabled_ShouldRefuse_WhenTwoNamesShareOneToken()
    {
        var e = Assert.Throws<InvalidOperationException>(() => AdminAuth.IsEnabled(Config(("Admin:Tokens:a", CountyOffice), ("Admin:Tokens:b", CountyOffice))));
        Assert.Contains("a and b share one token", e.Message);
    }

    [Fact]
    public async Task ScoreEvents_ShouldRecordTheTokenNameAsActor_WhenEachCallerHasTheirOwnToken()
    {
        using var f = new BotFactory();
        f.Settings["Admin:Tokens:county-office"] = CountyOffice;
        f.Settings["Admin:Tokens:auditor"] = Auditor;
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);

        async Task<HttpStatusCode> Post(string? token, string reason)
        {
            var r = new HttpRequestMessage(HttpMethod.Post, "/api/score-events")
            {
                Content = JsonContent.Create(new { departmentCode = "ZJ", quarter = "2026-Q4", ruleCode = "D1", reason, enteredBy = "孙办公室" }),
            };
            if (token is not null) r.Headers.Authorization = new("Bearer", token);
            return (await http.SendAsync(r)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Created, await Post(CountyOffice, "暗访发现住房安全问题未主动报告"));
        Assert.Equal(HttpStatusCode.Created, await Post(Auditor, "督查发现危房改造台账不全"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Post(CountyOffice[..^1], "差一个字符的令牌"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Post(null, "没有令牌"));

        using var check = f.NewDb();
        var audit = await check.AuditEvents.Where(a => a.Action == "score.entered").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["county-office", "auditor"], audit.Select(a => a.Actor));
        Assert.All(audit, a => Assert.Equal("admin", a.ActorRole));
        Assert.All(audit, a => Assert.Contains("录入人：孙办公室", a.Detail));
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static IEnumerable<string> Flatten(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e.Message;
    }

    private static string SampleFile()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "appsettings.sample.json"))) return Path.Combine(d.FullName, "appsettings.sample.json");
        throw new FileNotFoundException("appsettings.sample.json");
    }
}
