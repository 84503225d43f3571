using RapidResponse.Bot.Hosting;
using RapidResponse.Bot.WeCom;

namespace RapidResponse.Bot.Evidence;

/// <summary>Evidence: <c>builder.AddEvidence()</c>; the download worker runs only where WeCom is configured.</summary>
public static class EvidenceExtensions
{
    public static WebApplicationBuilder AddEvidence(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddValidatedOptions<MediaOptions, MediaOptionsValidator>(MediaOptions.Section);
        s.AddSingleton<MediaStore>();
        s.AddScoped<EvidenceIntake>();
        s.AddScoped<EvidenceCommand>();
        if (ChannelExtensions.WeComConfigured(builder.Configuration) || Sandbox.SandboxMode.IsOn(builder.Configuration, builder.Environment))
        {
            s.AddSingleton<EvidenceFetcher>();
            s.AddHostedService(sp => sp.GetRequiredService<EvidenceFetcher>());
        }

        return builder;
    }
}
