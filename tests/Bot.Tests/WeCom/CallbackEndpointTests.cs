using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.WeCom;

/// <summary>The app's WeCom callback URLs (/wecom/callback, /wecom/kf) of the real app on Kestrel: what is accepted lands in its inbox.</summary>
public sealed class CallbackEndpointTests : IAsyncLifetime
{
    private BotFactory _host = null!;

    public Task InitializeAsync()
    {
        _host = new BotFactory().WithWeCom().CaptureLogs().StartOnKestrel();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<List<InboxMessage>> InboxAsync()
    {
        await using var db = _host.NewDb();
        return await db.Inbox.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
    }

    /// <summary>The WeCom layer's warnings (the rest of the app may warn about other things).</summary>
    private List<(LogLevel Level, string Category, string Message)> Warnings() =>
        [.. _host.Logs!.Entries.Where(e => e.Level == LogLevel.Warning && e.Category.StartsWith("RapidResponse.Bot.WeCom", StringComparison.Ordinal))];

    [Fact]
    public async Task Get_ShouldAnswerExactEchoAsPlainText_WhenV1UrlVerificationArrives()
    {
        var response = await _host.Http.GetAsync(
            $"/wecom/callback{Callbacks.Query(Vectors.V1Signature, Vectors.V1Timestamp, Vectors.V1Nonce)}&echostr={Vectors.V1EchoUrlEncoded}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Encoding.ASCII.GetBytes(Vectors.V1Plain), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_ShouldKeepPlusSigns_WhenEchostrArrivesWithLiteralPlus()
    {
        // A literal '+' must stay '+' (ASP.NET's Request.Query would turn it into a space, pitfall §9.1).
        var response = await _host.Http.GetAsync(
            $"/wecom/callback{Callbacks.Query(Vectors.V1Signature, Vectors.V1Timestamp, Vectors.V1Nonce)}&echostr={Vectors.V1Echo}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Vectors.V1Plain, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_ShouldReturn400WithEmptyBody_WhenSignatureIsWrong()
    {
        var response = await _host.Http.GetAsync(
            $"/wecom/callback{Callbacks.Query(Vectors.V2Signature, Vectors.V1Timestamp, Vectors.V1Nonce)}&echostr={Vectors.V1EchoUrlEncoded}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Post_ShouldHandTextMessageToSinkAndAnswerEmpty200_WhenV2PayloadArrives()
    {
        var response = await _host.Http.PostXmlAsync(
            $"/wecom/callback{Callbacks.Query(Vectors.V2Signature, Vectors.V2Timestamp, Vectors.V2Nonce)}",
            Callbacks.OuterXml(Vectors.V2Encrypt));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var stored = Assert.Single(await InboxAsync());
        Assert.Equal(InboundChannel.App, stored.Channel);
        Assert.Equal("mycreate", stored.SenderId);
        Assert.Equal("app|msg|4561255354251345929", stored.DedupeKey);
        Assert.Equal("Text", stored.Kind);
        Assert.Contains("\"hello\"", stored.Payload);
    }

    [Fact]
    public async Task Post_ShouldDeliverSelectedItems_WhenTemplateCardEventArrives()
    {
        var (query, body) = Callbacks.SignedPost(Callbacks.AppCrypto(), InboundSamples.TemplateCardEvent);

        var response = await _host.Http.PostXmlAsync($"/wecom/callback{query}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var click = Assert.Single(await InboxAsync());
        Assert.Equal("app|card|ResponseCode", click.DedupeKey);
        Assert.Equal("CardClick", click.Kind);
    }

    [Fact]
    public async Task Post_ShouldReturn400AndStoreNothing_WhenSignatureIsWrong()
    {
        var response = await _host.Http.PostXmlAsync(
            $"/wecom/callback{Callbacks.Query(Vectors.V1Signature, Vectors.V2Timestamp, Vectors.V2Nonce)}",
            Callbacks.OuterXml(Vectors.V2Encrypt));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(await InboxAsync());
        var warning = Assert.Single(Warnings());
        Assert.Contains("BadSignature", warning.Message);
        Assert.DoesNotContain(Vectors.V1Signature, warning.Message);
        Assert.DoesNotContain(Vectors.Token, warning.Message);
    }

    [Fact]
    public async Task Post_ShouldReturn400AndStoreNothing_WhenPaddingIsCorrupt()
    {
        var key = Convert.FromBase64String(Vectors.AesKey + "=");
        using var aes = Aes.Create();
        aes.Key = key;
        var plain = new byte[64];
        plain[^1] = 40; // pad value above 32
        var encrypt = Convert.ToBase64String(aes.EncryptCbc(plain, key[..16], PaddingMode.None));
        var query = Callbacks.Query(Callbacks.AppCrypto().Sign("1", "2", encrypt), "1", "2");

        var response = await _host.Http.PostXmlAsync($"/wecom/callback{query}", Callbacks.OuterXml(encrypt));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await InboxAsync());
        Assert.Contains(Warnings(), e => e.Message.Contains("BadPadding"));
    }

    [Fact]
    public async Task Post_ShouldReturn400_WhenReceiveIdIsAnotherCorp()
    {
        var (query, body) = Callbacks.SignedPost(Callbacks.AppCrypto("ww0000000000000000"), Vectors.V2Plain);

        var response = await _host.Http.PostXmlAsync($"/wecom/callback{query}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await InboxAsync());
        Assert.Contains(Warnings(), e => e.Message.Contains("ReceiveIdMismatch"));
    }

    [Theory]
    [InlineData("<!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><xml><Encrypt>&xxe;</Encrypt></xml>")]
    [InlineData(InboundSamples.BillionLaughs)]
    [InlineData("<xml><Encrypt>unterminated")]
    [InlineData("")]
    public async Task Post_ShouldReturn400AndStoreNothing_WhenOuterXmlIsHostileOrBroken(string body)
    {
        var response = await _host.Http.PostXmlAsync($"/wecom/callback{Callbacks.Query(Vectors.V2Signature, Vectors.V2Timestamp, Vectors.V2Nonce)}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await InboxAsync());
    }

    [Fact]
    public async Task Post_ShouldReturn400_WhenAuthenticatedPlaintextCarriesADtd()
    {
        // Even a correctly signed payload must not get entity expansion.
        var (query, body) = Callbacks.SignedPost(Callbacks.AppCrypto(), InboundSamples.BillionLaughsInner);

        var response = await _host.Http.PostXmlAsync($"/wecom/callback{query}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await InboxAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_ShouldReturn413_WhenBodyExceeds64KiB(bool chunked)
    {
        var big = new string('a', 64 * 1024 + 1);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/wecom/callback{Callbacks.Query("a", "1", "2")}")
        {
            Content = new StringContent(big, Encoding.ASCII, "text/xml"),
        };
        // Chunked: no Content-Length, so the cap must be enforced while reading.
        request.Headers.TransferEncodingChunked = chunked;
        if (chunked)
        {
            request.Content.Headers.ContentLength = null;
        }

        var response = await _host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await InboxAsync());
    }

    [Fact]
    public async Task Post_ShouldGiveSinkTheSameDedupeKey_WhenTheSameCallbackArrivesFourTimesConcurrently()
    {
        var url = $"/wecom/callback{Callbacks.Query(Vectors.V2Signature, Vectors.V2Timestamp, Vectors.V2Nonce)}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _host.Http.PostXmlAsync(url, Callbacks.OuterXml(Vectors.V2Encrypt))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(await InboxAsync(), m => m.DedupeKey == "app|msg|4561255354251345929");
    }

    [Fact]
    public async Task PostKf_ShouldAnswerSuccessAndTagChannelKf_WhenKfNotificationArrives()
    {
        var (query, body) = Callbacks.SignedPost(Callbacks.KfCrypto(), InboundSamples.KfNotification);

        var response = await _host.Http.PostXmlAsync($"/wecom/kf{query}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        // A 微信客服 notification carries no message: the app pulls them from WeCom with the notification's token.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!_host.WeComCalls("/cgi-bin/kf/sync_msg").Any(c => c.TryGetProperty("token", out _)) && DateTime.UtcNow < deadline) await Task.Delay(20);
        var pull = Assert.Single(_host.WeComCalls("/cgi-bin/kf/sync_msg"), c => c.TryGetProperty("token", out _)); // (a catch-up pull has none)
        Assert.Equal("ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR", pull.GetProperty("token").GetString());
        Assert.Equal("wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q", pull.GetProperty("open_kfid").GetString());
    }

    [Fact]
    public async Task PostKf_ShouldReturn400_WhenSignedWithTheAppToken()
    {
        // Routing is by path: an app-signed payload on /wecom/kf must not be accepted (pitfall §9.15).
        var (query, body) = Callbacks.SignedPost(Callbacks.AppCrypto(), InboundSamples.KfNotification);

        var response = await _host.Http.PostXmlAsync($"/wecom/kf{query}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Task.Delay(300); // a pull would start at once
        Assert.Empty(_host.WeComCalls("/cgi-bin/kf/sync_msg"));
    }

    [Fact]
    public async Task GetKf_ShouldEchoPlaintext_WhenSignedWithTheKfToken()
    {
        var crypto = Callbacks.KfCrypto();
        var echo = crypto.Encrypt("8008208820");
        var url = $"/wecom/kf{Callbacks.Query(crypto.Sign("1", "2", echo), "1", "2")}&echostr={Uri.EscapeDataString(echo)}";

        var response = await _host.Http.GetAsync(url);

        Assert.Equal("8008208820", await response.Content.ReadAsStringAsync());
    }
}
