using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace RapidResponse.Bot.WeCom.Simulator;

/// <summary>A customer's entry into a 微信客服 session, as sync_msg reports it, with the welcome code WeCom issued (if any).</summary>
public sealed record SimEnter(string OpenKfId, string ExternalUserId, string MsgId, string? WelcomeCode, string? SceneParam);

/// <summary>微信客服 (§5): sync_msg, send_msg (48 h, 5 per customer message), send_msg_on_event (welcome code), session states.</summary>
public sealed partial class WeComSimulator
{
    public static readonly TimeSpan KfReplyWindow = TimeSpan.FromHours(48);
    public const int KfRepliesPerCustomerMessage = 5;
    public static readonly TimeSpan WelcomeCodeLifetime = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan KfCallbackTokenLifetime = TimeSpan.FromMinutes(10);

    private readonly List<JsonObject> _kfMessages = [];
    private readonly Dictionary<(string Kf, string User), KfCustomer> _kfCustomers = [];
    private readonly Dictionary<string, (string Kf, string User, DateTimeOffset Issued, bool Used)> _welcomeCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _kfCallbackTokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _kfSentMsgIds = new(StringComparer.Ordinal);

    /// <summary>Known 微信客服 accounts; empty: any open_kfid is accepted.</summary>
    public HashSet<string> KfAccounts { get; } = new(StringComparer.Ordinal);

    private sealed class KfCustomer
    {
        public DateTimeOffset? LastMessageAt { get; set; }
        public int RepliesSinceLastMessage { get; set; }
        public DateTimeOffset? LastWelcomeAt { get; set; }
        public int State { get; set; }
    }

    private void MapKf()
    {
        Route("POST /cgi-bin/kf/sync_msg", SyncMsg);
        Route("POST /cgi-bin/kf/send_msg", KfSendMsg);
        Route("POST /cgi-bin/kf/send_msg_on_event", KfSendOnEvent);
        Route("POST /cgi-bin/kf/service_state/get", KfStateGet);
        Route("POST /cgi-bin/kf/service_state/trans", KfStateTrans);
    }

    private KfCustomer Customer(string kf, string user) =>
        _kfCustomers.TryGetValue((kf, user), out var c) ? c : _kfCustomers[(kf, user)] = new KfCustomer();

    /// <summary>
    /// A WeChat customer writes (origin 3): the message is queued for sync_msg, the 48 h window reopens and the 5-reply count
    /// resets. Returns the message's msgid and the callback Token of the notification WeCom would send (10 minutes).
    /// </summary>
    public (string MsgId, string Token) CustomerWrites(string openKfId, string externalUserId, string text, string msgType = "text", JsonObject? payload = null)
    {
        lock (_gate)
        {
            var msgId = NewId("kfmsg_");
            var m = new JsonObject
            {
                ["msgid"] = msgId,
                ["open_kfid"] = openKfId,
                ["external_userid"] = externalUserId,
                ["send_time"] = Now.ToUnixTimeSeconds(),
                ["origin"] = 3,
                ["msgtype"] = msgType,
            };
            m[msgType] = payload ?? (msgType == "text" ? new JsonObject { ["content"] = text } : new JsonObject());
            _kfMessages.Add(m);
            var c = Customer(openKfId, externalUserId);
            c.LastMessageAt = Now;
            c.RepliesSinceLastMessage = 0;
            if (c.State == 4) c.State = 0;
            return (msgId, IssueCallbackToken());
        }
    }

    /// <summary>
    /// A customer opens the chat (enter_session): a welcome code is issued only when the customer got no welcome in the last
    /// 48 h and has not written in that time (§5.3). <paramref name="sceneParam"/> comes from the contact link.
    /// </summary>
    public (SimEnter Enter, string Token) CustomerEnters(string openKfId, string externalUserId, string? scene = null, string? sceneParam = null)
    {
        lock (_gate)
        {
            var c = Customer(openKfId, externalUserId);
            string? code = null;
            var quiet = (c.LastMessageAt is null || Now - c.LastMessageAt >= KfReplyWindow) && (c.LastWelcomeAt is null || Now - c.LastWelcomeAt >= KfReplyWindow);
            if (quiet)
            {
                code = NewId("welcome_");
                _welcomeCodes[code] = (openKfId, externalUserId, Now, false);
            }

            var msgId = NewId("kfevt_");
            var ev = new JsonObject
            {
                ["event_type"] = "enter_session",
                ["open_kfid"] = openKfId,
                ["external_userid"] = externalUserId,
                ["scene"] = scene ?? "",
                ["scene_param"] = sceneParam ?? "",
            };
            if (code is not null) ev["welcome_code"] = code;
            _kfMessages.Add(new JsonObject
            {
                ["msgid"] = msgId,
                ["open_kfid"] = openKfId,
                ["send_time"] = Now.ToUnixTimeSeconds(),
                ["origin"] = 4,
                ["msgtype"] = "event",
                ["event"] = ev,
            });
            return (new SimEnter(openKfId, externalUserId, msgId, code, sceneParam), IssueCallbackToken());
        }
    }

