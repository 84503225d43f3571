namespace RapidResponse.Bot.WeCom.Callbacks;

/// <summary>Fields every callback plaintext carries (§3.1).</summary>
/// <param name="ToUserName">CorpID of the receiving corp.</param>
/// <param name="FromUserName">Sender's UserID; <c>sys</c> for system events; empty for 微信客服 notifications.</param>
/// <param name="CreateTime">Unix seconds as sent by WeCom.</param>
/// <param name="AgentId">The app, when the callback is app-related.</param>
/// <param name="MsgType">The <c>MsgType</c> element as received.</param>
public sealed record CallbackHeader(string ToUserName, string FromUserName, long CreateTime, long? AgentId, string MsgType);

/// <summary>A decrypted callback plaintext (§3), typed. Unknown kinds are kept, not dropped.</summary>
public abstract record InboundMessage
{
    public required CallbackHeader Header { get; init; }

    public string FromUserName => Header.FromUserName;

    public string MsgType => Header.MsgType;

    /// <summary>Key under which redeliveries of this callback collapse (WeCom delivers up to 4 times, §1.7).</summary>
    public abstract string DedupeKey { get; }
}

/// <summary>An ordinary message; these, and only these, carry a 64-bit MsgId, which the docs name as the dedupe key.</summary>
public abstract record InboundChatMessage : InboundMessage
{
    public required long MsgId { get; init; }

    public override string DedupeKey => $"msg|{MsgId}";
}

/// <summary>Text typed by a member.</summary>
public sealed record TextMessage : InboundChatMessage
{
    public required string Content { get; init; }
}

/// <summary>A picture; <see cref="MediaId"/> can be fetched for 3 days.</summary>
public sealed record ImageMessage : InboundChatMessage
{
    public string? PicUrl { get; init; }

    public required string MediaId { get; init; }
}

/// <summary>A voice message; <see cref="Format"/> is amr or speex. <see cref="MediaId"/> can be fetched for 3 days.</summary>
public sealed record VoiceMessage : InboundChatMessage
{
    public required string MediaId { get; init; }

    public string? Format { get; init; }
}

/// <summary>A file; <see cref="MediaId"/> can be fetched for 3 days.</summary>
public sealed record FileMessage : InboundChatMessage
{
    public required string MediaId { get; init; }

    public string? FileName { get; init; }
}

/// <summary>A location shared from the map picker (Location_X is latitude, Location_Y longitude).</summary>
public sealed record LocationMessage : InboundChatMessage
{
    public required decimal Latitude { get; init; }

    public required decimal Longitude { get; init; }

    public int? Scale { get; init; }

    public string? Label { get; init; }
}

/// <summary>An ordinary message type we do not model yet (voice, video, link…); fields kept for later handling.</summary>
public sealed record UnknownMessage : InboundMessage
{
    /// <summary>Null only if WeCom omitted MsgId, in which case the key falls back to the plaintext hash.</summary>
    public long? MsgId { get; init; }

    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    /// <summary>SHA-256 of the decrypted plaintext, used when there is no MsgId.</summary>
    public required string PlaintextHash { get; init; }

    public override string DedupeKey => MsgId is { } id ? $"msg|{id}" : $"raw|{PlaintextHash}";
}
