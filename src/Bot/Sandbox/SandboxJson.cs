using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Sandbox;

/// <summary>
/// A minimal outbox-row → WeCom request body mapper (wecom-protocol.md §4–5) for the sandbox until the outbox
/// dispatcher's mapper is merged; kept in this one file so it can be swapped for the dispatcher's.
/// 1:1 app messages → message/send (text, markdown, template_card button_interaction); card updates →
/// message/update_template_card; app group chats → appchat/send; group robots → webhook/send; 微信客服 → kf/send_msg.
/// Channels without cards or markdown get the card or markdown as text, as WeCom would force.
/// </summary>
public static class SandboxJson
{
    /// <summary>The agentid the sandbox writes into app messages (there is no real app).</summary>
    public const int SandboxAgentId = 1000002;

    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string For(OutboxMessage row) => Body(row).ToJsonString(Options);

    public static JsonObject Body(OutboxMessage row) => (row.Channel, row.Kind) switch
    {
        (OutboundChannel.AppUser, OutboundKind.Card) => AppCard(row.Recipient, OutboundPayload.Deserialize<CardBody>(row.Payload)),
        (OutboundChannel.AppUser, OutboundKind.CardUpdate) => CardUpdate(OutboundPayload.Deserialize<CardUpdateBody>(row.Payload)),
        (OutboundChannel.AppUser, OutboundKind.Markdown) => App(row.Recipient, "markdown", Content(MarkdownOf(row))),
        (OutboundChannel.AppUser, _) => App(row.Recipient, "text", Content(PlainOf(row))),
        (OutboundChannel.Kf, _) => new JsonObject
        {
            ["touser"] = row.Recipient,
            ["open_kfid"] = row.OpenKfId ?? "",
            ["msgid"] = $"sbx_{row.Id}",
            ["msgtype"] = "text",
            ["text"] = Content(PlainOf(row)),
        },
        (OutboundChannel.AppChat, _) => new JsonObject
        {
            ["chatid"] = row.Recipient,
            ["msgtype"] = row.Kind == OutboundKind.Markdown ? "markdown" : "text",
            [row.Kind == OutboundKind.Markdown ? "markdown" : "text"] = Content(WithMentions(row)),
            ["safe"] = 0,
        },
        (OutboundChannel.Webhook, OutboundKind.Markdown) => new JsonObject { ["msgtype"] = "markdown", ["markdown"] = Content(WithMentions(row)) },
        (OutboundChannel.Webhook, _) => WebhookText(row),
        _ => throw new NotSupportedException($"Outbox channel {row.Channel} / kind {row.Kind} has no WeCom shape."),
    };

    /// <summary>The WeCom endpoint the body is for (shown with it on the sandbox page).</summary>
    public static string EndpointOf(OutboundChannel channel, OutboundKind kind) => (channel, kind) switch
    {
        (OutboundChannel.AppUser, OutboundKind.CardUpdate) => "/cgi-bin/message/update_template_card",
        (OutboundChannel.AppUser, _) => "/cgi-bin/message/send",
        (OutboundChannel.Kf, _) => "/cgi-bin/kf/send_msg",
        (OutboundChannel.AppChat, _) => "/cgi-bin/appchat/send",
        _ => "/cgi-bin/webhook/send?key=…",
    };

    /// <summary>The update_template_card call that greys a clicked card (the sandbox's stand-in for the passive update_button reply).</summary>
    public static JsonObject ButtonReplaced(string userId, string responseCode, string label) => new()
    {
        ["userids"] = new JsonArray(userId),
        ["agentid"] = SandboxAgentId,
        ["response_code"] = responseCode,
        ["button"] = new JsonObject { ["replace_name"] = label },
    };

    private static JsonObject App(string to, string type, JsonObject payload) => new()
    {
        ["touser"] = to,
        ["msgtype"] = type,
        ["agentid"] = SandboxAgentId,
        [type] = payload,
    };

