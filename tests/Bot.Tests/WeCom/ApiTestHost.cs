using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Bot.WeCom;
using RapidResponse.Bot.WeCom.Api;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.WeCom;

/// <summary>WireMock on 127.0.0.1 standing in for qyapi.weixin.qq.com, and the client resolved through AddWeCom.</summary>
internal sealed class ApiTestHost : IAsyncDisposable
{
    public const string AppSecret = "app-secret-value";
    public const string KfSecret = "kf-secret-value";
    public const string GetTokenPath = "/cgi-bin/gettoken";
    public const string SendPath = "/cgi-bin/message/send";

    private readonly WebApplication _app;

    private ApiTestHost(WireMockServer server, WebApplication app, FakeTimeProvider time, LogCapture logs)
    {
        Server = server;
        _app = app;
        Time = time;
        Logs = logs;
    }

    public WireMockServer Server { get; }

    public FakeTimeProvider Time { get; }

    public LogCapture Logs { get; }

    public WeComApiClient Client => _app.Services.GetRequiredService<WeComApiClient>();

    public static ApiTestHost Start()
    {
        var server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WeCom:CorpId"] = "ww1436e0e65a779aee",
            ["WeCom:AgentId"] = "1000002",
            ["WeCom:Secret"] = AppSecret,
            ["WeCom:Token"] = Vectors.Token,
            ["WeCom:EncodingAESKey"] = Vectors.AesKey,
            ["WeCom:ApiBaseUrl"] = server.Url,
            ["WeCom:Kf:Secret"] = KfSecret,
        });
        var logs = new LogCapture();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.AddWeCom();
        return new ApiTestHost(server, builder.Build(), time, logs);
    }

    /// <summary>gettoken answers <paramref name="token"/>; with a delay so concurrent callers really overlap.</summary>
    public void GivenToken(string token, int expiresIn = 7200, int delayMs = 0, string secret = AppSecret)
    {
        var response = Response.Create().WithBodyAsJson(new { errcode = 0, errmsg = "ok", access_token = token, expires_in = expiresIn });
        Server.Given(Request.Create().WithPath(GetTokenPath).WithParam("corpsecret", secret).UsingGet())
            .RespondWith(delayMs > 0 ? response.WithDelay(delayMs) : response);
    }

    /// <summary>Answers <paramref name="path"/> called with <paramref name="token"/> by the JSON <paramref name="body"/>.</summary>
    public void Given(string path, object body, string? token = null)
    {
        var request = Request.Create().WithPath(path);
        if (token is not null)
        {
            request = request.WithParam("access_token", token);
        }

        Server.Given(request).RespondWith(Response.Create().WithBodyAsJson(body));
    }

    public void GivenRaw(string path, string json) =>
        Server.Given(Request.Create().WithPath(path))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(json));

    public int Calls(string path) => Server.LogEntries.Count(e => e.RequestMessage.Path == path);

    public string LastBody(string path) => Server.LogEntries.Last(e => e.RequestMessage.Path == path).RequestMessage.Body!;

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Server.Stop();
        Server.Dispose();
    }
}
