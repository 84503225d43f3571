using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// <c>POST /cgi-bin/appchat/create</c> (应用群聊, §4.6). Needs the app's visible range to be the root department (48002);
/// the group stays invisible until its first message.
/// </summary>
public sealed record AppChatCreateRequest : WeComRequest<AppChatCreateResponse>
{
    public AppChatCreateRequest()
        : base(HttpMethod.Post, "/cgi-bin/appchat/create", WeComCredential.AppToken)
    {
    }

    /// <summary>≤ 50 characters; WeCom truncates longer names.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("owner")]
    public string? Owner { get; init; }

    [JsonPropertyName("userlist")]
    public required IReadOnlyList<string> UserList { get; init; }

    /// <summary>Optional; ≤ 32 of [0-9a-zA-Z]; 86215 when it already exists.</summary>
    [JsonPropertyName("chatid")]
    public string? ChatId { get; init; }

    public override IEnumerable<string> Validate()
    {
        if (UserList.Count is < 2 or > 2000)
        {
            yield return "userlist needs 2..2000 members.";
        }

        if (ChatId is not null && !IsValidChatId(ChatId))
        {
            yield return "chatid must be 1..32 characters of 0-9a-zA-Z (WeCom 86001).";
        }
    }

    internal static bool IsValidChatId(string chatId) => chatId.Length is > 0 and <= 32 && chatId.All(char.IsAsciiLetterOrDigit);
}

public sealed record AppChatCreateResponse : WeComResponse
{
    [JsonPropertyName("chatid")]
    public string? ChatId { get; init; }
}
