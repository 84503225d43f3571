using System.Security.Cryptography;
using System.Text;
using RapidResponse.Bot.WeCom.Crypto;

namespace RapidResponse.Bot.Tests.WeCom;

public class WeComCryptoTests
{
    private static WeComCrypto V1Crypto(string? random = null, string receiveId = Vectors.CorpId, string token = Vectors.Token) =>
        WeComCrypto.Create(token, Vectors.AesKey, receiveId, random is null ? null : Fixed(random)).Value;

    private static RandomFill Fixed(string ascii) => span => Encoding.ASCII.GetBytes(ascii).CopyTo(span);

    [Theory]
    [InlineData(Vectors.Token, Vectors.AesKey, Vectors.CorpId, Vectors.V1Signature, Vectors.V1Timestamp, Vectors.V1Nonce, Vectors.V1Echo, Vectors.V1Plain)]
    [InlineData(Vectors.Token, Vectors.AesKey, Vectors.CorpId, Vectors.V2Signature, Vectors.V2Timestamp, Vectors.V2Nonce, Vectors.V2Encrypt, Vectors.V2Plain)]
    [InlineData(Vectors.V3Token, Vectors.V3AesKey, Vectors.V3CorpId, Vectors.V3Signature, Vectors.V3Timestamp, Vectors.V3Nonce, Vectors.V3Echo, Vectors.V3Plain)]
    [InlineData(Vectors.V3Token, Vectors.V3AesKey, Vectors.V3CorpId, Vectors.V4Signature, Vectors.V4Timestamp, Vectors.V4Nonce, Vectors.V4Encrypt, Vectors.V4Plain)]
    public void VerifyAndDecrypt_ShouldReturnOfficialPlaintext_WhenGivenOfficialVector(
        string token, string aesKey, string corpId, string signature, string timestamp, string nonce, string encrypt, string expected)
    {
        var crypto = WeComCrypto.Create(token, aesKey, corpId).Value;

        var result = crypto.VerifyAndDecrypt(signature, timestamp, nonce, encrypt);

        Assert.Equal(CryptoError.None, result.Error);
        Assert.Equal(expected, result.Value);
    }

    [Fact]
    public void Decrypt_ShouldAcceptPadValueAbove16_WhenVectorV2HasPad30()
    {
        var raw = DecryptRawNoPadding(Vectors.V2Encrypt);
        Assert.Equal(30, raw[^1]);

        Assert.Equal(Vectors.V2Plain, V1Crypto().Decrypt(Vectors.V2Encrypt).Value);
    }

    [Fact]
    public void EncryptReply_ShouldReproduceV6_WhenRandomPrefixIsInjected()
    {
        var crypto = V1Crypto(Vectors.V6Random);

        Assert.Equal(Vectors.V6Encrypt, crypto.Encrypt(Vectors.V6Plain));
        var reply = crypto.EncryptReply(Vectors.V6Plain, Vectors.V2Timestamp, Vectors.V2Nonce);
        Assert.Equal(
            $"<xml>\n<Encrypt><![CDATA[{Vectors.V6Encrypt}]]></Encrypt>\n<MsgSignature><![CDATA[{Vectors.V6Signature}]]></MsgSignature>\n"
            + $"<TimeStamp>{Vectors.V2Timestamp}</TimeStamp>\n<Nonce><![CDATA[{Vectors.V2Nonce}]]></Nonce>\n</xml>",
            reply);
    }

    [Fact]
    public void Encrypt_ShouldCountUtf8Bytes_WhenPlaintextIsChinese()
    {
        var crypto = V1Crypto(Vectors.MultiByteRandom);

        Assert.Equal(Vectors.MultiByteEncrypt, crypto.Encrypt(Vectors.MultiBytePlain));
        Assert.Equal(Vectors.MultiByteSignature, crypto.Sign("1700000000", "42", Vectors.MultiByteEncrypt));
        Assert.Equal(Vectors.MultiBytePlain, crypto.Decrypt(Vectors.MultiByteEncrypt).Value);
    }

    [Theory]
    [InlineData(Vectors.V2Random, Vectors.V2Plain, Vectors.V2Encrypt)]
    [InlineData("c41b64491c2468d0", Vectors.V1Plain, Vectors.V1Echo)]
    public void Encrypt_ShouldReproduceTencentCiphertext_WhenRandomPrefixMatches(string random, string plain, string expected) =>
        Assert.Equal(expected, V1Crypto(random).Encrypt(plain));

    [Fact]
    public void Encrypt_ShouldRoundTrip_WhenReceiveIdIsEmptyAsForTheAiBot()
    {
        var crypto = V1Crypto(receiveId: string.Empty);

        Assert.Equal("{\"a\":1}", crypto.Decrypt(crypto.Encrypt("{\"a\":1}")).Value);
    }

