using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Outbox;

/// <summary>
/// Delivers one outbox row to a platform. Production: <see cref="WeComTransport"/>; a sandbox may register its own
/// before <c>AddOutbox</c>. Should answer with a <see cref="TransportResult"/> rather than throw; anything thrown counts
/// as a transient failure.
/// </summary>
public interface IOutboundTransport
{
    Task<TransportResult> SendAsync(OutboxMessage row, CancellationToken cancellationToken);
}

public enum TransportOutcome
{
    /// <summary>Delivered (or nothing left to deliver, with a note).</summary>
    Sent,

    /// <summary>Not attempted: a rate limit or block says not before <see cref="TransportResult.NotBefore"/>. Costs no attempt.</summary>
    Deferred,

    /// <summary>Attempted and failed transiently: try again at <see cref="TransportResult.NotBefore"/>, or after backoff when null.</summary>
    Retry,

    /// <summary>Can never be delivered.</summary>
    Dead,

    /// <summary>Can never be delivered and an operator must act (configuration, permission, IP whitelist).</summary>
    DeadAndAlert,
}

/// <summary>What happened to one send. <see cref="Detail"/> is stored as the row's last error: no secrets, ids masked.</summary>
public sealed record TransportResult(
    TransportOutcome Outcome,
    string? Detail = null,
    string? PlatformMessageId = null,
    DateTimeOffset? NotBefore = null,
    int MaxAttempts = 0,
    string? AlertCode = null)
{
    /// <summary>A task card's response_code from the send (single use, 72 h), kept on the row for later card updates.</summary>
    public string? ResponseCode { get; init; }

    /// <summary>Recipients WeCom answered as invalid (unknown, inactive, outside the visible range): they did not get it.</summary>
    public IReadOnlyList<string>? InvalidUsers { get; init; }

    /// <summary>Recipients without an interface licence (未分配许可): they did not get it.</summary>
    public IReadOnlyList<string>? UnlicensedUsers { get; init; }

    public static TransportResult Sent(string? platformMessageId, string? note = null) => new(TransportOutcome.Sent, note, platformMessageId);

    public static TransportResult Deferred(DateTimeOffset until, string reason) => new(TransportOutcome.Deferred, reason, NotBefore: until);

    /// <param name="maxAttempts">Total attempts this kind of failure allows; 0 = <see cref="OutboxOptions.MaxAttempts"/>.</param>
    public static TransportResult Retry(string error, DateTimeOffset? notBefore = null, int maxAttempts = 0) =>
        new(TransportOutcome.Retry, error, NotBefore: notBefore, MaxAttempts: maxAttempts);

    public static TransportResult Dead(string reason) => new(TransportOutcome.Dead, reason);

    /// <param name="alertCode">Alerts are sent at most once per code per hour.</param>
    public static TransportResult DeadAndAlert(string reason, string alertCode) => new(TransportOutcome.DeadAndAlert, reason, AlertCode: alertCode);
}
