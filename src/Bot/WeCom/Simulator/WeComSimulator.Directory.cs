using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RapidResponse.Bot.WeCom.Simulator;

/// <summary>A department of the simulated address book.</summary>
public sealed record SimDepartment(long Id, string Name, long ParentId);

/// <summary>A person of the simulated address book; <paramref name="Status"/> also decides what message/send says about them.</summary>
public sealed record SimPerson(string UserId, string Name, string? Mobile, long DepartmentId, MemberStatus Status);

/// <summary>A 微信客服 contact way (kf/add_contact_way): the link a QR code carries, with its scene.</summary>
public sealed record SimContactWay(string OpenKfId, string Scene, string Url);

/// <summary>
/// Address book (通讯录 read: user/getuserid, department/list, user/list), app menu (menu/create) and 微信客服 accounts and
/// contact ways (kf/account/list, kf/add_contact_way). Members outside the app's visible range are not listed and
/// getuserid answers 60011 for them, as WeCom does.
/// </summary>
public sealed partial class WeComSimulator
{
    /// <summary>Top-level menu buttons (3) and sub-buttons per button (5); name limits in UTF-8 bytes.</summary>
    public const int MenuButtons = 3;
    public const int MenuSubButtons = 5;
    public const int MenuNameBytes = 16;
    public const int MenuSubNameBytes = 40;

    private readonly Dictionary<long, SimDepartment> _departments = new() { [1] = new SimDepartment(1, "本企业", 0) };
    private readonly Dictionary<string, SimPerson> _people = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SimContactWay> _contactWays = [];

    [GeneratedRegex("^[0-9A-Za-z_\\-]{1,30}$")]
    private static partial Regex ScenePattern();

    /// <summary>The app menu last set with menu/create (its JSON body), null when never set.</summary>
    public JsonObject? Menu { get; private set; }

    /// <summary>Adds a department under <paramref name="parentId"/> (1 is the corp's root).</summary>
    public void AddDepartment(long id, string name, long parentId = 1)
    {
        lock (_gate) _departments[id] = new SimDepartment(id, name, parentId);
    }

    /// <summary>Adds a person to the address book (and to the members message/send knows).</summary>
    public void AddPerson(string userId, string name, string? mobile, long departmentId = 1, MemberStatus status = MemberStatus.Active)
    {
        lock (_gate)
        {
            _people[userId] = new SimPerson(userId, name, mobile, departmentId, status);
            _members[userId] = status;
        }
    }

    public IReadOnlyList<SimContactWay> ContactWays
    {
        get { lock (_gate) return [.. _contactWays]; }
    }

    private void MapDirectory()
    {
        Route("POST /cgi-bin/user/getuserid", GetUserId);
        Route("GET /cgi-bin/department/list", DepartmentList);
        Route("GET /cgi-bin/user/list", UserList);
        Route("GET /cgi-bin/user/get", UserGet);
        Route("POST /cgi-bin/menu/create", MenuCreate);
        Route("POST /cgi-bin/kf/account/list", KfAccountList);
        Route("POST /cgi-bin/kf/add_contact_way", KfAddContactWay);
    }

    private JsonObject GetUserId(SimCall c)
    {
        RequireToken(c);
        var mobile = c.Str("mobile");
        if (string.IsNullOrEmpty(mobile)) throw Refuse(60103, "mobile missing");
        var p = _people.Values.FirstOrDefault(x => x.Mobile == mobile) ?? throw Refuse(46004, "user not found: no member has this mobile");
        if (p.Status == MemberStatus.OutOfRange) throw Refuse(60011, "no privilege to access/modify contact/party/agent: the member is outside the app's visible range");
        return Ok(new JsonObject { ["userid"] = p.UserId });
    }

    private JsonObject UserGet(SimCall c)
    {
        RequireToken(c);
        var id = c.Query.GetValueOrDefault("userid");
        if (string.IsNullOrEmpty(id)) throw Refuse(41009, "userid missing");
        MemberStatus? status = _people.TryGetValue(id, out var p) ? p.Status : StatusOf(id);
        if (status is null) throw Refuse(60111, "userid not found");
        if (status == MemberStatus.OutOfRange) throw Refuse(60011, "no privilege to access/modify contact/party/agent: the member is outside the app's visible range");
        return Ok(new JsonObject { ["userid"] = p?.UserId ?? id, ["name"] = p?.Name ?? id, ["status"] = status == MemberStatus.Inactive ? 4 : 1 });
    }

    private JsonObject DepartmentList(SimCall c)
    {
        RequireToken(c);
        return Ok(new JsonObject
        {
            ["department"] = new JsonArray([.. _departments.Values.OrderBy(d => d.Id).Select(d => (JsonNode)new JsonObject
            {
                ["id"] = d.Id, ["name"] = d.Name, ["parentid"] = d.ParentId, ["order"] = 0,
            })]),
        });
    }