    private static JsonObject AppCard(string to, CardBody c)
    {
        var rows = new JsonArray();
        var overflow = new List<string>();
        var fields = c.Emphasis is null ? c.Fields : [.. c.Fields, new CardField(c.EmphasisLabel ?? "提示", c.Emphasis)];
        foreach (var f in fields)
        {
            // button_interaction allows at most 6 rows; the rest goes below the subtitle.
            if (rows.Count < 6) rows.Add(new JsonObject { ["keyname"] = f.Label, ["value"] = f.Value });
            else overflow.Add($"{f.Label}：{f.Value}");
        }
        var card = new JsonObject
        {
            ["card_type"] = "button_interaction",
            ["main_title"] = new JsonObject { ["title"] = c.Title },
        };
        var sub = string.Join("\n", new[] { c.Description }.Concat(overflow).Where(s => !string.IsNullOrEmpty(s)));
        if (sub.Length > 0) card["sub_title_text"] = sub;
        if (rows.Count > 0) card["horizontal_content_list"] = rows;
        card["button_list"] = new JsonArray([.. c.Buttons.Select(b => (JsonNode)new JsonObject { ["text"] = b.Text, ["style"] = b.Style, ["key"] = b.Key })]);
        card["task_id"] = c.TaskId;
        return App(to, "template_card", card);
    }

    private static JsonObject CardUpdate(CardUpdateBody u)
    {
        var o = new JsonObject
        {
            ["userids"] = new JsonArray([.. u.UserIds.Select(x => (JsonNode)JsonValue.Create(x))]),
            ["agentid"] = SandboxAgentId,
        };
        if (u.ResponseCode is not null) o["response_code"] = u.ResponseCode;
        o["button"] = new JsonObject { ["replace_name"] = u.ReplaceText };
        return o;
    }

    private static JsonObject WebhookText(OutboxMessage row)
    {
        var text = Content(PlainOf(row));
        if (MentionsOf(row) is { Count: > 0 } m) text["mentioned_list"] = new JsonArray([.. m.Select(x => (JsonNode)JsonValue.Create(x))]);
        return new JsonObject { ["msgtype"] = "text", ["text"] = text };
    }

    private static JsonObject Content(string s) => new() { ["content"] = s };

    private static string MarkdownOf(OutboxMessage row) => OutboundPayload.Deserialize<MarkdownBody>(row.Payload).Content;

    private static IReadOnlyList<string>? MentionsOf(OutboxMessage row) => row.Kind switch
    {
        OutboundKind.Text => OutboundPayload.Deserialize<TextBody>(row.Payload).Mentions,
        OutboundKind.Markdown => OutboundPayload.Deserialize<MarkdownBody>(row.Payload).Mentions,
        _ => null,
    };

    /// <summary>Group chats mention with <c>&lt;@userid&gt;</c> inside the content (§4.6–4.8).</summary>
    private static string WithMentions(OutboxMessage row)
    {
        var text = row.Kind == OutboundKind.Markdown ? MarkdownOf(row) : PlainOf(row);
        return MentionsOf(row) is { Count: > 0 } m ? text + "\n" + string.Join(" ", m.Select(x => $"<@{x}>")) : text;
    }

    /// <summary>The text of any row, for channels that take only text (a card becomes its title, rows and button names).</summary>
    public static string PlainOf(OutboxMessage row) => row.Kind switch
    {
        OutboundKind.Text => OutboundPayload.Deserialize<TextBody>(row.Payload).Content,
        OutboundKind.Markdown => MarkdownOf(row),
        OutboundKind.Card => CardText(OutboundPayload.Deserialize<CardBody>(row.Payload)),
        _ => OutboundPayload.Deserialize<CardUpdateBody>(row.Payload).ReplaceText,
    };

    private static string CardText(CardBody c) =>
        string.Join("\n", new[] { c.Title, c.Description }.Concat(c.Fields.Select(f => $"{f.Label}：{f.Value}")).Where(s => !string.IsNullOrEmpty(s)));

    /// <summary>The task card a row shows or updates.</summary>
    public static string? TaskIdOf(OutboxMessage row) => row.Kind switch
    {
        OutboundKind.Card => OutboundPayload.Deserialize<CardBody>(row.Payload).TaskId,
        OutboundKind.CardUpdate => OutboundPayload.Deserialize<CardUpdateBody>(row.Payload).TaskId,
        _ => null,
    };
}
