namespace RapidResponse.Bot.WeCom.Callbacks;

/// <summary>
/// An event (MsgType = event). Events have no MsgId; FromUserName+CreateTime alone dropped genuine events in other SDKs
/// (pitfall §9.7), so the key joins every distinguishing field the notes list (§1.7).
/// </summary>
public abstract record InboundEvent : InboundMessage
{
    /// <summary>The <c>Event</c> element as received (case kept: <c>LOCATION</c> is upper-case).</summary>
    public required string Event { get; init; }

    /// <summary>All top-level text fields, so the key and later handlers can use anything WeCom sent.</summary>
    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    private static readonly string[] KeyFields =
        ["AgentID", "MsgType", "Event", "ChangeType", "FromUserName", "CreateTime", "EventKey", "TaskId", "ResponseCode", "UserID", "ExternalUserID"];

    public override string DedupeKey =>
        "evt|" + string.Join('|', KeyFields.Select(f => Fields.TryGetValue(f, out var v) ? v : string.Empty));
}

/// <summary>Member opened the app (进入应用).</summary>
public sealed record EnterAgentEvent : InboundEvent
{
    public string EventKey { get; init; } = string.Empty;
}

/// <summary>Custom menu click (点击菜单); <see cref="EventKey"/> is the menu key.</summary>
public sealed record ClickEvent : InboundEvent
{
    public required string EventKey { get; init; }
}

/// <summary>One answered question of a vote/multi-select card.</summary>
public sealed record SelectedItem(string QuestionKey, IReadOnlyList<string> OptionIds);

/// <summary>
/// Button, vote or select click on a template card (template_card_event), or an action_menu click (template_card_menu_event).
/// </summary>
public sealed record TemplateCardEvent : InboundEvent
{
    public required string EventKey { get; init; }

    public required string TaskId { get; init; }

    public required string CardType { get; init; }

    /// <summary>Single-use credential for update_template_card, valid 72 h; also unique per click.</summary>
    public required string ResponseCode { get; init; }

    public IReadOnlyList<SelectedItem> SelectedItems { get; init; } = [];

    // Each click gets its own ResponseCode, so it identifies the click better than any field combination.
    public override string DedupeKey => string.IsNullOrEmpty(ResponseCode) ? base.DedupeKey : $"card|{ResponseCode}";
}

/// <summary>Address book change (通讯录变更); FromUserName is <c>sys</c>.</summary>
public sealed record ChangeContactEvent : InboundEvent
{
    public required string ChangeType { get; init; }

    public string? UserId { get; init; }

    public string? NewUserId { get; init; }

    public string? Name { get; init; }
}

/// <summary>
/// 微信客服 notification: there are new messages to pull with kf/sync_msg using <see cref="Token"/> (valid 10 minutes).
/// Dedupe the pulled msgids; this key only collapses redeliveries of the notification itself.
/// </summary>
public sealed record KfMsgOrEvent : InboundEvent
{
    public required string Token { get; init; }

    public required string OpenKfId { get; init; }

    public override string DedupeKey => $"kf|{OpenKfId}|{Header.CreateTime}|{Token}";
}

/// <summary>An event we do not model yet (subscribe, LOCATION, change_external_contact…); kept with all fields.</summary>
public sealed record UnknownEvent : InboundEvent;
