using Microsoft.Extensions.Options;
using RapidResponse.Bot.WeCom.Crypto;

namespace RapidResponse.Bot.WeCom.Callbacks;

/// <summary>One <see cref="WeComCrypto"/> per callback path; routing by path, never by trial decryption (pitfall §9.15).</summary>
public sealed class CallbackCryptoSet
{
    public CallbackCryptoSet(IOptions<WeComOptions> options)
    {
        var o = options.Value;
        // Options are validated on start, so a failure here means validation was bypassed; fail loudly.
        App = WeComCrypto.Create(o.Token, o.EncodingAESKey, o.CorpId).Value;
        // 微信客服 callbacks also carry the CorpID as receiveid (§1.1).
        Kf = o.Kf.CallbackEnabled ? WeComCrypto.Create(o.Kf.Token, o.Kf.EncodingAESKey, o.CorpId).Value : null;
    }

    public WeComCrypto App { get; }

    /// <summary>Null when the 微信客服 callback is not configured; /wecom/kf then answers 404.</summary>
    public WeComCrypto? Kf { get; }

    public WeComCrypto? For(CallbackChannel channel) => channel == CallbackChannel.App ? App : Kf;
}
