using System.Security.Cryptography;
using System.Text;
using RapidResponse.Bot.WeCom.Crypto;

namespace RapidResponse.Bench;

/// <summary>
/// Malformed callbacks, deterministic per seed: each is signed where a signature would get it further in (so garbage
/// reaches the decrypt and parse steps, not only the signature check). None of them may be accepted.
/// </summary>
public static class FuzzInputs
{
    public sealed record Input(string Kind, HttpMethod Method, string Path, string Query, byte[] Body, string? ContentType, bool Chunked = false);

    /// <summary>Inputs for both endpoints, each signed and encrypted with that endpoint's own token and key.</summary>
    public static IEnumerable<Input> Generate(int seed, int count, (string Token, string AesKey) app, (string Token, string AesKey) kf, string corpId)
    {
        var rnd = new Random(seed);
        var sets = new[] { ("/wecom/callback", app), ("/wecom/kf", kf) }.Select(x => (Path: x.Item1,
            Crypto: WeComCrypto.Create(x.Item2.Token, x.Item2.AesKey, corpId).Value,
            Stranger: WeComCrypto.Create(x.Item2.Token, x.Item2.AesKey, "ww_not_this_corp").Value,
            Key: WeComCrypto.DecodeAesKey(x.Item2.AesKey)!)).ToArray();
        for (var i = 0; i < count; i++)
        {
            var s = sets[rnd.Next(2)];
            yield return Kinds[i % Kinds.Length](new Ctx(rnd, s.Crypto, s.Stranger, s.Key, s.Path, i, corpId));
        }
    }

    public static int KindCount => Kinds.Length;

    private sealed record Ctx(Random Rnd, WeComCrypto Crypto, WeComCrypto Stranger, byte[] Key, string Path, int I, string CorpId)
    {
        public string Ts => (1_790_000_000 + I).ToString();
        public string Nonce => "n" + I;
        public string Query(string encrypt) => $"?msg_signature={Crypto.Sign(Ts, Nonce, encrypt)}&timestamp={Ts}&nonce={Nonce}";
        public string Plain(string content) =>
            $"<xml><ToUserName><![CDATA[x]]></ToUserName><FromUserName><![CDATA[fuzz_{I}]]></FromUserName><CreateTime>{Ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content><MsgId>{I}</MsgId></xml>";
        public byte[] Outer(string encrypt) => Encoding.UTF8.GetBytes($"<xml><ToUserName><![CDATA[x]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID>1</AgentID></xml>");
        public Input Post(string kind, string query, byte[] body, string? type = "text/xml", bool chunked = false) => new(kind, HttpMethod.Post, Path, query, body, type, chunked);
        public string Garbage(int n) { var b = new byte[n]; Rnd.NextBytes(b); return Convert.ToBase64String(b); }
    }

    private const string Dtd = "<!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>";
    private const string Laughs = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"><!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\"><!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\"><!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\"><!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\"><!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\"><!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>";

