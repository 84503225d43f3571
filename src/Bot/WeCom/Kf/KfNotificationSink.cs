using RapidResponse.Bot.WeCom.Callbacks;

namespace RapidResponse.Bot.WeCom.Kf;

/// <summary>
/// Decorates whatever <see cref="IInboundSink"/> stores callbacks: a 微信客服 notification (<see cref="KfMsgOrEvent"/>)
/// also wakes <see cref="KfPuller"/>. The inner sink still receives every envelope, so it keeps its own de-duplication.
/// </summary>
public sealed class KfNotificationSink(IInboundSink inner, KfPuller puller) : IInboundSink
{
    public IInboundSink Inner => inner;

    public async Task<bool> AcceptAsync(InboundEnvelope envelope, CancellationToken cancellationToken)
    {
        var isNew = await inner.AcceptAsync(envelope, cancellationToken);
        // Redeliveries wake the puller too: pulling is idempotent (cursor + msgid), and a lost wake-up would delay replies.
        if (envelope.Message is KfMsgOrEvent kf) puller.Enqueue(kf);
        return isNew;
    }
}
