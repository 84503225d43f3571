using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>微信客服 session state (§5.5): only 0 and 1 allow API sending.</summary>
public enum KfServiceState
{
    Unhandled = 0,
    SmartAssistant = 1,
    WaitingInPool = 2,
    HumanServicer = 3,
    Ended = 4,
}

/// <summary><c>POST /cgi-bin/kf/service_state/trans</c>: move a session, e.g. hand over to a village official (3 needs servicer_userid).</summary>
public sealed record KfServiceStateTransRequest : WeComRequest<KfServiceStateTransResponse>
{
    public KfServiceStateTransRequest()
        : base(HttpMethod.Post, "/cgi-bin/kf/service_state/trans", WeComCredential.KfToken)
    {
    }

    [JsonPropertyName("open_kfid")]
    public required string OpenKfId { get; init; }

    [JsonPropertyName("external_userid")]
    public required string ExternalUserId { get; init; }

    [JsonPropertyName("service_state")]
    public required KfServiceState ServiceState { get; init; }

    [JsonPropertyName("servicer_userid")]
    public string? ServicerUserId { get; init; }

    public override IEnumerable<string> Validate() =>
        ServiceState is KfServiceState.Unhandled
            ? ["service_state 0 cannot be a transition target."]
            : ServiceState == KfServiceState.HumanServicer && string.IsNullOrEmpty(ServicerUserId)
                ? ["servicer_userid is required for service_state 3."]
                : [];
}

/// <summary>May carry a msg_code usable once with kf/send_msg_on_event.</summary>
public sealed record KfServiceStateTransResponse : WeComResponse
{
    [JsonPropertyName("msg_code")]
    public string? MsgCode { get; init; }
}