    /// <summary>
    /// A human servicer writes to the customer from the WeCom client (origin 5, §5.3): the session is theirs (state 3). The
    /// message is in sync_msg's stream like the customer's. Returns its msgid.
    /// </summary>
    public string ServicerWrites(string openKfId, string externalUserId, string servicerUserId, string text)
    {
        lock (_gate)
        {
            var msgId = NewId("kfsrv_");
            _kfMessages.Add(new JsonObject
            {
                ["msgid"] = msgId,
                ["open_kfid"] = openKfId,
                ["external_userid"] = externalUserId,
                ["send_time"] = Now.ToUnixTimeSeconds(),
                ["origin"] = 5,
                ["servicer_userid"] = servicerUserId,
                ["msgtype"] = "text",
                ["text"] = new JsonObject { ["content"] = text },
            });
            Customer(openKfId, externalUserId).State = 3;
            return msgId;
        }
    }

    /// <summary>The 微信客服 session state (§5.5) of a customer: 0 new … 4 ended.</summary>
    public int KfStateOf(string openKfId, string externalUserId)
    {
        lock (_gate) return Customer(openKfId, externalUserId).State;
    }

    /// <summary>A human servicer takes the session (state 3): the API may no longer send (95018).</summary>
    public void KfHumanTakesOver(string openKfId, string externalUserId)
    {
        lock (_gate) Customer(openKfId, externalUserId).State = 3;
    }

    private string IssueCallbackToken()
    {
        var t = "ENC" + Guid.NewGuid().ToString("N");
        _kfCallbackTokens[t] = Now + KfCallbackTokenLifetime;
        return t;
    }

    private void CheckKfAccount(string? openKfId)
    {
        if (string.IsNullOrEmpty(openKfId)) throw Refuse(95000, "invalid open_kfid");
        if (KfAccounts.Count > 0 && !KfAccounts.Contains(openKfId)) throw Refuse(95004, "open_kfid not exist");
    }

