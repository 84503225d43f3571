using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using RapidResponse.Bot.WeCom.Callbacks;

namespace RapidResponse.Bot.Tests.WeCom;

public sealed class CallbackEndpointTests : IAsyncLifetime
{
    private CallbackTestHost _host = null!;

    public async Task InitializeAsync() => _host = await CallbackTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Get_ShouldAnswerExactEchoAsPlainText_WhenV1UrlVerificationArrives()
    {
        var response = await _host.Http.GetAsync(
            $"/wecom/callback{CallbackTestHost.Query(Vectors.V1Signature, Vectors.V1Timestamp, Vectors.V1Nonce)}&echostr={Vectors.V1EchoUrlEncoded}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Encoding.ASCII.GetBytes(Vectors.V1Plain), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_ShouldKeepPlusSigns_WhenEchostrArrivesWithLiteralPlus()
    {
        // A literal '+' must stay '+' (ASP.NET's Request.Query would turn it into a space, pitfall §9.1).
        var response = await _host.Http.GetAsync(
            $"/wecom/callback{CallbackTestHost.Query(Vectors.V1Signature, Vectors.V1Timestamp, Vectors.V1Nonce)}&echostr={Vectors.V1Echo}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Vectors.V1Plain, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_ShouldReturn400WithEmptyBody_WhenSignatureIsWrong()
    {
        var response = await _host.Http.GetAsync(
            $"/wecom/callback{CallbackTestHost.Query(Vectors.V2Signature, Vectors.V1Timestamp, Vectors.V1Nonce)}&echostr={Vectors.V1EchoUrlEncoded}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Post_ShouldHandTextMessageToSinkAndAnswerEmpty200_WhenV2PayloadArrives()
    {
        var response = await _host.PostXmlAsync(
            $"/wecom/callback{CallbackTestHost.Query(Vectors.V2Signature, Vectors.V2Timestamp, Vectors.V2Nonce)}",
            CallbackTestHost.OuterXml(Vectors.V2Encrypt));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var envelope = Assert.Single(_host.Sink.Accepted);
        Assert.Equal(CallbackChannel.App, envelope.Channel);
        Assert.Equal("mycreate", envelope.Sender);
        Assert.Equal(Vectors.V2Plain, envelope.RawXml);
        Assert.Equal("msg|4561255354251345929", envelope.DedupeKey);
        var text = Assert.IsType<TextMessage>(envelope.Message);
        Assert.Equal("hello", text.Content);
        Assert.Equal(218, text.Header.AgentId);
    }

    [Fact]
    public async Task Post_ShouldDeliverSelectedItems_WhenTemplateCardEventArrives()
    {
        var (query, body) = CallbackTestHost.SignedPost(CallbackTestHost.AppCrypto(), InboundSamples.TemplateCardEvent);

        var response = await _host.PostXmlAsync($"/wecom/callback{query}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = Assert.IsType<TemplateCardEvent>(Assert.Single(_host.Sink.Accepted).Message);
        Assert.Equal("card|ResponseCode", card.DedupeKey);
        Assert.Equal(["QuestionKey1", "QuestionKey2"], card.SelectedItems.Select(i => i.QuestionKey));
        Assert.Equal(["OptionId3", "OptionId4"], card.SelectedItems[1].OptionIds);
    }

    [Fact]
    public async Task Post_ShouldReturn400AndStoreNothing_WhenSignatureIsWrong()
    {
        var response = await _host.PostXmlAsync(
            $"/wecom/callback{CallbackTestHost.Query(Vectors.V1Signature, Vectors.V2Timestamp, Vectors.V2Nonce)}",
            CallbackTestHost.OuterXml(Vectors.V2Encrypt));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(_host.Sink.Calls);
        var warning = Assert.Single(_host.Logs.Entries, e => e.Level == LogLevel.Warning);
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
        var query = CallbackTestHost.Query(CallbackTestHost.AppCrypto().Sign("1", "2", encrypt), "1", "2");

        var response = await _host.PostXmlAsync($"/wecom/callback{query}", CallbackTestHost.OuterXml(encrypt));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Sink.Calls);
        Assert.Contains(_host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("BadPadding"));
    }

    [Fact]
    public async Task Post_ShouldReturn400_WhenReceiveIdIsAnotherCorp()
    {
        var (query, body) = CallbackTestHost.SignedPost(CallbackTestHost.AppCrypto("ww0000000000000000"), Vectors.V2Plain);

        var response = await _host.PostXmlAsync($"/wecom/callback{query}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Sink.Calls);
        Assert.Contains(_host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("ReceiveIdMismatch"));
    }

    [Theory]
    [InlineData("<!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><xml><Encrypt>&xxe;</Encrypt></xml>")]
    [InlineData(InboundSamples.BillionLaughs)]
    [InlineData("<xml><Encrypt>unterminated")]
    [InlineData("")]
    public async Task Post_ShouldReturn400AndStoreNothing_WhenOuterXmlIsHostileOrBroken(string body)
    {
        var response = await _host.PostXmlAsync($"/wecom/callback{CallbackTestHost.Query(Vectors.V2Signature, Vectors.V2Timestamp, Vectors.V2Nonce)}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Sink.Calls);
    }

    [Fact]
    public async Task Post_ShouldReturn400_WhenAuthenticatedPlaintextCarriesADtd()
    {
        // Even a correctly signed payload must not get entity expansion.
        var (query, body) = CallbackTestHost.SignedPost(CallbackTestHost.AppCrypto(), InboundSamples.BillionLaughsInner);

        var response = await _host.PostXmlAsync($"/wecom/callback{query}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Sink.Calls);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_ShouldReturn413_WhenBodyExceeds64KiB(bool chunked)
    {
        var big = new string('a', 64 * 1024 + 1);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/wecom/callback{CallbackTestHost.Query("a", "1", "2")}")
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
        Assert.Empty(_host.Sink.Calls);
    }

    [Fact]
    public async Task Post_ShouldGiveSinkTheSameDedupeKey_WhenTheSameCallbackArrivesFourTimesConcurrently()
    {
        var url = $"/wecom/callback{CallbackTestHost.Query(Vectors.V2Signature, Vectors.V2Timestamp, Vectors.V2Nonce)}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _host.PostXmlAsync(url, CallbackTestHost.OuterXml(Vectors.V2Encrypt))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(4, _host.Sink.Calls.Count);
        Assert.Single(_host.Sink.Calls.Select(c => c.DedupeKey).Distinct());
        Assert.Single(_host.Sink.Accepted);
    }

    [Fact]
    public async Task PostKf_ShouldAnswerSuccessAndTagChannelKf_WhenKfNotificationArrives()
    {
        var (query, body) = CallbackTestHost.SignedPost(CallbackTestHost.KfCrypto(), InboundSamples.KfNotification);

        var response = await _host.PostXmlAsync($"/wecom/kf{query}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        var envelope = Assert.Single(_host.Sink.Accepted);
        Assert.Equal(CallbackChannel.Kf, envelope.Channel);
        var kf = Assert.IsType<KfMsgOrEvent>(envelope.Message);
        Assert.Equal("ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR", kf.Token);
        Assert.Equal("wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q", kf.OpenKfId);
    }

    [Fact]
    public async Task PostKf_ShouldReturn400_WhenSignedWithTheAppToken()
    {
        // Routing is by path: an app-signed payload on /wecom/kf must not be accepted (pitfall §9.15).
        var (query, body) = CallbackTestHost.SignedPost(CallbackTestHost.AppCrypto(), InboundSamples.KfNotification);

        var response = await _host.PostXmlAsync($"/wecom/kf{query}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Sink.Calls);
    }

    [Fact]
    public async Task GetKf_ShouldEchoPlaintext_WhenSignedWithTheKfToken()
    {
        var crypto = CallbackTestHost.KfCrypto();
        var echo = crypto.Encrypt("8008208820");
        var url = $"/wecom/kf{CallbackTestHost.Query(crypto.Sign("1", "2", echo), "1", "2")}&echostr={Uri.EscapeDataString(echo)}";

        var response = await _host.Http.GetAsync(url);

        Assert.Equal("8008208820", await response.Content.ReadAsStringAsync());
    }
}
