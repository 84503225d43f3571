using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.WeCom.Simulator;

/// <summary>A template card as one holder sees it: its buttons until someone updates it, then the replacement text.</summary>
public sealed record CardView(string TaskId, string UserId, IReadOnlyList<string> ButtonKeys, string? ReplaceName, DateTimeOffset UpdatedAt, string How);

/// <summary>A click as WeCom reports it in the template_card_event callback, with the response code it issued for it.</summary>
public sealed record SimClick(string UserId, string TaskId, string Key, string ResponseCode, DateTimeOffset At);

/// <summary>App messages (§4.2), template cards (§4.3), card updates (§4.4), recall (§4.5), clicks and passive replies.</summary>
public sealed partial class WeComSimulator
{
    public const int AppTextBytes = MessageLimits.AppTextBytes;
    public const int AppMarkdownBytes = MessageLimits.AppMarkdownBytes;
    public const int PerMemberPerMinute = 30;
    public const int PerMemberPerHour = 1000;
    public static readonly TimeSpan ResponseCodeLifetime = TimeSpan.FromHours(72);
    public static readonly TimeSpan PassiveReplyWindow = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, CardTask> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResponseCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string User, string Task), CardView> _views = [];
    private readonly Dictionary<string, Queue<DateTimeOffset>> _memberHits = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (string Body, DateTimeOffset At)> _duplicateCheck = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _sentMsgIds = new(StringComparer.Ordinal);

    private sealed record CardTask(string TaskId, HashSet<string> Holders, IReadOnlyList<string> Keys, DateTimeOffset SentAt);

    private sealed class ResponseCode(string taskId, DateTimeOffset issued, string source)
    {
        public string TaskId { get; } = taskId;
        public DateTimeOffset Issued { get; } = issued;
        public string Source { get; } = source;
        public bool Used { get; set; }
    }

    [GeneratedRegex("^[0-9A-Za-z_\\-@]{1,128}$")]
    private static partial Regex TaskIdPattern();

    private void MapMessages()
    {
        Route("POST /cgi-bin/message/send", SendAppMessage);
        Route("POST /cgi-bin/message/update_template_card", UpdateTemplateCard);
        Route("POST /cgi-bin/message/recall", Recall);
    }

    /// <summary>The card a holder sees now; null when they never received the task.</summary>
    public CardView? CardOf(string userId, string taskId)
    {
        lock (_gate) return _views.GetValueOrDefault((userId.ToLowerInvariant(), taskId));
    }

    /// <summary>The userids a task card was delivered to.</summary>
    public IReadOnlyList<string> HoldersOf(string taskId)
    {
        lock (_gate) return _tasks.TryGetValue(taskId, out var t) ? [.. t.Holders.Order(StringComparer.Ordinal)] : [];
    }

    /// <summary>
    /// A holder clicks a button of a card whose buttons are still live: WeCom issues a response code for the click and sends
    /// the template_card_event callback. Null when that person cannot click it (no such card, not a holder, already greyed, no such key).
    /// </summary>
    public SimClick? Click(string userId, string taskId, string key)
    {
        lock (_gate)
        {
            var user = userId.ToLowerInvariant();
            if (!_tasks.TryGetValue(taskId, out var task) || !task.Holders.Contains(user) || !task.Keys.Contains(key)) return null;
            if (_views.TryGetValue((user, taskId), out var view) && view.ReplaceName is not null) return null;
            var code = NewId("rc_click_");
            _codes[code] = new ResponseCode(taskId, Now, "click:" + user);
            return new SimClick(userId, taskId, key, code, Now);
        }
    }

    /// <summary>
    /// The bot's passive <c>update_button</c> reply to a click callback that took <paramref name="took"/> (real time, from
    /// WeCom posting the callback to the answer): applied only inside WeCom's 5 s; false (nothing changes) after it.
    /// </summary>
    public bool PassiveReply(string userId, string taskId, string replaceName, TimeSpan took)
    {
        lock (_gate)
        {
            if (took > PassiveReplyWindow) return false;
            var user = userId.ToLowerInvariant();
            if (!_tasks.TryGetValue(taskId, out var task) || !task.Holders.Contains(user)) return false;
            _views[(user, taskId)] = new CardView(taskId, user, task.Keys, replaceName, Now, "passive");
            return true;
        }
    }

    private JsonObject SendAppMessage(SimCall c)
    {
        RequireToken(c);
        CheckAgent(c);
        var touser = c.Str("touser") ?? "";
        if (touser.Length == 0 && string.IsNullOrEmpty(c.Str("toparty")) && string.IsNullOrEmpty(c.Str("totag")))
            throw Refuse(82001, "All touser & toparty & totag invalid");
        var users = touser.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (users.Length > 1000) throw Refuse(40058, "touser exceeds 1000 users");
        var type = c.Str("msgtype") ?? throw Refuse(41009, "msgtype missing");
        var payload = c.Body[type] as JsonObject ?? throw Refuse(40008, $"invalid message type: no '{type}' object");
        string? taskId = null;
        List<string> keys = [];
        switch (type)
        {
            case "text":
            case "markdown":
                CheckBytes(payload["content"]?.GetValue<string>(), type == "text" ? AppTextBytes : AppMarkdownBytes, type);
                break;
            case "template_card":
                (taskId, keys) = CheckCard(payload);
                break;
            case "image" or "voice" or "file" or "video":
                if (string.IsNullOrEmpty(payload["media_id"]?.GetValue<string>())) throw Refuse(40007, "invalid media_id");
                CheckMedia(payload["media_id"]!.GetValue<string>(), type);
                break;
            case "textcard" or "news" or "mpnews" or "miniprogram_notice":
                break;
            default:
                throw Refuse(40008, $"invalid message type {type}");
        }

        // enable_duplicate_check: an identical request within the interval is answered ok and not delivered again.
        var duplicate = false;
        if (c.Int("enable_duplicate_check") == 1)
        {
            var interval = TimeSpan.FromSeconds(Math.Clamp(c.Int("duplicate_check_interval", 1800), 0, 14400));
            var copy = c.Body.DeepClone().AsObject();
            var fingerprint = copy.ToJsonString(Json);
            duplicate = _duplicateCheck.TryGetValue(fingerprint, out var seen) && Now - seen.At < interval;
            if (!duplicate) _duplicateCheck[fingerprint] = (fingerprint, Now);
        }

        var invalid = new List<string>();
        var unlicensed = new List<string>();
        var valid = new List<string>();
        foreach (var u in users.Select(x => x.ToLowerInvariant()).Distinct())
        {
            switch (_members.TryGetValue(u, out var s) ? s : MemberResolver?.Invoke(u))
            {
                case MemberStatus.Active: valid.Add(u); break;
                case MemberStatus.Unlicensed: unlicensed.Add(u); break;
                default: invalid.Add(u); break;
            }
        }

        if (valid.Count == 0 && users.Length > 0) throw Refuse(81013, "user & party & tag all invalid");
        if (taskId is not null)
        {
            if (_tasks.ContainsKey(taskId)) throw Refuse(42014, $"taskid has existed: {taskId}");
            _tasks[taskId] = new CardTask(taskId, [.. valid], keys, Now);
        }

        var json = c.Body.ToJsonString(Json);
        foreach (var u in valid)
        {
            if (duplicate) break;
            var hits = _memberHits.TryGetValue(u, out var q) ? q : _memberHits[u] = new Queue<DateTimeOffset>();
            string? dropped = null;
            if (!Fits(hits, Now, TimeSpan.FromMinutes(1), PerMemberPerMinute)) dropped = $"超过每人每分钟{PerMemberPerMinute}条，企业微信丢弃了这条消息（不报错）";
            else if (!Fits(hits, Now, TimeSpan.FromHours(1), PerMemberPerHour)) dropped = $"超过每人每小时{PerMemberPerHour}条，企业微信丢弃了这条消息（不报错）";
            else hits.Enqueue(Now);
            c.Deliveries.Add(new SimDelivery("app", u, type, taskId, json, dropped));
            if (taskId is not null && dropped is null) _views[(u, taskId)] = new CardView(taskId, u, keys, null, Now, "send");
        }

        var msgId = NewId("simmsg_");
        _sentMsgIds[msgId] = Now;
        var answer = new JsonObject
        {
            ["invaliduser"] = string.Join('|', invalid),
            ["invalidparty"] = "",
            ["invalidtag"] = "",
            ["unlicenseduser"] = string.Join('|', unlicensed),
            ["msgid"] = msgId,
        };
        if (taskId is not null)
        {
            var code = NewId("rc_send_");
            _codes[code] = new ResponseCode(taskId, Now, "send");
            answer["response_code"] = code;
        }

        return Ok(answer);
    }

    /// <summary>§4.3 and §7: interaction cards need task_id, main_title and buttons; ≤ 6 buttons with unique keys; ≤ 6 rows.</summary>
    private (string? TaskId, List<string> Keys) CheckCard(JsonObject card)
    {
        var type = card["card_type"]?.GetValue<string>() ?? throw Refuse(42027, "card_type missing");
        var interactive = type is "button_interaction" or "vote_interaction" or "multiple_interaction";
        var taskId = card["task_id"]?.GetValue<string>();
        if (interactive || card["action_menu"] is not null)
        {
            if (string.IsNullOrEmpty(taskId) || !TaskIdPattern().IsMatch(taskId) || Encoding.UTF8.GetByteCount(taskId) > 128)
                throw Refuse(42014, "invalid task_id: required, ≤ 128 bytes of [0-9A-Za-z_-@]");
        }

        if (type is "text_notice" or "news_notice" && card["card_action"] is null) throw Refuse(42045, "card_action missing");
        if (interactive && string.IsNullOrEmpty(card["main_title"]?["title"]?.GetValue<string>())) throw Refuse(42028, "main_title.title missing");
        if (card["horizontal_content_list"] is JsonArray rows && rows.Count > 6) throw Refuse(42033, "horizontal_content_list has more than 6 rows");
        var keys = new List<string>();
        if (type == "button_interaction")
        {
            var buttons = card["button_list"] as JsonArray ?? throw Refuse(42038, "button_list missing");
            if (buttons.Count is 0 or > 6) throw Refuse(42038, "button_list must have 1–6 buttons");
            foreach (var b in buttons)
            {
                var key = b?["key"]?.GetValue<string>();
                if (string.IsNullOrEmpty(b?["text"]?.GetValue<string>())) throw Refuse(42038, "button text missing");
                if (b?["type"]?.GetValue<int>() is null or 0)
                {
                    if (string.IsNullOrEmpty(key) || Encoding.UTF8.GetByteCount(key) > 1024) throw Refuse(42039, "button key missing or over 1024 bytes");
                    if (keys.Contains(key)) throw Refuse(42051, $"button key '{key}' is not unique in the card");
                    keys.Add(key);
                }
            }
        }

        return (interactive || card["action_menu"] is not null ? taskId : null, keys);
    }

    private JsonObject UpdateTemplateCard(SimCall c)
    {
        RequireToken(c);
        CheckAgent(c);
        var code = c.Str("response_code");
        if (string.IsNullOrEmpty(code) || !_codes.TryGetValue(code, out var rc) || rc.Used || Now - rc.Issued > ResponseCodeLifetime)
            throw Refuse(60140, "invalid response_code: unknown, already used or older than 72 hours");
        if (!_tasks.TryGetValue(rc.TaskId, out var task)) throw Refuse(42016, "task_id not found");
        var all = c.Int("atall") == 1;
        var asked = (c.Body["userids"] as JsonArray)?.Select(x => x!.GetValue<string>().ToLowerInvariant()).Distinct().ToList() ?? [];
        if (!all && asked.Count == 0 && c.Body["partyids"] is null && c.Body["tagids"] is null)
            throw Refuse(40058, "userids, partyids, tagids and atall cannot all be empty");
        if (asked.Count > 1000) throw Refuse(40058, "userids exceeds 1000");
        string? replace = null;
        if (c.Body["button"] is JsonObject button)
        {
            replace = button["replace_name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(replace)) throw Refuse(40058, "button.replace_name missing");
        }
        else if (c.Body["template_card"] is JsonObject card)
        {
            var (newTask, _) = CheckCard(card);
            if (newTask is not null && newTask != rc.TaskId) throw Refuse(42014, "the new card must keep the task_id of the card it updates");
            replace = card["replace_text"]?.GetValue<string>() ?? card["main_title"]?["title"]?.GetValue<string>() ?? "已更新";
        }
        else
        {
            throw Refuse(40058, "button or template_card required");
        }

        // Update targets must hold the task: the others come back in invaliduser.
        var targets = all ? [.. task.Holders] : asked.Where(task.Holders.Contains).ToList();
        var invalid = all ? [] : asked.Where(u => !task.Holders.Contains(u)).ToList();
        if (targets.Count == 0) throw Refuse(81013, "user & party & tag all invalid: none of them holds this card");
        rc.Used = true;
        var json = c.Body.ToJsonString(Json);
        foreach (var u in targets)
        {
            _views[(u, task.TaskId)] = new CardView(task.TaskId, u, task.Keys, replace, Now, "update:" + rc.Source);
            c.Deliveries.Add(new SimDelivery("app", u, "update_template_card", task.TaskId, json));
        }

        return Ok(new JsonObject { ["invaliduser"] = new JsonArray([.. invalid.Select(x => (JsonNode)x)]) });
    }

    private JsonObject Recall(SimCall c)
    {
        RequireToken(c);
        var id = c.Str("msgid") ?? throw Refuse(40058, "msgid missing");
        if (!_sentMsgIds.TryGetValue(id, out var at) || Now - at > TimeSpan.FromHours(24)) throw Refuse(42052, "msgid expired or unknown");
        _sentMsgIds.Remove(id);
        return Ok();
    }

    /// <summary>Media ids are checked by the media part of the simulator (<c>WeComSimulator.MediaUpload.cs</c>): uploaded, alive, of the type.</summary>
    private void CheckMedia(string mediaId, string type) => MediaCheck?.Invoke(mediaId, type);

    /// <summary>The media store's check (media/upload ids): throws nothing when the id is fine, else an errcode refusal.</summary>
    private Action<string, string>? MediaCheck { get; set; }
}