    private JsonObject SyncMsg(SimCall c)
    {
        RequireToken(c, kf: true);
        var token = c.Str("token");
        if (!string.IsNullOrEmpty(token) && (!_kfCallbackTokens.TryGetValue(token, out var until) || until <= Now))
            throw Refuse(95007, "invalid msg token");
        var limit = Math.Clamp(c.Int("limit", 1000), 1, 1000);
        var kf = c.Str("open_kfid");
        var cursor = c.Str("cursor");
        var start = 0;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!cursor.StartsWith("cur", StringComparison.Ordinal) || !int.TryParse(cursor.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out start))
                throw Refuse(95006, "invalid cursor");
        }
        else
        {
            // Without a cursor WeCom starts at the earliest message of the last 3 days.
            var since = Now.AddDays(-3).ToUnixTimeSeconds();
            while (start < _kfMessages.Count && _kfMessages[start]["send_time"]!.GetValue<long>() < since) start++;
        }

        // WeCom reads a window of its corp-wide message stream and returns the entries of the asked account: a page may hold
        // fewer messages than the limit, even none, and still say has_more = 1 (doc 94670).
        var window = Math.Min(limit, Math.Max(1, Settings.KfSyncPageSize));
        var page = new JsonArray();
        var i = start;
        for (; i < _kfMessages.Count && i - start < window; i++)
        {
            var m = _kfMessages[i];
            if (kf is not null && m["open_kfid"]?.GetValue<string>() != kf) continue;
            page.Add(m.DeepClone());
        }

        return Ok(new JsonObject
        {
            ["next_cursor"] = "cur" + i.ToString(CultureInfo.InvariantCulture),
            ["has_more"] = i < _kfMessages.Count ? 1 : 0,
            ["msg_list"] = page,
        });
    }

    private JsonObject KfSendMsg(SimCall c)
    {
        RequireToken(c, kf: true);
        var kf = c.Str("open_kfid");
        CheckKfAccount(kf);
        var user = c.Str("touser") ?? throw Refuse(40058, "touser missing");
        var msgId = c.Str("msgid");
        if (msgId is not null && (Encoding.UTF8.GetByteCount(msgId) > 32 || msgId.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-'))))
            throw Refuse(40058, "msgid: at most 32 bytes of [0-9a-zA-Z_-]");
        var type = c.Str("msgtype") ?? throw Refuse(41009, "msgtype missing");
        var payload = c.Body[type] as JsonObject ?? throw Refuse(40008, $"invalid message type: no '{type}' object");
        if (type == "text") CheckBytes(payload["content"]?.GetValue<string>(), AppTextBytes, "text");
        var cust = Customer(kf!, user);
        if (cust.State is 2 or 3) throw Refuse(95018, "session state forbids sending by API (a servicer holds it)");
        if (cust.State == 4) throw Refuse(95013, "session has ended");
        if (cust.LastMessageAt is null || Now - cust.LastMessageAt >= KfReplyWindow)
            throw Refuse(95002, "msg out of 48 hours: the customer has not written in the last 48 hours");
        if (cust.RepliesSinceLastMessage >= KfRepliesPerCustomerMessage)
            throw Refuse(95001, "send msg count limit: 5 replies per customer message");
        msgId ??= NewId("kfsend_");
        // A resend with the same msgid is answered ok and not delivered twice.
        if (!_kfSentMsgIds.Add(kf + "|" + msgId)) return Ok(new JsonObject { ["msgid"] = msgId });
        cust.RepliesSinceLastMessage++;
        c.Deliveries.Add(new SimDelivery("kf", user, type, null, c.Body.ToJsonString(Json)));
        return Ok(new JsonObject { ["msgid"] = msgId });
    }

    private JsonObject KfSendOnEvent(SimCall c)
    {
        RequireToken(c, kf: true);
        var code = c.Str("code");
        if (string.IsNullOrEmpty(code) || !_welcomeCodes.TryGetValue(code, out var w) || w.Used || Now - w.Issued > WelcomeCodeLifetime)
            throw Refuse(95017, "invalid code: the welcome_code is unknown, used or older than 20 seconds");
        var type = c.Str("msgtype") ?? throw Refuse(41009, "msgtype missing");
        if (type is not ("text" or "msgmenu")) throw Refuse(40008, "send_msg_on_event takes text or msgmenu");
        var payload = c.Body[type] as JsonObject ?? throw Refuse(40008, $"invalid message type: no '{type}' object");
        if (type == "text") CheckBytes(payload["content"]?.GetValue<string>(), AppTextBytes, "text");
        if (type == "msgmenu" && (payload["list"] as JsonArray)?.Count is null or 0 && payload["head_content"] is null)
            throw Refuse(40058, "msgmenu needs head_content or a list");
        _welcomeCodes[code] = w with { Used = true };
        Customer(w.Kf, w.User).LastWelcomeAt = Now;
        c.Deliveries.Add(new SimDelivery("kf", w.User, type, null, c.Body.ToJsonString(Json)));
        return Ok(new JsonObject { ["msgid"] = c.Str("msgid") ?? NewId("kfevt_") });
    }

    private JsonObject KfStateGet(SimCall c)
    {
        RequireToken(c, kf: true);
        var kf = c.Str("open_kfid");
        CheckKfAccount(kf);
        var user = c.Str("external_userid") ?? throw Refuse(40058, "external_userid missing");
        return Ok(new JsonObject { ["service_state"] = Customer(kf!, user).State, ["servicer_userid"] = "" });
    }

    private JsonObject KfStateTrans(SimCall c)
    {
        RequireToken(c, kf: true);
        var kf = c.Str("open_kfid");
        CheckKfAccount(kf);
        var user = c.Str("external_userid") ?? throw Refuse(40058, "external_userid missing");
        var to = c.Int("service_state", -1);
        var cust = Customer(kf!, user);
        var allowed = (cust.State, to) switch
        {
            (0, 1 or 2 or 3 or 4) => true,
            (1, 2 or 3 or 4) => true,
            (2, 3 or 4) => true,
            (3, 2 or 3 or 4) => true,
            _ => false,
        };
        if (!allowed) throw Refuse(95016, $"invalid service state transition {cust.State} → {to}");
        cust.State = to;
        return Ok(new JsonObject { ["msg_code"] = "" });
    }
}
