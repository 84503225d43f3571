using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary><c>GET /cgi-bin/user/get?userid=…</c>: one member (60111: no such member; 60011: outside the app's visible range).</summary>
public sealed record UserGetRequest(string UserId) : WeComRequest<UserGetResponse>(HttpMethod.Get, "/cgi-bin/user/get", WeComCredential.AppToken)
{
    public override IEnumerable<KeyValuePair<string, string>> QueryParameters() => [new("userid", UserId)];
}

public sealed record UserGetResponse : WeComResponse
{
    [JsonPropertyName("userid")]
    public string? UserId { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>1 active, 2 disabled, 4 not activated, 5 left.</summary>
    [JsonPropertyName("status")]
    public int Status { get; init; }
}