    /// <summary>AES-CBC of raw bytes under the app key (IV = key[..16]) with no padding: decrypts to whatever padding the bytes say.</summary>
    private static string RawCipher(byte[] key, byte[] plain)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, key.AsSpan(0, 16), PaddingMode.None));
    }

    private static string CorpIdOf(Ctx c) => c.CorpId;

    private static byte[] Framed(string msg, string receiveId, int lengthDelta = 0)
    {
        var m = Encoding.UTF8.GetBytes(msg);
        var r = Encoding.UTF8.GetBytes(receiveId);
        var body = new byte[16 + 4 + m.Length + r.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(16), m.Length + lengthDelta);
        m.CopyTo(body, 20);
        r.CopyTo(body, 20 + m.Length);
        return body;
    }

    private static byte[] Pad32(byte[] b, Func<int, byte> padByte)
    {
        var n = 32 - b.Length % 32;
        var o = new byte[b.Length + n];
        b.CopyTo(o, 0);
        for (var k = b.Length; k < o.Length; k++) o[k] = padByte(n);
        return o;
    }

    private static readonly Func<Ctx, Input>[] Kinds =
    [
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); return c.Post("bad signature", $"?msg_signature={new string('0', 40)}&timestamp={c.Ts}&nonce={c.Nonce}", c.Outer(e)); },
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); var q = c.Query(e); return c.Post("signature of another timestamp", q.Replace(c.Ts, (long.Parse(c.Ts) + 1).ToString()), c.Outer(e)); },
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); e = e[..c.Rnd.Next(1, e.Length - 1)]; return c.Post("truncated base64 (signed)", c.Query(e), c.Outer(e)); },
        c => { var e = "!!" + c.Garbage(c.Rnd.Next(1, 200)) + "*%"; return c.Post("garbage base64 (signed)", c.Query(e), c.Outer(e)); },
        c => { var e = c.Garbage(16 * c.Rnd.Next(1, 20) + c.Rnd.Next(1, 15)); return c.Post("ciphertext not a block multiple (signed)", c.Query(e), c.Outer(e)); },
        c => { var e = c.Garbage(32 * c.Rnd.Next(1, 20)); return c.Post("random ciphertext (signed)", c.Query(e), c.Outer(e)); },
        c => { var e = RawCipher(c.Key, Pad32(Framed(c.Plain("进度"), CorpIdOf(c)), n => (byte)(n == 32 ? 33 : n + 1))); return c.Post("bad PKCS#7 pad value (signed)", c.Query(e), c.Outer(e)); },
        c => { var e = RawCipher(c.Key, Pad32(Framed(c.Plain("进度"), CorpIdOf(c)), n => 0)); return c.Post("zero pad byte (signed)", c.Query(e), c.Outer(e)); },
        c => { var e = RawCipher(c.Key, Pad32(Framed(c.Plain("进度"), CorpIdOf(c), c.Rnd.Next(2) == 0 ? 100_000 : -5), n => (byte)n)); return c.Post("msg_len out of range (signed)", c.Query(e), c.Outer(e)); },
        c => { var e = c.Stranger.Encrypt(c.Plain("进度")); return c.Post("wrong receiveid (signed)", c.Query(e), c.Outer(e)); },
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); return c.Post("DTD/XXE in outer body", c.Query(e), Encoding.UTF8.GetBytes(Dtd + $"<xml><Encrypt>&xxe;{e}</Encrypt></xml>")); },
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); return c.Post("billion laughs in outer body", c.Query(e), Encoding.UTF8.GetBytes(Laughs + "<xml><Encrypt>&lol9;</Encrypt></xml>")); },
        c => { var e = c.Crypto.Encrypt(Dtd + c.Plain("&xxe;")); return c.Post("DTD/XXE in plaintext (signed)", c.Query(e), c.Outer(e)); },
        c => { var e = c.Crypto.Encrypt(Laughs + c.Plain("&lol9;")); return c.Post("billion laughs in plaintext (signed)", c.Query(e), c.Outer(e)); },
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); var body = new byte[70_000 + c.Rnd.Next(200_000)]; c.Outer(e).CopyTo(body, 0); return c.Post("oversize body", c.Query(e), body); },
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); var body = new byte[70_000 + c.Rnd.Next(100_000)]; c.Outer(e).CopyTo(body, 0); return c.Post("oversize chunked body", c.Query(e), body, chunked: true); },
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); return c.Post("JSON content type, JSON body", c.Query(e), Encoding.UTF8.GetBytes($"{{\"encrypt\":\"{e}\"}}"), "application/json"); },
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); return c.Post("form content type", c.Query(e), Encoding.UTF8.GetBytes("Encrypt=" + Uri.EscapeDataString(e)), "application/x-www-form-urlencoded"); },
        c => { var b = new byte[c.Rnd.Next(1, 600)]; c.Rnd.NextBytes(b); return c.Post("random bytes, no content type", "?msg_signature=a&timestamp=1&nonce=2", b, null); },
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); var o = c.Outer(e); var b = new byte[o.Length + 3]; o.CopyTo(b, 0); b[^3] = 0xC3; b[^2] = 0x28; b[^1] = 0xFF; return c.Post("invalid UTF-8 in outer body", c.Query(e), b); },
        c => { var e = RawCipher(c.Key, Pad32([.. Framed("", CorpIdOf(c)).AsSpan(0, 16), .. new byte[] { 0, 0, 0, 6 }, 0xFF, 0xFE, 0xC3, 0x28, 0xA0, 0xA1, .. Encoding.UTF8.GetBytes(CorpIdOf(c))], n => (byte)n)); return c.Post("invalid UTF-8 plaintext (signed)", c.Query(e), c.Outer(e)); },
        c => { var e = c.Crypto.Encrypt("not xml at all " + c.I); return c.Post("plaintext not XML (signed)", c.Query(e), c.Outer(e)); },
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")[..c.Rnd.Next(5, 60)]); return c.Post("truncated plaintext XML (signed)", c.Query(e), c.Outer(e)); },
        c => { var e = c.Crypto.Encrypt(""); return c.Post("empty plaintext (signed)", c.Query(e), c.Outer(e)); },
        c => c.Post("empty body", "?msg_signature=x&timestamp=1&nonce=1", []),
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); return c.Post("no query", "", c.Outer(e)); },
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); return c.Post("percent garbage in query", $"?msg_signature=%zz%{c.Rnd.Next(100)}&timestamp=%00&nonce=%E4%B8", c.Outer(e)); },
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); return c.Post("very long query", "?msg_signature=" + new string('a', 4000 + c.Rnd.Next(4000)) + $"&timestamp={c.Ts}&nonce={c.Nonce}", c.Outer(e)); },
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); var good = c.Query(e); return c.Post("forged first of duplicated signature", $"?msg_signature={new string('f', 40)}&" + good.TrimStart('?'), c.Outer(e)); },
        c => { var e = c.Crypto.Encrypt(c.Plain("进度")); return c.Post("outer XML without Encrypt", c.Query(e), Encoding.UTF8.GetBytes("<xml><ToUserName>x</ToUserName></xml>")); },
        c => new Input("GET verify with bad signature", HttpMethod.Get, c.Path, $"?msg_signature={new string('1', 40)}&timestamp={c.Ts}&nonce={c.Nonce}&echostr={Uri.EscapeDataString(c.Crypto.Encrypt("12345"))}", [], null),
        c => { var e = c.Garbage(c.Rnd.Next(1, 90)); return new Input("GET verify with garbage echostr (signed)", HttpMethod.Get, c.Path, c.Query(e) + "&echostr=" + Uri.EscapeDataString(e), [], null); },
        c => { var e = c.Stranger.Encrypt("12345"); return new Input("GET verify with wrong receiveid (signed)", HttpMethod.Get, c.Path, c.Query(e) + "&echostr=" + Uri.EscapeDataString(e), [], null); },
        c => new Input("GET verify without parameters", HttpMethod.Get, c.Path, c.Rnd.Next(2) == 0 ? "" : "?echostr=", [], null),
    ];
}
