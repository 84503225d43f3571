using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RapidResponse.Bot.WeCom;
using RapidResponse.Bot.WeCom.Callbacks;
using RapidResponse.Bot.WeCom.Crypto;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.WeCom;

/// <summary>A real Kestrel host on 127.0.0.1:0 wired only through AddWeCom/MapWeCom, with a recording sink and log capture.</summary>
internal sealed class CallbackTestHost : IAsyncDisposable
{
    public const string KfToken = Callbacks.KfToken;

    private readonly WebApplication _app;

    private CallbackTestHost(WebApplication app, HttpClient http, RecordingSink sink, LogCapture logs)
    {
        _app = app;
        Http = http;
        Sink = sink;
        Logs = logs;
    }

    public HttpClient Http { get; }

    public RecordingSink Sink { get; }

    public LogCapture Logs { get; }

    /// <summary>Crypto as WeCom would use it for the app callback (V1 Token/key/CorpID).</summary>
    public static WeComCrypto AppCrypto(string receiveId = Vectors.CorpId) => WeComCrypto.Create(Vectors.Token, Vectors.AesKey, receiveId).Value;

    /// <summary>Crypto as WeCom would use it for the 微信客服 callback (its own Token and key, same CorpID).</summary>
    public static WeComCrypto KfCrypto() => WeComCrypto.Create(KfToken, Vectors.V3AesKey, Vectors.CorpId).Value;

    public static async Task<CallbackTestHost> StartAsync(bool withKf = true, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WeCom:CorpId"] = Vectors.CorpId,
            ["WeCom:AgentId"] = "218",
            ["WeCom:Secret"] = "app-secret",
            ["WeCom:Token"] = Vectors.Token,
            ["WeCom:EncodingAESKey"] = Vectors.AesKey,
            ["WeCom:Kf:Token"] = withKf ? KfToken : null,
            ["WeCom:Kf:EncodingAESKey"] = withKf ? Vectors.V3AesKey : null,
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        var logs = new LogCapture();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        var sink = new RecordingSink();
        builder.Services.AddSingleton<IInboundSink>(sink); // registered first: AddWeCom only TryAdds its default
        builder.AddWeCom();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapWeCom();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CallbackTestHost(app, new HttpClient { BaseAddress = new Uri(address) }, sink, logs);
    }

    /// <summary>Encrypts and signs a plaintext as WeCom does; returns the query string and outer XML body.</summary>
    public static (string Query, string Body) SignedPost(WeComCrypto crypto, string plaintext, string timestamp = "1700000000", string nonce = "12345")
    {
        var encrypt = crypto.Encrypt(plaintext);
        return (Query(crypto.Sign(timestamp, nonce, encrypt), timestamp, nonce), OuterXml(encrypt));
    }

    public static string Query(string signature, string timestamp, string nonce) =>
        $"?msg_signature={signature}&timestamp={timestamp}&nonce={nonce}";

    public static string OuterXml(string encrypt) =>
        $"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";

    public Task<HttpResponseMessage> PostXmlAsync(string path, string body) =>
        Http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "text/xml"));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Records every AcceptAsync call (even redeliveries), deduping like a real inbox would.</summary>
internal sealed class RecordingSink : IInboundSink
{
    private readonly InMemoryInboundSink _inner = new();

    public ConcurrentQueue<InboundEnvelope> Calls { get; } = new();

    public IReadOnlyList<InboundEnvelope> Accepted => _inner.Accepted;

    public Task<bool> AcceptAsync(InboundEnvelope envelope, CancellationToken cancellationToken)
    {
        Calls.Enqueue(envelope);
        return _inner.AcceptAsync(envelope, cancellationToken);
    }
}
