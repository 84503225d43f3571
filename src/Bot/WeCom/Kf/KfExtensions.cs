using Microsoft.Extensions.DependencyInjection.Extensions;
using RapidResponse.Bot.Inbox;
using RapidResponse.Bot.WeCom.Callbacks;

namespace RapidResponse.Bot.WeCom.Kf;

/// <summary>Composition of 微信客服 pulling: <c>builder.AddKf()</c> after <c>AddWeCom()</c> and after whatever registers the inbound sink.</summary>
public static class KfExtensions
{
    /// <summary>
    /// Registers <see cref="KfPuller"/> (hosted), <see cref="KfSessions"/>, <see cref="KfReplyWindow"/>, and wraps the
    /// <see cref="IInboundSink"/> registered so far in <see cref="KfNotificationSink"/>. A sink registered after this call
    /// replaces the wrapper; such a sink must call <see cref="KfPuller.Enqueue(KfMsgOrEvent)"/> itself (a warning is logged at start otherwise).
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
        s.AddHostedService<KfSinkCheck>();

        var inner = s.LastOrDefault(d => d.ServiceType == typeof(IInboundSink))
                    ?? throw new InvalidOperationException("AddKf needs an IInboundSink: call builder.AddWeCom() (and the inbox sink registration) first.");
        s.Remove(inner);
        s.AddSingleton<IInboundSink>(sp => new KfNotificationSink(Create(sp, inner), sp.GetRequiredService<KfPuller>()));
        return b;
    }

    private static IInboundSink Create(IServiceProvider sp, ServiceDescriptor d) =>
        (IInboundSink)(d.ImplementationInstance
                       ?? d.ImplementationFactory?.Invoke(sp)
                       ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!));

    /// <summary>Warns at start when a sink registered after AddKf replaced the wrapper, so notifications would not be pulled.</summary>
    private sealed class KfSinkCheck(IServiceProvider sp, Microsoft.Extensions.Options.IOptions<WeComOptions> o, ILogger<KfPuller> log) : IHostedService
    {
        public Task StartAsync(CancellationToken ct)
        {
            if (o.Value.Kf.CallbackEnabled && sp.GetService<IInboundSink>() is not KfNotificationSink and not IKfNotificationAware)
                log.LogWarning("IInboundSink is not wrapped by KfNotificationSink: 微信客服 notifications will not be pulled unless the sink calls KfPuller.Enqueue");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}

/// <summary>Marks a sink that calls <see cref="KfPuller.Enqueue(KfMsgOrEvent)"/> itself, so no start-up warning is logged.</summary>
public interface IKfNotificationAware;
