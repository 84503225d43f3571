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

    /// <summary>
    /// Not delivered because the channel's credential or setup is wrong (secret, 企业可信IP, permission, robot removed): an
    /// operator must act. The row stays pending; the dispatcher opens the channel's circuit and alerts (<see cref="OutboxCircuits"/>).
    /// </summary>
    StopChannel,
}

/// <summary>Why WeCom did not deliver to a recipient of an otherwise successful (or all-invalid) send (§4.2).</summary>
public enum RecipientProblem
{
    /// <summary><c>invaliduser</c> or 81013: unknown, not activated, disabled, or outside the app's visible range.</summary>
    Invalid = 1,

    /// <summary><c>unlicenseduser</c>: in the visible range but without an interface licence (基础接口许可).</summary>
    Unlicensed = 2,
}

/// <summary>One recipient WeCom reported it did not deliver to (userid as WeCom returned it: lower-cased).</summary>
public sealed record UndeliveredRecipient(string UserId, RecipientProblem Problem);

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

    /// <summary>
    /// <see cref="InvalidUsers"/> and <see cref="UnlicensedUsers"/> as one list (an id in both counts as unlicensed, the more
    /// specific reason); empty when every recipient got it. Also set on a dead 81013 answer, where all were invalid.
    /// </summary>
    public IReadOnlyList<UndeliveredRecipient> Undelivered
    {
        get
        {
            var unlicensed = UnlicensedUsers ?? [];
            return [.. unlicensed.Select(u => new UndeliveredRecipient(u, RecipientProblem.Unlicensed)),
                .. (InvalidUsers ?? []).Where(u => !unlicensed.Contains(u, StringComparer.OrdinalIgnoreCase)).Select(u => new UndeliveredRecipient(u, RecipientProblem.Invalid))];
        }
    }

    public static TransportResult Sent(string? platformMessageId, string? note = null) => new(TransportOutcome.Sent, note, platformMessageId);

    public static TransportResult Deferred(DateTimeOffset until, string reason) => new(TransportOutcome.Deferred, reason, NotBefore: until);

    /// <param name="maxAttempts">Total attempts this kind of failure allows; 0 = <see cref="OutboxOptions.MaxAttempts"/>.</param>
    public static TransportResult Retry(string error, DateTimeOffset? notBefore = null, int maxAttempts = 0) =>
        new(TransportOutcome.Retry, error, NotBefore: notBefore, MaxAttempts: maxAttempts);

    public static TransportResult Dead(string reason) => new(TransportOutcome.Dead, reason);

    /// <param name="alertCode">The platform's error code; the circuit and its alert carry it.</param>
    public static TransportResult StopChannel(string reason, string alertCode) => new(TransportOutcome.StopChannel, reason, AlertCode: alertCode);
}
