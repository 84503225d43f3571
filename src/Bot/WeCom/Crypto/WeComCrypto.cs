using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace RapidResponse.Bot.WeCom.Crypto;

/// <summary>Fills a buffer with the random prefix of an encrypted message; injectable so tests can reproduce vectors.</summary>
public delegate void RandomFill(Span<byte> destination);

/// <summary>
/// WeCom callback crypto (加解密方案, doc 90968): SHA1 signature over the ordinal-sorted inputs,
/// AES-256-CBC with IV = key[0..16) and PKCS#7 padding to 32 bytes, plaintext = random(16) + len(4, BE) + msg + receiveid.
/// One instance per callback configuration (app, 微信客服, …), because each has its own Token and key.
/// </summary>
public sealed class WeComCrypto
{
    private const int RandomLength = 16;
    private const int LengthFieldSize = 4;
    // WeCom pads to 32 bytes, not the AES block size; .NET's PKCS7 mode would reject pad values above 16.
    private const int PadBlock = 32;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _key;
    private readonly byte[] _iv;
    private readonly string _token;
    private readonly byte[] _receiveId;
    private readonly RandomFill _random;

    private WeComCrypto(string token, byte[] key, string receiveId, RandomFill random)
    {
        _token = token;
        _key = key;
        _iv = key[..16];
        _receiveId = Encoding.UTF8.GetBytes(receiveId);
        _random = random;
    }

    /// <summary>
    /// Builds the crypto for one configuration. <paramref name="receiveId"/> is the CorpID for self-built apps and 微信客服,
    /// and the empty string for the AI bot (智能机器人).
    /// </summary>
    public static CryptoResult<WeComCrypto> Create(string token, string encodingAesKey, string receiveId, RandomFill? random = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(receiveId);
        var key = DecodeAesKey(encodingAesKey);
        return key is null
            ? CryptoError.IllegalAesKey
            : CryptoResult<WeComCrypto>.Ok(new WeComCrypto(token, key, receiveId, random ?? RandomNumberGenerator.Fill));
    }

    /// <summary>
    /// Decodes an EncodingAESKey, or null when it is not 43 characters of [A-Za-z0-9] decoding to 32 bytes.
    /// Not validated by re-encoding: the official sample key has a non-canonical last character.
    /// </summary>
    public static byte[]? DecodeAesKey(string? encodingAesKey)
    {
        if (encodingAesKey is not { Length: 43 } || !encodingAesKey.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var buffer = new byte[33];
        return Convert.TryFromBase64String(encodingAesKey + "=", buffer, out var written) && written == 32
            ? buffer[..32]
            : null;
    }

    /// <summary>lower_hex(SHA1(concat(sort_ordinal([token, timestamp, nonce, encrypt])))).</summary>
    public string Sign(string timestamp, string nonce, string encrypt)
    {
        string[] parts = [_token, timestamp, nonce, encrypt];
        // Culture-aware sorting gives wrong signatures for some inputs (protocol notes §1.4).
        Array.Sort(parts, StringComparer.Ordinal);
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts)));
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Constant-time check of msg_signature so an attacker cannot learn it byte by byte.</summary>
    public bool VerifySignature(string? signature, string timestamp, string nonce, string encrypt)
    {
        if (signature is null)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(timestamp, nonce, encrypt));
        var actual = Encoding.UTF8.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>Verifies the signature, then decrypts; the usual entry point for GET echostr and POST Encrypt.</summary>
    public CryptoResult<string> VerifyAndDecrypt(string? signature, string? timestamp, string? nonce, string? encrypt)
    {
        if (timestamp is null || nonce is null || encrypt is null)
        {
            return CryptoError.MissingParameter;
        }

        return VerifySignature(signature, timestamp, nonce, encrypt) ? Decrypt(encrypt) : CryptoError.BadSignature;
    }

    /// <summary>Decrypts a Base64 ciphertext and checks the receiveid; no signature check.</summary>
    public CryptoResult<string> Decrypt(string encrypt)
    {
        var cipher = new byte[encrypt.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(encrypt, cipher, out var cipherLength))
        {
            return CryptoError.BadBase64;
        }

        if (cipherLength == 0 || cipherLength % PadBlock != 0)
        {
            return CryptoError.BadCiphertextLength;
        }

        using var aes = Aes.Create();
        aes.Key = _key;
        var plain = aes.DecryptCbc(cipher.AsSpan(0, cipherLength), _iv, PaddingMode.None);

        int pad = plain[^1];
        if (pad is < 1 or > PadBlock || plain.AsSpan(plain.Length - pad).ContainsAnyExcept((byte)pad))
        {
            return CryptoError.BadPadding;
        }

        var content = plain.AsSpan(0, plain.Length - pad);
        if (content.Length < RandomLength + LengthFieldSize)
        {
            return CryptoError.BadLength;
        }

        var msgLength = BinaryPrimitives.ReadUInt32BigEndian(content.Slice(RandomLength, LengthFieldSize));
        var msgStart = RandomLength + LengthFieldSize;
        if (msgLength > (uint)(content.Length - msgStart))
        {
            return CryptoError.BadLength;
        }

        var receiveId = content[(msgStart + (int)msgLength)..];
        if (!CryptographicOperations.FixedTimeEquals(receiveId, _receiveId))
        {
            return CryptoError.ReceiveIdMismatch;
        }

        try
        {
            return CryptoResult<string>.Ok(StrictUtf8.GetString(content.Slice(msgStart, (int)msgLength)));
        }
        catch (DecoderFallbackException)
        {
            return CryptoError.BadUtf8;
        }
    }

    /// <summary>Encrypts a message (fresh random prefix, our receiveid) to Base64.</summary>
    public string Encrypt(string msg)
    {
        var msgBytes = Encoding.UTF8.GetBytes(msg);
        var contentLength = RandomLength + LengthFieldSize + msgBytes.Length + _receiveId.Length;
        var pad = PadBlock - contentLength % PadBlock;
        var plain = new byte[contentLength + pad];

        _random(plain.AsSpan(0, RandomLength));
        BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(RandomLength, LengthFieldSize), (uint)msgBytes.Length);
        msgBytes.CopyTo(plain, RandomLength + LengthFieldSize);
        _receiveId.CopyTo(plain, RandomLength + LengthFieldSize + msgBytes.Length);
        plain.AsSpan(contentLength).Fill((byte)pad);

        using var aes = Aes.Create();
        aes.Key = _key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, _iv, PaddingMode.None));
    }

    /// <summary>
    /// Builds the passive reply body (被动回复, §1.6) for a plaintext reply XML, signed with the given timestamp and nonce
    /// (reusing the request's values is what Tencent's samples do).
    /// </summary>
    public string EncryptReply(string replyXml, string timestamp, string nonce)
    {
        var encrypt = Encrypt(replyXml);
        var signature = Sign(timestamp, nonce, encrypt);
        return $"<xml>\n<Encrypt><![CDATA[{encrypt}]]></Encrypt>\n<MsgSignature><![CDATA[{signature}]]></MsgSignature>\n"
            + $"<TimeStamp>{timestamp}</TimeStamp>\n<Nonce><![CDATA[{nonce}]]></Nonce>\n</xml>";
    }
}
