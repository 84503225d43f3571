namespace RapidResponse.Bot.WeCom.Crypto;

/// <summary>Why a callback could not be authenticated or decoded; mirrors Tencent's -400xx codes where one exists.</summary>
public enum CryptoError
{
    None = 0,
    /// <summary>msg_signature does not match (-40001).</summary>
    BadSignature,
    /// <summary>Outer XML missing, malformed or carrying a DTD (-40002).</summary>
    BadXml,
    /// <summary>EncodingAESKey is not 43 Base64 characters decoding to 32 bytes (-40004).</summary>
    IllegalAesKey,
    /// <summary>receiveid inside the plaintext is not ours (-40005).</summary>
    ReceiveIdMismatch,
    /// <summary>Ciphertext length is not a whole number of AES blocks (-40007).</summary>
    BadCiphertextLength,
    /// <summary>32-byte PKCS#7 padding is out of range or inconsistent (-40007).</summary>
    BadPadding,
    /// <summary>msg_len points outside the plaintext (-40008).</summary>
    BadLength,
    /// <summary>The message bytes are not valid UTF-8 (-40008).</summary>
    BadUtf8,
    /// <summary>Ciphertext is not standard Base64, e.g. '+' became a space (-40010).</summary>
    BadBase64,
    /// <summary>A required query parameter is absent.</summary>
    MissingParameter,
}

/// <summary>Outcome of a crypto step: a value or a typed error, never an exception.</summary>
public readonly record struct CryptoResult<T>
{
    private readonly T? _value;

    private CryptoResult(T? value, CryptoError error)
    {
        _value = value;
        Error = error;
    }

    public CryptoError Error { get; }

    public bool IsSuccess => Error == CryptoError.None;

    /// <summary>The value; throws when read on a failed result because that is a programming error.</summary>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"No value: crypto failed with {Error}.");

    public static CryptoResult<T> Ok(T value) => new(value, CryptoError.None);

    public static CryptoResult<T> Fail(CryptoError error) =>
        error == CryptoError.None ? throw new ArgumentException("A failure needs an error.", nameof(error)) : new(default, error);

    public static implicit operator CryptoResult<T>(CryptoError error) => Fail(error);

    public override string ToString() => IsSuccess ? $"Ok({_value})" : $"Fail({Error})";
}
