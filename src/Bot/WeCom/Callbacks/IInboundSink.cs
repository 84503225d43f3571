namespace RapidResponse.Bot.WeCom.Callbacks;

/// <summary>Which callback configuration a message arrived on; each has its own Token and EncodingAESKey.</summary>
public enum CallbackChannel
{
    /// <summary>The self-built app (自建应用), <c>/wecom/callback</c>.</summary>
    App,

    /// <summary>微信客服, <c>/wecom/kf</c>.</summary>
    Kf,
}

/// <summary>An authenticated, decrypted callback ready to be stored.</summary>
/// <param name="Channel">Endpoint it arrived on.</param>
/// <param name="DedupeKey">Equal for every redelivery of the same callback; store with a unique index.</param>
/// <param name="Sender">FromUserName (UserID, <c>sys</c>, or empty for 微信客服 notifications).</param>
/// <param name="Message">The typed plaintext.</param>
/// <param name="RawXml">Decrypted plaintext exactly as received, kept for audit and for kinds we do not model yet.</param>
/// <param name="ReceivedAt">Our clock when the request was handled.</param>
public sealed record InboundEnvelope(
    CallbackChannel Channel,
    string DedupeKey,
    string Sender,
    InboundMessage Message,
    string RawXml,
    DateTimeOffset ReceivedAt);

/// <summary>
/// Where authenticated callbacks go. Must be quick (WeCom waits 5 s, then redelivers) and idempotent on
/// (<see cref="InboundEnvelope.Channel"/>, <see cref="InboundEnvelope.DedupeKey"/>).
/// Throwing makes the endpoint answer 500 so WeCom delivers again.
/// </summary>
public interface IInboundSink
{
    /// <summary>Stores the envelope; false when the key was already stored (a redelivery).</summary>
    Task<bool> AcceptAsync(InboundEnvelope envelope, CancellationToken cancellationToken);
}