    private JsonObject UserList(SimCall c)
    {
        RequireToken(c);
        if (!long.TryParse(c.Query.GetValueOrDefault("department_id"), out var dept)) throw Refuse(60003, "department_id missing");
        if (!_departments.ContainsKey(dept)) throw Refuse(60123, "invalid party id");
        var all = c.Query.GetValueOrDefault("fetch_child") == "1";
        var ids = all ? Subtree(dept) : [dept];
        // status: 1 active, 2 disabled, 4 not yet activated (WeCom's user/list).
        return Ok(new JsonObject
        {
            ["userlist"] = new JsonArray([.. _people.Values.Where(p => p.Status != MemberStatus.OutOfRange && ids.Contains(p.DepartmentId))
                .OrderBy(p => p.UserId, StringComparer.Ordinal)
                .Select(p => (JsonNode)new JsonObject
                {
                    ["userid"] = p.UserId, ["name"] = p.Name, ["department"] = new JsonArray(p.DepartmentId),
                    ["mobile"] = p.Mobile ?? "", ["status"] = p.Status == MemberStatus.Inactive ? 4 : 1,
                })]),
        });
    }

    private HashSet<long> Subtree(long root)
    {
        var set = new HashSet<long> { root };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var d in _departments.Values)
                if (set.Contains(d.ParentId) && set.Add(d.Id)) grew = true;
        }

        return set;
    }

    private JsonObject MenuCreate(SimCall c)
    {
        RequireToken(c);
        if (!long.TryParse(c.Query.GetValueOrDefault("agentid"), out var agent)) throw Refuse(41011, "agentid missing");
        if (agent != Settings.AgentId) throw Refuse(301002, "access_token and agentid mismatch");
        var buttons = c.Body["button"] as JsonArray ?? throw Refuse(40016, "invalid button size: button missing");
        if (buttons.Count is < 1 or > MenuButtons) throw Refuse(40016, $"invalid button size: 1–{MenuButtons} top-level buttons");
        foreach (var b in buttons.OfType<JsonObject>())
        {
            CheckButtonName(b, MenuNameBytes);
            if (b["sub_button"] is JsonArray subs)
            {
                if (subs.Count is < 1 or > MenuSubButtons) throw Refuse(40017, $"invalid sub button size: 1–{MenuSubButtons}");
                foreach (var s in subs.OfType<JsonObject>())
                {
                    CheckButtonName(s, MenuSubNameBytes);
                    CheckButtonAction(s);
                }
            }
            else
            {
                CheckButtonAction(b);
            }
        }

        Menu = (JsonObject)c.Body.DeepClone();
        return Ok();
    }

    private static void CheckButtonName(JsonObject b, int maxBytes)
    {
        var name = b["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) || System.Text.Encoding.UTF8.GetByteCount(name) > maxBytes)
            throw Refuse(40018, $"invalid button name size: 1–{maxBytes} bytes");
    }

    private static void CheckButtonAction(JsonObject b)
    {
        switch (b["type"]?.GetValue<string>())
        {
            case "click":
                var key = b["key"]?.GetValue<string>();
                if (string.IsNullOrEmpty(key) || System.Text.Encoding.UTF8.GetByteCount(key) > 128) throw Refuse(40019, "invalid button key size: 1–128 bytes");
                break;
            case "view":
                if (string.IsNullOrEmpty(b["url"]?.GetValue<string>())) throw Refuse(40023, "invalid button url");
                break;
            default: throw Refuse(40015, "invalid button type");
        }
    }

    private JsonObject KfAccountList(SimCall c)
    {
        RequireToken(c, kf: true);
        return Ok(new JsonObject
        {
            ["account_list"] = new JsonArray([.. KfAccounts.Order(StringComparer.Ordinal).Select(id => (JsonNode)new JsonObject
            {
                ["open_kfid"] = id, ["name"] = "客服" + id[^Math.Min(4, id.Length)..], ["manage_privilege"] = true,
            })]),
        });
    }

    private JsonObject KfAddContactWay(SimCall c)
    {
        RequireToken(c, kf: true);
        var kf = c.Str("open_kfid");
        CheckKfAccount(kf);
        var scene = c.Str("scene");
        if (scene is not null && !ScenePattern().IsMatch(scene)) throw Refuse(95013, "invalid scene: ≤ 30 of [0-9a-zA-Z_-]");
        var url = $"https://work.weixin.qq.com/kfid/{kf}" + (scene is null ? "" : $"?enc_scene={Uri.EscapeDataString(scene)}");
        _contactWays.Add(new SimContactWay(kf!, scene ?? "", url));
        return Ok(new JsonObject { ["url"] = url });
    }
}
