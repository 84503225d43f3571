using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// <c>POST /cgi-bin/kf/add_contact_way</c>: a link (and QR code) into a 微信客服 account; <c>scene</c> (≤ 30 of
/// [0-9a-zA-Z_-]) comes back as the enter_session event's scene, and a <c>scene_param</c> appended to the URL as its scene_param.
/// </summary>
public sealed record KfAddContactWayRequest : WeComRequest<KfAddContactWayResponse>
{
    public KfAddContactWayRequest()
        : base(HttpMethod.Post, "/cgi-bin/kf/add_contact_way", WeComCredential.KfToken)
    {
    }

    [JsonPropertyName("open_kfid")]
    public required string OpenKfId { get; init; }

    [JsonPropertyName("scene")]
    public string? Scene { get; init; }

    public override IEnumerable<string> Validate() =>
        Scene is not null && (Scene.Length is 0 or > 30 || !Scene.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            ? ["scene must be 1..30 characters of 0-9a-zA-Z_- (WeCom 95013)."]
            : [];
}

public sealed record KfAddContactWayResponse : WeComResponse
{
    [JsonPropertyName("url")]
    public string? Url { get; init; }
}
