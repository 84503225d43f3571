using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary><c>POST /cgi-bin/menu/create?agentid=…</c>: the self-built app's menu (≤ 3 buttons, ≤ 5 sub-buttons each).</summary>
public sealed record MenuCreateRequest : WeComRequest<WeComResponse>
{
    public MenuCreateRequest()
        : base(HttpMethod.Post, "/cgi-bin/menu/create", WeComCredential.AppToken)
    {
    }

    [JsonIgnore]
    public long? AgentId { get; init; }

    [JsonPropertyName("button")]
    public required IReadOnlyList<MenuButton> Buttons { get; init; }

    public override IEnumerable<KeyValuePair<string, string>> QueryParameters() =>
        [new("agentid", (AgentId ?? 0).ToString(CultureInfo.InvariantCulture))];

    public override WeComRequest<WeComResponse> WithDefaults(WeComOptions options) => AgentId is null ? this with { AgentId = options.AgentId } : this;

    public override IEnumerable<string> Validate()
    {
        if (Buttons.Count is < 1 or > 3) yield return "menu needs 1..3 top-level buttons (WeCom 40016).";
        foreach (var b in Buttons)
        {
            if (Encoding.UTF8.GetByteCount(b.Name) > 16) yield return $"top-level button name '{b.Name}' is over 16 bytes (40018).";
            if (b.SubButtons is { Count: > 5 }) yield return $"button '{b.Name}' has more than 5 sub-buttons (40017).";
            foreach (var s in b.SubButtons ?? [])
                if (Encoding.UTF8.GetByteCount(s.Name) > 40) yield return $"sub-button name '{s.Name}' is over 40 bytes (40018).";
        }
    }
}

/// <summary>A menu button: <c>click</c> with a key (arrives as a <c>click</c> event with EventKey), or a parent of sub-buttons.</summary>
public sealed record MenuButton(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string? Type = null,
    [property: JsonPropertyName("key")] string? Key = null,
    [property: JsonPropertyName("sub_button")] IReadOnlyList<MenuButton>? SubButtons = null)
{
    public static MenuButton Click(string name, string key) => new(name, "click", key);
}
