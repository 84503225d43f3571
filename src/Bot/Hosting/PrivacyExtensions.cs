using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.Inbox;

namespace RapidResponse.Bot.Hosting;

/// <summary>Personal data (DESIGN §6, issue 12): masked log lines, and inbound messages kept no longer than Privacy:InboxRetention.</summary>
public static class PrivacyExtensions
{
    public static WebApplicationBuilder AddPrivacy(this WebApplicationBuilder b)
    {
        var s = b.Services;
        // Wraps the logger factory the host registered, so every provider (also ones added later) gets masked lines.
        var factory = s.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory));
        if (factory?.ImplementationType is { } type)
            s.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new MaskingLoggerFactory((ILoggerFactory)ActivatorUtilities.CreateInstance(sp, type))));
        s.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateOnStart();
        s.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PrivacyOptions>, PrivacyOptionsValidator>());
        s.TryAddSingleton<InboxWriteGate>();
        s.AddSingleton<InboxRetention>();
        s.AddHostedService(sp => sp.GetRequiredService<InboxRetention>());
        return b;
    }
}