    [Fact]
    public void Sign_ShouldUseOrdinalOrder_WhenCultureOrderWouldDiffer()
    {
        // Notes §1.4: InvariantCulture puts "_x" first and "abc" before "ABD"; ordinal does not.
        var crypto = V1Crypto(token: "_x");
        var expected = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("12ABD_xabc")));

        Assert.Equal(expected, crypto.Sign("12", "abc", "ABD"));
    }

    [Fact]
    public void VerifyAndDecrypt_ShouldFailWithBadSignature_WhenSignatureIsTampered()
    {
        var tampered = "6" + Vectors.V1Signature[1..];

        Assert.Equal(CryptoError.BadSignature, V1Crypto().VerifyAndDecrypt(tampered, Vectors.V1Timestamp, Vectors.V1Nonce, Vectors.V1Echo).Error);
        Assert.Equal(CryptoError.BadSignature, V1Crypto().VerifyAndDecrypt(null, Vectors.V1Timestamp, Vectors.V1Nonce, Vectors.V1Echo).Error);
    }

    [Fact]
    public void VerifyAndDecrypt_ShouldFailWithMissingParameter_WhenNonceIsAbsent() =>
        Assert.Equal(CryptoError.MissingParameter, V1Crypto().VerifyAndDecrypt(Vectors.V1Signature, Vectors.V1Timestamp, null, Vectors.V1Echo).Error);

    [Theory]
    [InlineData("P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaq", CryptoError.BadBase64)]
    [InlineData("P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvn!qQ==", CryptoError.BadBase64)]
    [InlineData("P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4R", CryptoError.BadCiphertextLength)]
    [InlineData("", CryptoError.BadCiphertextLength)]
    public void Decrypt_ShouldFailWithTypedError_WhenCiphertextIsTruncatedOrGarbled(string encrypt, CryptoError expected) =>
        Assert.Equal(expected, V1Crypto().Decrypt(encrypt).Error);

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    [InlineData(200)]
    public void Decrypt_ShouldFailWithBadPadding_WhenPadValueIsOutOfRange(int padValue)
    {
        var plain = new byte[64];
        plain[^1] = (byte)padValue;

        Assert.Equal(CryptoError.BadPadding, V1Crypto().Decrypt(EncryptRawNoPadding(plain)).Error);
    }

    [Fact]
    public void Decrypt_ShouldFailWithBadPadding_WhenPadBytesDisagree()
    {
        var plain = new byte[64];
        plain.AsSpan(60).Fill(4);
        plain[61] = 9;

        Assert.Equal(CryptoError.BadPadding, V1Crypto().Decrypt(EncryptRawNoPadding(plain)).Error);
    }

    [Fact]
    public void Decrypt_ShouldFailWithBadLength_WhenMsgLenPointsPastTheEnd()
    {
        var plain = new byte[64];
        plain[19] = 200; // msg_len = 200 in a 63-byte content
        plain[^1] = 1;

        Assert.Equal(CryptoError.BadLength, V1Crypto().Decrypt(EncryptRawNoPadding(plain)).Error);
    }

    [Fact]
    public void Decrypt_ShouldFailWithReceiveIdMismatch_WhenCorpIdDiffers()
    {
        Assert.Equal(CryptoError.ReceiveIdMismatch, V1Crypto(receiveId: "ww0000000000000000").Decrypt(Vectors.V1Echo).Error);
        Assert.Equal(CryptoError.ReceiveIdMismatch, V1Crypto(receiveId: string.Empty).Decrypt(Vectors.V1Echo).Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2")]
    [InlineData("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2CC")]
    [InlineData("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2+")]
    public void Create_ShouldFailWithIllegalAesKey_WhenKeyIsNot43Base64Characters(string key) =>
        Assert.Equal(CryptoError.IllegalAesKey, WeComCrypto.Create(Vectors.Token, key, Vectors.CorpId).Error);

    [Fact]
    public void Value_ShouldThrow_WhenResultIsAFailure() =>
        Assert.Throws<InvalidOperationException>(() => V1Crypto().Decrypt("x").Value);

    private static byte[] Key => Convert.FromBase64String(Vectors.AesKey + "=");

    private static byte[] DecryptRawNoPadding(string encrypt)
    {
        using var aes = Aes.Create();
        aes.Key = Key;
        return aes.DecryptCbc(Convert.FromBase64String(encrypt), Key[..16], PaddingMode.None);
    }

    private static string EncryptRawNoPadding(byte[] plain)
    {
        using var aes = Aes.Create();
        aes.Key = Key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, Key[..16], PaddingMode.None));
    }
}
