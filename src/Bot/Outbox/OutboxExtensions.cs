using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.Kf;

namespace RapidResponse.Bot.Outbox;

/// <summary>Composition of the outbox: <c>builder.AddOutbox()</c> after <c>AddWeCom()</c>.</summary>
public static class OutboxExtensions
{
    /// <summary>
    /// Registers <see cref="OutboxOptions"/> (section <c>Outbox</c>, validated on start), the dispatcher as a hosted service and
    /// <see cref="WeComTransport"/> as <see cref="IOutboundTransport"/> — with TryAdd, so a transport registered earlier (sandbox) wins.
    /// </summary>
    public static WebApplicationBuilder AddOutbox(this WebApplicationBuilder b)
    {
        var s = b.Services;
        s.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateOnStart();
        s.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>());
        s.TryAddSingleton(TimeProvider.System);
        s.TryAddSingleton<KfReplyWindow>();
        s.TryAddSingleton<MediaUploads>();
        s.TryAddSingleton<IOutboundTransport, WeComTransport>();
        s.TryAddSingleton<OutboxAlerts>();
        s.TryAddSingleton<OutboxCircuits>();
        s.TryAddSingleton<IOutboxCircuits>(sp => sp.GetRequiredService<OutboxCircuits>());
        s.TryAddSingleton<IRecipientFeedback, NoRecipientFeedback>();
        s.AddHealthChecks().AddCheck<OutboxCircuitsHealthCheck>(OutboxCircuitsHealthCheck.Name, tags: [Health.HealthTags.Ready]);
        s.TryAddSingleton<OutboxDispatcher>();
        s.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return b;
    }
}
