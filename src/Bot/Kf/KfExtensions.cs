using Microsoft.Extensions.DependencyInjection.Extensions;
using RapidResponse.Bot.Inbox;
using RapidResponse.Bot.WeCom.Callbacks;

namespace RapidResponse.Bot.Kf;

/// <summary>Composition of 微信客服 pulling: <c>builder.AddKf()</c>, in any order with the other areas.</summary>
public static class KfExtensions
{
    /// <summary>
    /// Registers <see cref="KfPuller"/> (hosted), <see cref="KfSessions"/> and <see cref="KfReplyWindow"/>. Notifications reach
    /// the puller through the production inbound sink (<see cref="DatabaseInboundSink"/>), which calls <see cref="KfPuller.Enqueue(KfMsgOrEvent)"/>.
    /// </summary>
    public static WebApplicationBuilder AddKf(this WebApplicationBuilder b)
    {
        var s = b.Services;
        s.TryAddSingleton(TimeProvider.System);
        s.TryAddSingleton<InboxSignal>();
        s.TryAddSingleton<InboxWriteGate>();
        s.TryAddSingleton<InboxWriter>();
        s.TryAddSingleton<KfSessions>();
        s.TryAddSingleton<KfReplyWindow>();
        s.TryAddSingleton<KfPuller>();
        s.AddHostedService(sp => sp.GetRequiredService<KfPuller>());
        return b;
    }
}
