using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary><c>GET /cgi-bin/appchat/get?chatid=…</c>: members and owner of an app group chat.</summary>
public sealed record AppChatGetRequest(string ChatId) : WeComRequest<AppChatGetResponse>(HttpMethod.Get, "/cgi-bin/appchat/get", WeComCredential.AppToken)
{
    public override IEnumerable<KeyValuePair<string, string>> QueryParameters() => [new("chatid", ChatId)];

    public override IEnumerable<string> Validate() =>
        AppChatCreateRequest.IsValidChatId(ChatId) ? [] : ["chatid must be 1..32 characters of 0-9a-zA-Z."];
}

public sealed record AppChatGetResponse : WeComResponse
{
    [JsonPropertyName("chat_info")]
    public AppChatInfo? ChatInfo { get; init; }
}

public sealed record AppChatInfo(
    [property: JsonPropertyName("chatid")] string ChatId,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("owner")] string? Owner,
    [property: JsonPropertyName("userlist")] IReadOnlyList<string> UserList,
    [property: JsonPropertyName("chat_type")] int ChatType);
