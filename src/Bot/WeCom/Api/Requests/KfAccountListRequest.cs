using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary><c>POST /cgi-bin/kf/account/list</c>: the 微信客服 accounts this secret may manage.</summary>
public sealed record KfAccountListRequest : WeComRequest<KfAccountListResponse>
{
    public KfAccountListRequest()
        : base(HttpMethod.Post, "/cgi-bin/kf/account/list", WeComCredential.KfToken)
    {
    }

    [JsonPropertyName("offset")]
    public int Offset { get; init; }

    /// <summary>1..100.</summary>
    [JsonPropertyName("limit")]
    public int Limit { get; init; } = 100;
}

public sealed record KfAccountListResponse : WeComResponse
{
    [JsonPropertyName("account_list")]
    public IReadOnlyList<KfAccount> Accounts { get; init; } = [];
}

public sealed record KfAccount(
    [property: JsonPropertyName("open_kfid")] string OpenKfId,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("manage_privilege")] bool ManagePrivilege);
