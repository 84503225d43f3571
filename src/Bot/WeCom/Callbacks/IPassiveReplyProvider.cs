namespace RapidResponse.Bot.WeCom.Callbacks;

/// <summary>
/// Optionally answers a stored callback with a passive reply (plaintext XML, encrypted by the endpoint), e.g. the
/// <c>update_button</c> answer to a card click. Must return within WeCom's 5-second window; null means an empty 200.
/// </summary>
public interface IPassiveReplyProvider
{
    Task<string?> ReplyForAsync(InboundEnvelope envelope, bool isNew, CancellationToken cancellationToken);
}

/// <summary>The default: no passive replies.</summary>
public sealed class NoPassiveReplies : IPassiveReplyProvider
{
    public Task<string?> ReplyForAsync(InboundEnvelope envelope, bool isNew, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
