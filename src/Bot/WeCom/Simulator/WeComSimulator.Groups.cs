using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.WeCom.Simulator;

/// <summary>App group chats (§4.6) and group-robot webhooks (§4.7).</summary>
public sealed partial class WeComSimulator
{
    public const int WebhookPerMinute = 20;
    public const int WebhookMarkdownBytes = MessageLimits.WebhookMarkdownBytes;
    public const int WebhookTextBytes = MessageLimits.WebhookTextBytes;

    private readonly Dictionary<string, SimChat> _chats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _robotHits = new(StringComparer.Ordinal);
    private readonly HashSet<string> _robots = new(StringComparer.Ordinal);

    /// <summary>An app group chat created by this app.</summary>
    public sealed record SimChat(string ChatId, string Name, string Owner, IReadOnlyList<string> Members);

    /// <summary>Chats and robots not created here are looked up with these (e.g. the bot's roster of group bindings).</summary>
    public Func<string, bool>? ChatResolver { get; set; }

    public Func<string, bool>? RobotResolver { get; set; }

    [GeneratedRegex("^[0-9a-zA-Z]{1,32}$")]
    private static partial Regex ChatIdPattern();

    /// <summary>A group chat that this app created earlier (e.g. before the test started).</summary>
    public void AddChat(string chatId, string name = "群聊", params string[] members)
    {
        lock (_gate) _chats[chatId] = new SimChat(chatId, name, members.FirstOrDefault() ?? "", members);
    }

    /// <summary>A group robot whose webhook key is valid.</summary>
    public void AddRobot(string key)
    {
        lock (_gate) _robots.Add(key);
    }

    public IReadOnlyList<SimChat> Chats
    {
        get { lock (_gate) return [.. _chats.Values]; }
    }

    private void MapGroups()
    {
        Route("POST /cgi-bin/appchat/create", ChatCreate);
        Route("POST /cgi-bin/appchat/update", ChatUpdate);
        Route("GET /cgi-bin/appchat/get", ChatGet);
        Route("POST /cgi-bin/appchat/send", ChatSend);
        Route("POST /cgi-bin/webhook/send", WebhookSend);
    }

    private bool ChatKnown(string chatId) => _chats.ContainsKey(chatId) || ChatResolver?.Invoke(chatId) == true;

    private JsonObject ChatCreate(SimCall c)
    {
        RequireToken(c);
        var users = (c.Body["userlist"] as JsonArray)?.Select(x => x!.GetValue<string>()).Distinct(StringComparer.OrdinalIgnoreCase).ToList() ?? [];
        if (users.Count is < 2 or > 2000) throw Refuse(86006, "chat member count out of range: 2–2000");
        var bad = users.Where(u => StatusOf(u) is not MemberStatus.Active and not MemberStatus.Unlicensed).ToList();
        if (bad.Count > 0) throw Refuse(86007, "invalid chat member: " + string.Join(',', bad));
        var owner = c.Str("owner") ?? users[0];
        if (!users.Contains(owner, StringComparer.OrdinalIgnoreCase)) throw Refuse(86005, "invalid chat owner");
        var name = c.Str("name") ?? "";
        if (name.Length > 50) name = name[..50];
        var id = c.Str("chatid");
        if (id is not null)
        {
            if (!ChatIdPattern().IsMatch(id)) throw Refuse(86001, "invalid chatid: ≤ 32 of [0-9a-zA-Z]");
            if (ChatKnown(id)) throw Refuse(86215, "chatid exists");
        }

        id ??= "wr" + Guid.NewGuid().ToString("N")[..24];
        _chats[id] = new SimChat(id, name, owner, users);
        return Ok(new JsonObject { ["chatid"] = id });
    }

