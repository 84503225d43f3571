using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.Tests.WeCom;
using RapidResponse.Bot.WeCom.Crypto;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>
/// One bot instance (the real Program) on the shared PostgreSQL database, in this process, with its own content root and
/// Quartz instance id, and the clock the cluster gives it. Several of these behind one "load balancer" are a deployment.
/// </summary>
internal sealed class ClusterNode : WebApplicationFactory<Program>
{
    private static readonly WeComCrypto Crypto = WeComCrypto.Create(Vectors.Token, Vectors.AesKey, Vectors.CorpId).Value;
    private readonly TimeProvider _time;
    private HttpClient? _http;

    public ClusterNode(string name, string connectionString, string weComUrl, TimeProvider time, IReadOnlyDictionary<string, string?> extra)
    {
        Name = name;
        _time = time;
        Directory = Path.Combine(Path.GetTempPath(), "rrb-tests", "pg-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Settings["Database:Provider"] = "Postgres";
        Settings["ConnectionStrings:Bot"] = connectionString;
        Settings[$"Admin:Tokens:{Infrastructure.BotFactory.AdminTokenName}"] = Infrastructure.BotFactory.AdminToken;
        Settings["Scheduler:Enabled"] = "false";
        Settings["Scheduler:InstanceName"] = "rrb-cluster";
        Settings["Scheduler:InstanceId"] = name;
        Settings["Sandbox:Enabled"] = "false";
        Settings["WeCom:CorpId"] = Vectors.CorpId;
        Settings["WeCom:AgentId"] = "1000002";
        Settings["WeCom:Secret"] = "app-secret";
        Settings["WeCom:Token"] = Vectors.Token;
        Settings["WeCom:EncodingAESKey"] = Vectors.AesKey;
        Settings["WeCom:ApiBaseUrl"] = weComUrl;
        Settings["Outbox:PollInterval"] = "00:00:00.050";
        Settings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (k, v) in extra) Settings[k] = v;
    }

    public string Name { get; }

    public string Directory { get; }

    public Dictionary<string, string?> Settings { get; } = new();

    public HttpClient Http => _http ??= CreateClient();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(Directory);
        builder.UseEnvironment("Testing");
        foreach (var (k, v) in Settings) builder.UseSetting(k, v);
        builder.ConfigureTestServices(s =>
        {
            s.RemoveAll<TimeProvider>();
            s.AddSingleton(_time);
        });
    }

    public BotDb NewDb() => Services.CreateScope().ServiceProvider.GetRequiredService<BotDb>();

    /// <summary>Posts an encrypted, signed app callback to this instance, as WeCom does (also when it re-delivers).</summary>
    public Task<HttpResponseMessage> PostCallbackAsync(string plaintext)
    {
        var (query, body) = Callbacks.SignedPost(Crypto, plaintext, _time.GetUtcNow().ToUnixTimeSeconds().ToString(), "n" + Random.Shared.Next());
        return Http.PostAsync("/wecom/callback" + query, new StringContent(body, System.Text.Encoding.UTF8, "text/xml"));
    }

    public static string TextCallback(string from, string text, long msgId, DateTimeOffset at) =>
        $"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><FromUserName><![CDATA[{from}]]></FromUserName>"
        + $"<CreateTime>{at.ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        + $"<Content><![CDATA[{text}]]></Content><MsgId>{msgId}</MsgId><AgentID>1000002</AgentID></xml>";

    protected override void Dispose(bool disposing)
    {
        _http?.Dispose();
        base.Dispose(disposing);
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
