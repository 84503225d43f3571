using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.WeCom;
using RapidResponse.Bot.WeCom.Simulator;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Infrastructure;

/// <summary>
/// A WeChat user on 微信客服, the real way: the message goes into the simulated WeCom (which opens the 48-hour window),
/// WeCom's encrypted notification is POSTed to /wecom/kf, and the bot pulls it with kf/sync_msg.
/// </summary>
public sealed class KfCustomer(BotFactory f, HttpClient http, string externalUserId, string openKfId = KfCustomer.Account)
{
    public const string Account = "wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q";

    public string Id => externalUserId;

    private WeComSimulator Sim => f.WeCom!.Simulator;

    public async Task SayAsync(string text)
    {
        var (msgId, token) = Sim.CustomerWrites(openKfId, externalUserId, text);
        await NotifyAsync(token, $"kfmsg|{msgId}");
    }

    /// <summary>Sends a photo (<c>image</c>), voice (<c>voice</c>) or file (<c>file</c>): WeCom holds the bytes under a media_id; returns it.</summary>
    public async Task<string> SendMediaAsync(string msgType, byte[] bytes, string contentType, string fileName)
    {
        var (msgId, token, mediaId) = Sim.CustomerSendsMedia(openKfId, externalUserId, msgType, bytes, contentType, fileName);
        await NotifyAsync(token, $"kfmsg|{msgId}");
        return mediaId;
    }

    /// <summary>Opens the chat (enter_session) through a link with <paramref name="sceneParam"/>; returns the welcome code WeCom issued.</summary>
    public async Task<string?> EnterAsync(string? sceneParam = null, TimeSpan? notificationDelay = null)
    {
        var (enter, token) = Sim.CustomerEnters(openKfId, externalUserId, "qr", sceneParam);
        if (notificationDelay is { } d) f.Time.Advance(d);
        await NotifyAsync(token, $"kfmsg|{enter.MsgId}");
        return enter.WelcomeCode;
    }

    private async Task NotifyAsync(string token, string dedupeKey)
    {
        var xml = $"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><CreateTime>{f.Time.GetUtcNow().ToUnixTimeSeconds()}</CreateTime>"
                  + $"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[{token}]]></Token>"
                  + $"<OpenKfId><![CDATA[{openKfId}]]></OpenKfId></xml>";
        var (query, body) = CallbackTestHost.SignedPost(CallbackTestHost.KfCrypto(), xml, f.Time.GetUtcNow().ToUnixTimeSeconds().ToString(), "n" + Random.Shared.Next());
        var r = await http.PostAsync("/wecom/kf" + query, new StringContent(body, System.Text.Encoding.UTF8, "text/xml"));
        Assert.True(r.IsSuccessStatusCode, $"kf callback answered {(int)r.StatusCode}");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using (var db = f.NewDb())
                if (await db.Inbox.AnyAsync(x => x.DedupeKey == dedupeKey && x.Status != InboxStatus.Pending)) break;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{dedupeKey} not pulled and processed");
            await Task.Delay(20);
        }

        await OutboxDrainedAsync(f);
    }

    /// <summary>Waits until nothing due is left in the outbox (held rows wait for the customer and do not count).</summary>
    public static async Task OutboxDrainedAsync(BotFactory f)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            using var db = f.NewDb();
            var now = f.Time.GetUtcNow();
            if (!await db.Outbox.AnyAsync(o => (o.Status == OutboxStatus.Pending && o.NotBefore <= now) || o.Status == OutboxStatus.Sending)) return;
            await Task.Delay(25);
        }

        throw new TimeoutException("outbox not drained");
    }

    /// <summary>The texts WeCom delivered to this customer, oldest first.</summary>
    public List<string> Received() =>
        [.. Sim.DeliveredTo(externalUserId).Select(d => System.Text.Json.Nodes.JsonNode.Parse(d.Json)!)
            .Select(j => j["text"]?["content"]?.GetValue<string>() ?? j["msgmenu"]?["head_content"]?.GetValue<string>() ?? "")];
}
