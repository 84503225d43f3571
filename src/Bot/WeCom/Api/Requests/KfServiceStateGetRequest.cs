using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary><c>POST /cgi-bin/kf/service_state/get</c> (§5.5): who handles a 微信客服 session now.</summary>
public sealed record KfServiceStateGetRequest : WeComRequest<KfServiceStateGetResponse>
{
    public KfServiceStateGetRequest()
        : base(HttpMethod.Post, "/cgi-bin/kf/service_state/get", WeComCredential.KfToken)
    {
    }

    [JsonPropertyName("open_kfid")]
    public required string OpenKfId { get; init; }

    [JsonPropertyName("external_userid")]
    public required string ExternalUserId { get; init; }
}

public sealed record KfServiceStateGetResponse : WeComResponse
{
    [JsonPropertyName("service_state")]
    public KfServiceState ServiceState { get; init; }

    [JsonPropertyName("servicer_userid")]
    public string? ServicerUserId { get; init; }
}
