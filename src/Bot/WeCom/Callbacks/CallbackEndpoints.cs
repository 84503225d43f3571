using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.WeCom.Crypto;

namespace RapidResponse.Bot.WeCom.Callbacks;

/// <summary>
/// <c>GET|POST /wecom/callback</c> (self-built app) and <c>GET|POST /wecom/kf</c> (微信客服).
/// Authenticate, decrypt, hand to <see cref="IInboundSink"/>, answer at once; all processing happens later (pitfall §9.6).
/// </summary>
public static class CallbackEndpoints
{
    /// <summary>Bundled dependencies of the handlers.</summary>
    public readonly record struct CallbackServices(
        HttpContext Http,
        CallbackCryptoSet Cryptos,
        IInboundSink Sink,
        IPassiveReplyProvider Replies,
        TimeProvider Time,
        IOptions<WeComOptions> Options,
        ILoggerFactory LoggerFactory,
        CallbackRejections Rejections);

    public static IEndpointRouteBuilder MapWeComCallbacks(this IEndpointRouteBuilder app)
    {
        // Before authentication: the rate limiter per client address (WeCom:CallbackLimit), ahead of signature checks.
        if (app is not IApplicationBuilder pipeline)
            throw new InvalidOperationException("MapWeCom needs the application (it puts the rate limiter in front of /wecom/*), not a route group.");
        pipeline.UseRateLimiter();
        var group = app.MapGroup("/wecom").ExcludeFromDescription().RequireRateLimiting(CallbackRateLimit.Policy);
        group.MapGet("/callback", ([AsParameters] CallbackServices s) => VerifyUrl(s, CallbackChannel.App));
        group.MapPost("/callback", ([AsParameters] CallbackServices s) => ReceiveAsync(s, CallbackChannel.App));
        group.MapGet("/kf", ([AsParameters] CallbackServices s) => VerifyUrl(s, CallbackChannel.Kf));
        group.MapPost("/kf", ([AsParameters] CallbackServices s) => ReceiveAsync(s, CallbackChannel.Kf));
        return app;
    }

    /// <summary>URL verification: the body must be exactly the decrypted echostr, as text/plain, within 1 s (§1.2).</summary>
    internal static Results<ContentHttpResult, BadRequest, NotFound> VerifyUrl(CallbackServices s, CallbackChannel channel)
    {
        if (s.Cryptos.For(channel) is not { } crypto)
        {
            return TypedResults.NotFound();
        }

        var q = CallbackQuery.Parse(s.Http.Request.QueryString.Value);
        var echo = crypto.VerifyAndDecrypt(q.MsgSignature, q.Timestamp, q.Nonce, q.EchoStr);
        if (!echo.IsSuccess)
        {
            Reject(s, channel, "verify", echo.Error);
            return TypedResults.BadRequest();
        }

        return TypedResults.Text(echo.Value, "text/plain", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    internal static async Task<Results<Ok, ContentHttpResult, BadRequest, StatusCodeHttpResult, NotFound>> ReceiveAsync(
        CallbackServices s, CallbackChannel channel)
    {
        if (s.Cryptos.For(channel) is not { } crypto)
        {
            return TypedResults.NotFound();
        }

        var body = await CallbackBody.ReadAsync(s.Http.Request, s.Options.Value.MaxCallbackBodyBytes, s.Http.RequestAborted);
        if (body is null)
        {
            Reject(s, channel, "receive", "body too large");
            WeComMetrics.Callback(channel, "too_large");
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var q = CallbackQuery.Parse(s.Http.Request.QueryString.Value);
        if (OuterEnvelope.TryParse(body) is not { } outer)
        {
            Reject(s, channel, "receive", CryptoError.BadXml);
            WeComMetrics.Callback(channel, "bad_xml");
            return TypedResults.BadRequest();
        }

        var plain = crypto.VerifyAndDecrypt(q.MsgSignature, q.Timestamp, q.Nonce, outer.Encrypt);
        if (!plain.IsSuccess)
        {
            Reject(s, channel, "receive", plain.Error);
            WeComMetrics.Callback(channel, "bad_signature");
            return TypedResults.BadRequest();
        }

        // Authentic but unparseable plaintext is a WeCom-side format we do not know; 400 makes it visible in logs.
        if (InboundMessageParser.TryParse(plain.Value) is not { } message)
        {
            Reject(s, channel, "receive", "authenticated plaintext is not a callback XML");
            WeComMetrics.Callback(channel, "unparseable");
            return TypedResults.BadRequest();
        }

        var envelope = new InboundEnvelope(
            channel, message.DedupeKey, message.FromUserName, message, plain.Value, s.Time.GetUtcNow());
        var isNew = await s.Sink.AcceptAsync(envelope, s.Http.RequestAborted);
        WeComMetrics.Callback(channel, isNew ? "new" : "duplicate");
        Logger(s).LogInformation(
            "WeCom {Channel} callback {MsgType} from {Sender} stored (new: {IsNew})", channel, message.MsgType, Api.LogMask.Id(message.FromUserName), isNew);

        if (channel == CallbackChannel.App && await s.Replies.ReplyForAsync(envelope, isNew, s.Http.RequestAborted) is { } replyXml)
        {
            var encrypted = crypto.EncryptReply(replyXml, q.Timestamp ?? "", q.Nonce ?? "");
            return TypedResults.Text(encrypted, "text/xml", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }

        // App callbacks: empty 200 is the documented ack. 微信客服: "success", as most SDKs send (exact expectation unconfirmed, §1.7).
        return channel == CallbackChannel.Kf ? TypedResults.Text("success", "text/plain") : TypedResults.Ok();
    }

    /// <summary>Sampled (<see cref="CallbackRejections"/>): a flood of forged callbacks is one warning a minute per reason, with a count.</summary>
    private static void Reject(CallbackServices s, CallbackChannel channel, string step, object reason) =>
        s.Rejections.Report(channel, step, reason, s.Http.Connection.RemoteIpAddress);

    private static ILogger Logger(CallbackServices s) => s.LoggerFactory.CreateLogger(typeof(CallbackEndpoints).FullName!);
}
