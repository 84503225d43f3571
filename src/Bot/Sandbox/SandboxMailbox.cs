using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Inbox;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Sandbox;

/// <summary>One button of a rendered card.</summary>
public sealed record RenderedButton(string Key, string Text, int Style);

/// <summary>How the page shows a message: read back from the WeCom body, so the page shows what WeCom would.</summary>
public sealed record Rendered(
    string Type,
    string? Text = null,
    string? Title = null,
    string? Subtitle = null,
    IReadOnlyList<CardField>? Fields = null,
    IReadOnlyList<RenderedButton>? Buttons = null,
    string? TaskId = null,
    string? ReplacedBy = null,
    IReadOnlyList<string>? Mentions = null,
    string? ImageUrl = null);

/// <summary>A message the bot sent, with the exact WeCom request body.</summary>
/// <param name="Error">WeCom's refusal (errcode and what it means) or a silent drop; null when it arrived.</param>
public sealed record MailboxItem(long Id, string To, string Channel, string Kind, DateTimeOffset At, string Endpoint, JsonElement WeCom, Rendered Rendered, string? Error = null);

/// <summary>One line of a person's chat with the bot: what they sent (in) or what the bot sent them (out).</summary>
public sealed record ChatLine(string Id, string Dir, DateTimeOffset At, Rendered Rendered, MailboxItem? Out = null);

/// <summary>Reads the sandbox mailbox: what each person and group received, and a person's whole chat.</summary>
public sealed class SandboxMailbox(BotDb db)
{
    /// <summary>Messages to a userid, chat_id, webhook key or 微信客服 external userid (card updates addressed to several users included), oldest first.</summary>
    public async Task<List<MailboxItem>> ListAsync(string to, long after = 0, CancellationToken ct = default)
    {
        var rows = await ForRecipient(to).Where(m => m.Id > after).OrderBy(m => m.Id).ToListAsync(ct);
        // A card shows the latest update of it, even when the update came in a later page.
        var updates = await ForRecipient(to).Where(m => m.Kind == OutboundKind.CardUpdate && m.TaskId != null && m.Error == null).OrderBy(m => m.Id)
            .Select(m => new { m.TaskId, m.WeComJson }).ToListAsync(ct);
        var replaced = new Dictionary<string, string>();
        foreach (var u in updates) replaced[u.TaskId!] = Render(u.WeComJson, OutboundKind.CardUpdate, u.TaskId).Text ?? "";
        return rows.Select(m => Item(m, replaced)).ToList();
    }

