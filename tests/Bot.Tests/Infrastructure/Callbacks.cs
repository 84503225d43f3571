using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RapidResponse.Bot.Tests.WeCom;
using RapidResponse.Bot.WeCom.Crypto;

namespace RapidResponse.Bot.Tests.Infrastructure;

/// <summary>How WeCom signs and encrypts what it posts to the bot's callback URLs (the app's and 微信客服's).</summary>
internal static class Callbacks
{
    /// <summary>The 微信客服 callback Token (its own, apart from the app's; <see cref="BotFactory.WithWeCom()"/> configures it).</summary>
    public const string KfToken = "KfTok3n";

    /// <summary>Crypto as WeCom would use it for the app callback (V1 Token/key/CorpID).</summary>
    public static WeComCrypto AppCrypto(string receiveId = Vectors.CorpId) => WeComCrypto.Create(Vectors.Token, Vectors.AesKey, receiveId).Value;

    /// <summary>Crypto as WeCom would use it for the 微信客服 callback (its own Token and key, same CorpID).</summary>
    public static WeComCrypto KfCrypto() => WeComCrypto.Create(KfToken, Vectors.V3AesKey, Vectors.CorpId).Value;

    /// <summary>Encrypts and signs a plaintext as WeCom does; returns the query string and outer XML body.</summary>
    public static (string Query, string Body) SignedPost(WeComCrypto crypto, string plaintext, string timestamp = "1700000000", string nonce = "12345")
    {
        var encrypt = crypto.Encrypt(plaintext);
        return (Query(crypto.Sign(timestamp, nonce, encrypt), timestamp, nonce), OuterXml(encrypt));
    }

    public static string Query(string signature, string timestamp, string nonce) =>
        $"?msg_signature={signature}&timestamp={timestamp}&nonce={nonce}";

    public static string OuterXml(string encrypt) =>
        $"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";

    public static Task<HttpResponseMessage> PostXmlAsync(this HttpClient http, string path, string body) =>
        http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "text/xml"));
}

/// <summary>Every log line of a host, for tests that assert what is (and is not) logged.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, category, formatter(state, exception)));
    }
}
