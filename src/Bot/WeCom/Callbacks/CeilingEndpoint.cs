using Microsoft.Extensions.Options;

namespace RapidResponse.Bot.WeCom.Callbacks;

/// <summary>
/// The bare ceiling for the ingest benchmark: the same body read, outer parse, signature check and decrypt as
/// POST /wecom/callback, and nothing else. Mapped only when `Bench:CeilingEndpoint=true`.
/// </summary>
public static class CeilingEndpoint
{
    public static IEndpointRouteBuilder MapCeilingEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/bench/ceiling", async (HttpContext http, CallbackCryptoSet cryptos, IOptions<WeComOptions> options) =>
        {
            var body = await CallbackBody.ReadAsync(http.Request, options.Value.MaxCallbackBodyBytes, http.RequestAborted);
            if (body is null || OuterEnvelope.TryParse(body) is not { } outer) return Results.BadRequest();
            var q = CallbackQuery.Parse(http.Request.QueryString.Value);
            return cryptos.App.VerifyAndDecrypt(q.MsgSignature, q.Timestamp, q.Nonce, outer.Encrypt).IsSuccess ? Results.Ok() : Results.BadRequest();
        }).ExcludeFromDescription();
        return app;
    }
}
