using RapidResponse.Bot.WeCom.Crypto;

namespace RapidResponse.Bench;

/// <summary>Valid encrypted and signed callbacks as WeCom sends them, each with a unique MsgId.</summary>
public static class CallbackFactory
{
    private static readonly WeComCrypto Crypto = WeComCrypto.Create(BotProcess.Token, BotProcess.AesKey, BotProcess.CorpId).Value;
    private static long _msgId = 8_000_000_000_000_000_000 + Environment.TickCount64 * 1000;

    public sealed record Request(string Query, string Body);

    public static Request Text(string from, string text)
    {
        var id = Interlocked.Increment(ref _msgId);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        var plain = $"<xml><ToUserName><![CDATA[{BotProcess.CorpId}]]></ToUserName><FromUserName><![CDATA[{from}]]></FromUserName><CreateTime>{ts}</CreateTime>"
                    + $"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]></Content><MsgId>{id}</MsgId><AgentID>1000002</AgentID></xml>";
        var encrypt = Crypto.Encrypt(plain);
        var nonce = Random.Shared.Next().ToString();
        var sig = Crypto.Sign(ts, nonce, encrypt);
        return new($"?msg_signature={sig}&timestamp={ts}&nonce={nonce}",
            $"<xml><ToUserName><![CDATA[{BotProcess.CorpId}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>");
    }
}
