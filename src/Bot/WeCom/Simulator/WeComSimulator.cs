using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RapidResponse.Bot.WeCom.Simulator;

/// <summary>How WeCom sees a member of the corp (address book and licence).</summary>
public enum MemberStatus
{
    /// <summary>Active, inside the app's visible range, licensed: messages arrive.</summary>
    Active,

    /// <summary>Account not activated or disabled (账号未激活/已禁用): comes back in <c>invaliduser</c>.</summary>
    Inactive,

    /// <summary>Outside the app's visible range (不在应用可见范围): comes back in <c>invaliduser</c>.</summary>
    OutOfRange,

    /// <summary>In range but without an interface licence (未分配许可): comes back in <c>unlicenseduser</c>.</summary>
    Unlicensed,
}

/// <summary>One HTTP call as the simulator saw it, with what it delivered (empty when refused).</summary>
public sealed record SimExchange(
    long Id,
    DateTimeOffset At,
    string Method,
    string Path,
    string RequestBody,
    int ErrCode,
    string ErrMsg,
    string ResponseBody,
    IReadOnlyList<SimDelivery> Deliveries)
{
    public bool Refused => ErrCode != 0;

    /// <summary>The query parameters (access_token left out), e.g. a webhook's <c>key</c>.</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// What reached one recipient (or was dropped on the way): a userid, chat_id, webhook key or 微信客服 external userid.
/// <paramref name="Dropped"/> is WeCom's silent drop (e.g. over 30 messages a minute to one member) — the API said ok.
/// </summary>
public sealed record SimDelivery(string Channel, string Recipient, string MsgType, string? TaskId, string Json, string? Dropped = null);

/// <summary>A raw HTTP answer of the simulator, with the exchange it recorded.</summary>
public sealed record SimResponse(int StatusCode, string Body, string ContentType = "application/json")
{
    public SimExchange? Exchange { get; init; }

    /// <summary>A binary answer (media/get): these bytes are the body instead of <see cref="Body"/>.</summary>
    public byte[]? Bytes { get; init; }

    /// <summary>Headers besides Content-Type (Content-disposition of a media file).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}

/// <summary>Settings of the simulated corp.</summary>
public sealed class SimulatorSettings
{
    public string CorpId { get; set; } = "wwsimulatedcorp";

    public long AgentId { get; set; } = 1000002;

    /// <summary>The app secret gettoken accepts; null accepts any non-empty secret (as an app token).</summary>
    public string? AppSecret { get; set; }

    /// <summary>The 微信客服 secret; null: kf calls take app tokens (an app granted kf permission).</summary>
    public string? KfSecret { get; set; }

    /// <summary>false: every call with a token answers 60020 (the caller IP is not in 企业可信IP).</summary>
    public bool TrustedIp { get; set; } = true;

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(7200);
}

/// <summary>
/// A stateful model of WeCom's server-side rules (wecom-protocol notes §4–§8, §12), the one rule-keeper that the sandbox
/// (through <see cref="SimulatorHttpHandler"/>) and the tests' fake WeCom server both answer with, so nothing runs against a
/// WeCom that accepts what WeCom refuses. It keeps: access tokens (40001/40014/42001, 60020 when the IP is untrusted);
/// <c>task_id</c> unique per app (42014); a <c>response_code</c> per card send and per click, bound to its task, single use,
/// 72 h (60140); update targets must hold the task; UTF-8 byte limits (45002); 微信客服 replies only within 48 h of the
/// customer's last message and at most 5 per customer message (95002/95001), <c>send_msg_on_event</c> only with a live
/// welcome code, once, within 20 s; unknown or inactive members in <c>invaliduser</c> (81013 when nobody is valid);
/// per-member 30/min and 1000/h (silently dropped, as WeCom does), per-robot 20/min (45009).
/// Thread-safe; time comes from the <see cref="TimeProvider"/> it is given.
/// </summary>
public sealed partial class WeComSimulator
{
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (bool Kf, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemberStatus> _members = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SimExchange> _exchanges = [];
    private readonly Dictionary<string, Func<SimCall, JsonObject>> _routes = new(StringComparer.Ordinal);
    private long _nextExchange;
    private long _sequence;

    public WeComSimulator(TimeProvider time, SimulatorSettings? settings = null)
    {
        _time = time;
        Settings = settings ?? new SimulatorSettings();
        Route("GET /cgi-bin/gettoken", GetToken);
        MapMessages();
        MapKf();
        MapGroups();
        MapDirectory();
        MapOAuth();
        MapMedia();
    }

    public SimulatorSettings Settings { get; }

    /// <summary>
    /// Members not added with <see cref="SetMember"/> are looked up here (e.g. the roster of the bot under test, so that
    /// tests need not repeat it); null from the resolver, or no resolver: an unknown member (<c>invaliduser</c>).
    /// </summary>
    public Func<string, MemberStatus?>? MemberResolver { get; set; }

    /// <summary>Raised after every call (outside the simulator's lock), e.g. to record deliveries in the sandbox mailbox.</summary>
    public event Action<SimExchange>? Exchanged;

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Adds or changes a member of the corp's address book.</summary>
    public void SetMember(string userId, MemberStatus status = MemberStatus.Active)
    {
        lock (_gate) _members[userId] = status;
    }

    public MemberStatus? StatusOf(string userId)
    {
        lock (_gate) return _members.TryGetValue(userId, out var s) ? s : MemberResolver?.Invoke(userId);
    }

    /// <summary>Every call so far, oldest first.</summary>
    public IReadOnlyList<SimExchange> Exchanges
    {
        get { lock (_gate) return [.. _exchanges]; }
    }

    /// <summary>Calls to one API path (e.g. <c>/cgi-bin/message/send</c>), oldest first.</summary>
    public IReadOnlyList<SimExchange> CallsTo(string path)
    {
        lock (_gate) return [.. _exchanges.Where(e => e.Path == path)];
    }

    /// <summary>What reached a recipient (not dropped, not refused), oldest first.</summary>
    public IReadOnlyList<SimDelivery> DeliveredTo(string recipient)
    {
        lock (_gate)
            return [.. _exchanges.Where(e => !e.Refused).SelectMany(e => e.Deliveries)
                .Where(d => d.Dropped is null && string.Equals(d.Recipient, recipient, StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>Answers one HTTP request as WeCom would. <paramref name="pathAndQuery"/> like <c>/cgi-bin/message/send?access_token=…</c>.</summary>
    public SimResponse Handle(string method, string pathAndQuery, string? body) => Handle(method, pathAndQuery, body, null);

    private SimResponse Handle(string method, string pathAndQuery, string? body, SimUpload? upload)
    {
        var q = pathAndQuery.IndexOf('?');
        var path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        var query = ParseQuery(q < 0 ? "" : pathAndQuery[(q + 1)..]);
        if (TryMediaGet(method, path, query) is { } media) return media;
        var key = $"{method.ToUpperInvariant()} {path}";
        JsonObject answer;
        var deliveries = new List<SimDelivery>();
        SimExchange exchange;
        lock (_gate)
        {
            if (!_routes.TryGetValue(key, out var route))
            {
                answer = Error(40058, $"invalid parameter: the simulator has no API {key}");
            }
            else
            {
                JsonObject? json = null;
                if (upload is not null)
                {
                    answer = Run(route, new SimCall(path, query, [], deliveries) { Upload = upload });
                }
                else if (!string.IsNullOrWhiteSpace(body) && method != "GET")
                {
                    try
                    {
                        json = JsonNode.Parse(body) as JsonObject;
                    }
                    catch (JsonException)
                    {
                    }

                    if (json is null) answer = Error(47001, "data format error: the body is not a JSON object");
                    else answer = Run(route, new SimCall(path, query, json, deliveries));
                }
                else
                {
                    answer = Run(route, new SimCall(path, query, json ?? [], deliveries));
                }
            }

            var code = answer["errcode"]?.GetValue<int>() ?? 0;
            var text = answer.ToJsonString(Json);
            exchange = new SimExchange(++_nextExchange, Now, method.ToUpperInvariant(), path, body ?? "", code,
                answer["errmsg"]?.GetValue<string>() ?? "", text, code == 0 ? [.. deliveries] : [])
            {
                Query = query.Where(kv => kv.Key != "access_token" && kv.Key != "corpsecret").ToDictionary(kv => kv.Key, kv => kv.Value),
            };
            _exchanges.Add(exchange);
        }

        RaiseExchanged(exchange);
        return new SimResponse(200, exchange.ResponseBody) { Exchange = exchange };
    }

    private void RaiseExchanged(SimExchange exchange) => Exchanged?.Invoke(exchange);

    private JsonObject Run(Func<SimCall, JsonObject> route, SimCall call)
    {
        try
        {
            return route(call);
        }
        catch (SimRefusal r)
        {
            call.Deliveries.Clear();
            return Error(r.Code, r.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or KeyNotFoundException)
        {
            call.Deliveries.Clear();
            return Error(40058, $"invalid parameter: {e.Message}");
        }
    }

    /// <summary>Registers an API; parts of the simulator (and extensions for more APIs) call it from their constructor step.</summary>
    private void Route(string key, Func<SimCall, JsonObject> handler) => _routes[key] = handler;

    /// <summary>One request inside the lock: its query, body and the deliveries it makes.</summary>
    private sealed record SimCall(string Path, IReadOnlyDictionary<string, string> Query, JsonObject Body, List<SimDelivery> Deliveries)
    {
        /// <summary>The file part of a multipart upload (media/upload, webhook/upload_media); null for JSON calls.</summary>
        public SimUpload? Upload { get; init; }

        public string? Str(string name) => Body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : Body[name]?.ToString();

        public int Int(string name, int fallback = 0) =>
            Body[name] is JsonValue v ? (v.TryGetValue<int>(out var i) ? i : v.TryGetValue<long>(out var l) ? (int)l
                : v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : fallback)
            : fallback;
    }

    /// <summary>A refusal: WeCom's errcode and errmsg.</summary>
    private sealed class SimRefusal(int code, string message) : Exception(message)
    {
        public int Code { get; } = code;
    }

    private static SimRefusal Refuse(int code, string message) => new(code, message);

    private static JsonObject Ok(JsonObject? extra = null)
    {
        var o = new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok" };
        if (extra is not null)
            foreach (var (k, v) in extra.ToList())
            {
                extra.Remove(k);
                o[k] = v;
            }

        return o;
    }

    /// <summary>The shape of WeCom's errors: errmsg with the hint and help link real answers carry.</summary>
    private JsonObject Error(int code, string message) => new()
    {
        ["errcode"] = code,
        ["errmsg"] = $"{message}, hint: [{Now.ToUnixTimeSeconds()}_sim{Interlocked.Increment(ref _sequence)}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e={code}",
    };

    private string NewId(string prefix) => $"{prefix}{Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture)}_{Guid.NewGuid():N}"[..(prefix.Length + 20)];

    // ---- access tokens -------------------------------------------------------------------------------------------------

    private JsonObject GetToken(SimCall c)
    {
        if (!Settings.TrustedIp) throw Refuse(60020, "not allow to access from your ip");
        var corp = c.Query.GetValueOrDefault("corpid");
        var secret = c.Query.GetValueOrDefault("corpsecret");
        if (string.IsNullOrEmpty(corp) || corp != Settings.CorpId) throw Refuse(40013, "invalid corpid");
        if (string.IsNullOrEmpty(secret)) throw Refuse(41004, "corpsecret missing");
        bool kf;
        if (Settings.KfSecret is not null && secret == Settings.KfSecret) kf = true;
        else if (Settings.AppSecret is null || secret == Settings.AppSecret) kf = false;
        else throw Refuse(40001, "invalid credential, access_token is invalid or not latest");
        var token = "simtok_" + Guid.NewGuid().ToString("N");
        _tokens[token] = (kf, Now + Settings.TokenLifetime);
        return Ok(new JsonObject { ["access_token"] = token, ["expires_in"] = (int)Settings.TokenLifetime.TotalSeconds });
    }

    /// <summary>Checks the call's access_token; <paramref name="kf"/>: a 微信客服 API.</summary>
    private void RequireToken(SimCall c, bool kf = false)
    {
        if (!Settings.TrustedIp) throw Refuse(60020, "not allow to access from your ip");
        var token = c.Query.GetValueOrDefault("access_token");
        if (string.IsNullOrEmpty(token)) throw Refuse(41001, "access_token missing");
        if (!_tokens.TryGetValue(token, out var t)) throw Refuse(40014, "invalid access_token");
        if (t.Expires <= Now) throw Refuse(42001, "access_token expired");
        if (kf && Settings.KfSecret is not null && !t.Kf) throw Refuse(95012, "not use in wecom: use the access_token of the 微信客服 secret");
        if (!kf && t.Kf) throw Refuse(48002, "api forbidden: the 微信客服 secret's token cannot call this API");
    }

    /// <summary>Expires every issued token at once (WeCom may revoke tokens early).</summary>
    public void RevokeTokens()
    {
        lock (_gate) _tokens.Clear();
    }

    // ---- shared checks -------------------------------------------------------------------------------------------------

    private static void CheckBytes(string? content, int max, string what)
    {
        if (string.IsNullOrEmpty(content)) throw Refuse(44004, $"{what} content is empty");
        var n = Encoding.UTF8.GetByteCount(content);
        if (n > max) throw Refuse(45002, $"content size out of limit: {what} is {n} bytes, the limit is {max}");
    }

    private void CheckAgent(SimCall c)
    {
        if (c.Body["agentid"] is null) throw Refuse(41011, "agentid missing");
        if (c.Int("agentid", -1) != Settings.AgentId) throw Refuse(301002, "access_token and agentid mismatch");
    }

    private static Dictionary<string, string> ParseQuery(string q)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in q.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var k = Uri.UnescapeDataString(eq < 0 ? part : part[..eq]);
            d[k] = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
        }

        return d;
    }

    /// <summary>Drops entries of a sliding window older than <paramref name="span"/> and says whether one more fits under <paramref name="limit"/>.</summary>
    private static bool Fits(Queue<DateTimeOffset> hits, DateTimeOffset now, TimeSpan span, int limit)
    {
        while (hits.Count > 0 && hits.Peek() <= now - TimeSpan.FromHours(1)) hits.Dequeue();
        return hits.Count(h => h > now - span) < limit;
    }
}
