using System.Net;
using System.Security;
using System.Xml.Linq;
using RapidResponse.Bot.Tests.WeCom;
using RapidResponse.Bot.WeCom.Crypto;

namespace RapidResponse.Bot.Tests.Infrastructure;

/// <summary>
/// A WeCom member as the bot sees them: every message is encrypted and signed with the app's callback crypto and
/// POSTed to the real /wecom/callback endpoint; passive replies are decrypted.
/// </summary>
public sealed class WeComUser(BotFactory f, HttpClient http, string userId)
{
    private static long _msgId = 7_000_000_000_000_000_000;
    private static readonly WeComCrypto Crypto = WeComCrypto.Create(Vectors.Token, Vectors.AesKey, Vectors.CorpId).Value;

    public string UserId => userId;

    public async Task<HttpResponseMessage> SayAsync(string text, long? msgId = null)
    {
        var id = msgId ?? Interlocked.Increment(ref _msgId);
        var xml = $"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><FromUserName><![CDATA[{userId}]]></FromUserName>"
                  + $"<CreateTime>{f.Time.GetUtcNow().ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                  + $"<Content><![CDATA[{text}]]></Content><MsgId>{id}</MsgId><AgentID>1000002</AgentID></xml>";
        var r = await PostAsync(xml);
        await new ChatDriver(f).WaitIdleAsync();
        return r;
    }

    /// <summary>
    /// Clicks a card button; returns the passive reply's button label (update_button), if any. With the fake WeCom, the
    /// click is WeCom's: it issues the response code, and applies the passive reply only when it came within 5 s. A click
    /// WeCom would not allow (not a holder, greyed card) still reaches the bot with a made-up code, so tests can prove the
    /// bot's own checks.
    /// </summary>
    public async Task<string?> ClickAsync(string taskId, string key, string? responseCode = null, bool wait = true)
    {
        var sim = f.WeCom?.Simulator;
        var code = responseCode ?? sim?.Click(userId, taskId, key)?.ResponseCode ?? "RC" + Guid.NewGuid().ToString("N");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var xml = $"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><FromUserName><![CDATA[{userId}]]></FromUserName>"
                  + $"<CreateTime>{f.Time.GetUtcNow().ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                  + $"<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[{key}]]></EventKey><TaskId><![CDATA[{taskId}]]></TaskId>"
                  + $"<CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[{code}]]></ResponseCode><AgentID>1000002</AgentID></xml>";
        var r = await PostAsync(xml);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var body = await r.Content.ReadAsStringAsync();
        var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        string? label = null;
        if (body.Length > 0)
        {
            var outer = XDocument.Parse(body).Root!;
            var plain = Crypto.Decrypt(outer.Element("Encrypt")!.Value).Value;
            label = XDocument.Parse(plain).Root!.Element("Button")?.Element("ReplaceName")?.Value;
            if (label is not null) sim?.PassiveReply(userId, taskId, label, took);
        }

        if (wait) await new ChatDriver(f).WaitIdleAsync();
        return label;
    }

    /// <summary>Sends a photo, voice message or file the app received: WeCom holds the bytes under a media_id (3 days).</summary>
    public async Task<string> SendMediaAsync(string msgType, byte[] bytes, string contentType, string fileName)
    {
        var mediaId = f.WeCom!.Simulator.AddInboundMedia(bytes, contentType, fileName);
        var id = Interlocked.Increment(ref _msgId);
        var extra = msgType switch
        {
            "image" => $"<PicUrl><![CDATA[https://wework.qpic.cn/{mediaId}]]></PicUrl><MediaId><![CDATA[{mediaId}]]></MediaId>",
            "voice" => $"<MediaId><![CDATA[{mediaId}]]></MediaId><Format><![CDATA[amr]]></Format>",
            _ => $"<MediaId><![CDATA[{mediaId}]]></MediaId><FileName><![CDATA[{fileName}]]></FileName>",
        };
        var xml = $"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><FromUserName><![CDATA[{userId}]]></FromUserName>"
                  + $"<CreateTime>{f.Time.GetUtcNow().ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[{msgType}]]></MsgType>"
                  + $"{extra}<MsgId>{id}</MsgId><AgentID>1000002</AgentID></xml>";
        var r = await PostAsync(xml);
        Assert.True(r.IsSuccessStatusCode);
        await new ChatDriver(f).WaitIdleAsync();
        return mediaId;
    }

    /// <summary>Clicks an item of the app's menu (a click event with its key, e.g. my_tasks).</summary>
    public async Task<HttpResponseMessage> MenuAsync(string key)
    {
        var xml = $"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><FromUserName><![CDATA[{userId}]]></FromUserName>"
                  + $"<CreateTime>{f.Time.GetUtcNow().ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                  + $"<Event><![CDATA[click]]></Event><EventKey><![CDATA[{key}]]></EventKey><AgentID>1000002</AgentID></xml>";
        var r = await PostAsync(xml);
        await new ChatDriver(f).WaitIdleAsync();
        return r;
    }

    public Task<HttpResponseMessage> PostAsync(string plaintext)
    {
        var (query, body) = CallbackTestHost.SignedPost(Crypto, plaintext, f.Time.GetUtcNow().ToUnixTimeSeconds().ToString(), "n" + Random.Shared.Next());
        return http.PostAsync("/wecom/callback" + query, new StringContent(body, System.Text.Encoding.UTF8, "text/xml"));
    }

    public static string Escape(string s) => SecurityElement.Escape(s);
}
