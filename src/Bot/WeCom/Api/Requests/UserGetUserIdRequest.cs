using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary><c>POST /cgi-bin/user/getuserid</c>: the userid of the member with this mobile (46004: nobody; 60011: outside the app's visible range).</summary>
public sealed record UserGetUserIdRequest(
    [property: JsonPropertyName("mobile")] string Mobile) : WeComRequest<UserGetUserIdResponse>(HttpMethod.Post, "/cgi-bin/user/getuserid", WeComCredential.AppToken)
{
    public override IEnumerable<string> Validate() => Mobile.Length == 0 ? ["mobile is empty."] : [];
}

public sealed record UserGetUserIdResponse : WeComResponse
{
    [JsonPropertyName("userid")]
    public string? UserId { get; init; }
}
