using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary><c>GET /cgi-bin/auth/getuserinfo?code=…</c>: who signed in through web OAuth or the QR login (the code is single use, 5 minutes).</summary>
public sealed record GetUserInfoRequest(string Code) : WeComRequest<GetUserInfoResponse>(HttpMethod.Get, "/cgi-bin/auth/getuserinfo", WeComCredential.AppToken)
{
    public override IEnumerable<KeyValuePair<string, string>> QueryParameters() => [new("code", Code)];

    public override IEnumerable<string> Validate() =>
        string.IsNullOrWhiteSpace(Code) || Code.Length > 512 ? ["code must be 1..512 characters."] : [];
}

/// <summary>A member has <see cref="UserId"/>; someone outside the corp only <see cref="OpenId"/>.</summary>
public sealed record GetUserInfoResponse : WeComResponse
{
    [JsonPropertyName("userid")]
    public string? UserId { get; init; }

    [JsonPropertyName("openid")]
    public string? OpenId { get; init; }
}
