using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Conversations;

/// <summary>What a person sent, whatever the channel: the one inbound model the conversation layer sees.</summary>
public enum InboundKind
{
    Text = 1,
    /// <summary>A button on a task card (template_card_event).</summary>
    CardClick = 2,
    /// <summary>An app menu click (click event); <see cref="Inbound.Key"/> is the menu key.</summary>
    MenuClick = 3,
    /// <summary>The person opened the app or the 微信客服 session.</summary>
    Enter = 4,
    /// <summary>Anything else (location, video …): answered with help.</summary>
    Other = 5,
    /// <summary>A photo, voice message or file (<see cref="Inbound.MediaType"/> image / voice / file, <see cref="Inbound.MediaId"/>): evidence.</summary>
    Media = 6,
}

/// <summary>One inbound message or event, channel-neutral.</summary>
public sealed record Inbound(
    InboundChannel Channel,
    string SenderId,
    string MessageId,
    InboundKind Kind,
    DateTimeOffset At,
    string? Text = null,
    string? TaskId = null,
    string? Key = null,
    string? ResponseCode = null,
    string? OpenKfId = null,
    string? WelcomeCode = null,
    string? MediaId = null,
    string? MediaType = null,
    string? FileName = null);