    private JsonObject ChatUpdate(SimCall c)
    {
        RequireToken(c);
        var id = c.Str("chatid") ?? throw Refuse(86001, "chatid missing");
        if (!_chats.TryGetValue(id, out var chat)) throw Refuse(ChatKnown(id) ? 86008 : 86003, "chat not found or not created by this app");
        var members = chat.Members.ToList();
        foreach (var u in (c.Body["add_user_list"] as JsonArray)?.Select(x => x!.GetValue<string>()) ?? []) if (!members.Contains(u)) members.Add(u);
        foreach (var u in (c.Body["del_user_list"] as JsonArray)?.Select(x => x!.GetValue<string>()) ?? []) members.Remove(u);
        _chats[id] = chat with { Name = c.Str("name") ?? chat.Name, Owner = c.Str("owner") ?? chat.Owner, Members = members };
        return Ok();
    }

    private JsonObject ChatGet(SimCall c)
    {
        RequireToken(c);
        var id = c.Query.GetValueOrDefault("chatid") ?? throw Refuse(86001, "chatid missing");
        if (!_chats.TryGetValue(id, out var chat)) throw Refuse(ChatKnown(id) ? 86008 : 86003, "chat not found or not created by this app");
        return Ok(new JsonObject
        {
            ["chat_info"] = new JsonObject
            {
                ["chatid"] = chat.ChatId, ["name"] = chat.Name, ["owner"] = chat.Owner,
                ["userlist"] = new JsonArray([.. chat.Members.Select(x => (JsonNode)x)]), ["chat_type"] = 0,
            },
        });
    }

    private JsonObject ChatSend(SimCall c)
    {
        RequireToken(c);
        var id = c.Str("chatid") ?? throw Refuse(86001, "chatid missing");
        if (!ChatKnown(id)) throw Refuse(86003, "chat not found");
        var type = c.Str("msgtype") ?? throw Refuse(41009, "msgtype missing");
        var payload = c.Body[type] as JsonObject ?? throw Refuse(40008, $"invalid message type: no '{type}' object");
        switch (type)
        {
            case "text" or "markdown": CheckBytes(payload["content"]?.GetValue<string>(), type == "text" ? AppTextBytes : AppMarkdownBytes, type); break;
            case "image" or "file" or "voice" or "video":
                if (string.IsNullOrEmpty(payload["media_id"]?.GetValue<string>())) throw Refuse(40007, "invalid media_id");
                CheckMedia(payload["media_id"]!.GetValue<string>(), type);
                break;
            case "textcard" or "news" or "mpnews": break;
            default: throw Refuse(40008, $"invalid message type {type} for appchat");
        }

        c.Deliveries.Add(new SimDelivery("appchat", id, type, null, c.Body.ToJsonString(Json)));
        return Ok();
    }

    private JsonObject WebhookSend(SimCall c)
    {
        var key = c.Query.GetValueOrDefault("key");
        if (string.IsNullOrEmpty(key) || !(_robots.Contains(key) || RobotResolver?.Invoke(key) == true)) throw Refuse(93000, "invalid webhook url");
        var hits = _robotHits.TryGetValue(key, out var q) ? q : _robotHits[key] = new Queue<DateTimeOffset>();
        if (!Fits(hits, Now, TimeSpan.FromMinutes(1), WebhookPerMinute)) throw Refuse(45009, "api freq out of limit: 20 messages a minute per robot");
        var type = c.Str("msgtype") ?? throw Refuse(41009, "msgtype missing");
        var payload = c.Body[type] as JsonObject ?? throw Refuse(40008, $"invalid message type: no '{type}' object");
        switch (type)
        {
            case "text": CheckBytes(payload["content"]?.GetValue<string>(), WebhookTextBytes, type); break;
            case "markdown" or "markdown_v2": CheckBytes(payload["content"]?.GetValue<string>(), WebhookMarkdownBytes, type); break;
            case "image": CheckWebhookImage(payload); break;
            case "file" or "voice":
                var mediaId = payload["media_id"]?.GetValue<string>();
                if (string.IsNullOrEmpty(mediaId)) throw Refuse(40007, "invalid media_id");
                CheckMediaId(mediaId, type, key);
                break;
            case "news" or "template_card": break;
            default: throw Refuse(40008, $"invalid message type {type} for a webhook");
        }

        hits.Enqueue(Now);
        c.Deliveries.Add(new SimDelivery("webhook", key, type, null, c.Body.ToJsonString(Json)));
        return Ok();
    }
}