    /// <summary>A person's chat: their messages and clicks (the inbox) and the bot's messages to them, in order.</summary>
    public async Task<List<ChatLine>> ChatAsync(string with, CancellationToken ct = default)
    {
        var outs = await ListAsync(with, 0, ct);
        var buttons = outs.Where(o => o.Rendered.TaskId is not null && o.Rendered.Buttons is not null)
            .SelectMany(o => o.Rendered.Buttons!.Select(b => (o.Rendered.TaskId!, b.Key, b.Text))).ToList();
        var ins = await db.Inbox.AsNoTracking().Where(i => i.SenderId == with).OrderBy(i => i.Id).ToListAsync(ct);
        var lines = new List<ChatLine>();
        foreach (var i in ins)
        {
            var m = JsonSerializer.Deserialize<Inbound>(i.Payload, InboxWriter.Json);
            if (m is null) continue;
            var text = m.Kind == InboundKind.CardClick
                ? $"点击「{buttons.LastOrDefault(b => b.Item1 == m.TaskId && b.Key == m.Key).Text ?? m.Key}」"
                : m.Text ?? "";
            lines.Add(new ChatLine($"in-{i.Id}", "in", ChinaTime.ToLocal(i.ReceivedAt), new Rendered(m.Kind == InboundKind.CardClick ? "click" : "text", text, TaskId: m.TaskId)));
        }
        // Passive click replies only grey the card; they are not chat lines of their own.
        lines.AddRange(outs.Where(o => !(o.Rendered.Type == "card_update" && o.Endpoint.Length == 0))
            .Select(o => new ChatLine($"out-{o.Id}", "out", o.At, o.Rendered, o)));
        return lines.OrderBy(l => l.At).ThenBy(l => l.Dir == "in" ? 0 : 1).ThenBy(l => long.Parse(l.Id[(l.Id.IndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    private IQueryable<SandboxMessage> ForRecipient(string to) => db.SandboxMailbox.AsNoTracking().Where(m =>
        m.To == to || m.To.StartsWith(to + "|") || m.To.EndsWith("|" + to) || m.To.Contains("|" + to + "|"));

    private static MailboxItem Item(SandboxMessage m, Dictionary<string, string> replaced)
    {
        var r = Render(m.WeComJson, m.Kind, m.TaskId);
        if (r.Type == "card" && r.TaskId is not null && replaced.TryGetValue(r.TaskId, out var label)) r = r with { ReplacedBy = label };
        using var doc = JsonDocument.Parse(m.WeComJson);
        return new MailboxItem(m.Id, m.To, ChannelName(m.Channel), r.Type, ChinaTime.ToLocal(m.At), m.Endpoint ?? "", doc.RootElement.Clone(), r, m.Error);
    }

    public static string ChannelName(OutboundChannel c) => c switch
    {
        OutboundChannel.AppUser => "app",
        OutboundChannel.Kf => "kf",
        OutboundChannel.AppChat => "appchat",
        _ => "webhook",
    };

    /// <summary>Reads a WeCom body back into what a client would show.</summary>
    public static Rendered Render(string weComJson, OutboundKind kind, string? taskId)
    {
        using var doc = JsonDocument.Parse(weComJson);
        var root = doc.RootElement;
        if (kind == OutboundKind.CardUpdate || root.TryGetProperty("button", out _))
            return new Rendered("card_update", Str(root, "button", "replace_name"), TaskId: taskId);
        var type = Str(root, "msgtype") ?? "text";
        if (type == "template_card" && root.TryGetProperty("template_card", out var card))
        {
            var fields = card.TryGetProperty("horizontal_content_list", out var rows)
                ? rows.EnumerateArray().Select(x => new CardField(Str(x, "keyname") ?? "", Str(x, "value") ?? "")).ToList()
                : [];
            var buttons = card.TryGetProperty("button_list", out var bl)
                ? bl.EnumerateArray().Select(b => new RenderedButton(Str(b, "key") ?? "", Str(b, "text") ?? "", b.TryGetProperty("style", out var s) ? s.GetInt32() : 1)).ToList()
                : [];
            return new Rendered("card", Title: Str(card, "main_title", "title"), Subtitle: Str(card, "sub_title_text"), Fields: fields,
                Buttons: buttons, TaskId: Str(card, "task_id") ?? taskId);
        }
        if (type == "msgmenu" && root.TryGetProperty("msgmenu", out var menu))
        {
            var items = menu.TryGetProperty("list", out var list)
                ? list.EnumerateArray().Select(x => "【" + (Str(x, "click", "content") ?? Str(x, "text", "content") ?? "") + "】").ToList()
                : [];
            return new Rendered("text", string.Join("\n", new[] { Str(menu, "head_content"), string.Join(" ", items), Str(menu, "tail_content") }.Where(x => !string.IsNullOrEmpty(x))));
        }
        // An image: by the media_id it was uploaded as (served by /sandbox/media/{id}), or a robot's inline base64.
        if (type == "image")
            return Str(root, "image", "media_id") is { } mediaId
                ? new Rendered("image", ImageUrl: "/sandbox/media/" + Uri.EscapeDataString(mediaId))
                : new Rendered("image", ImageUrl: "data:image/png;base64," + (Str(root, "image", "base64") ?? ""));
        if (type is "file" or "voice")
            return new Rendered("file", type == "file" ? "［文件］" : "［语音］", ImageUrl: Str(root, type, "media_id") is { } fileId ? "/sandbox/media/" + Uri.EscapeDataString(fileId) : null);
        var content = Str(root, type, "content") ?? "";
        var mentions = root.TryGetProperty(type, out var body) && body.ValueKind == JsonValueKind.Object && body.TryGetProperty("mentioned_list", out var ml)
            ? ml.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
            : null;
        return new Rendered(type == "markdown" ? "markdown" : "text", content, Mentions: mentions);
    }

    private static string? Str(JsonElement e, params string[] path)
    {
        foreach (var p in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e)) return null;
        }
        return e.ValueKind == JsonValueKind.String ? e.GetString() : null;
    }
}
