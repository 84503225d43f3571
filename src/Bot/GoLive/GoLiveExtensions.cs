using RapidResponse.Bot.Hosting;
using RapidResponse.Domain.Import;

namespace RapidResponse.Bot.GoLive;

/// <summary>Going live in a county: staff rows by phone resolve through the corp's address book when WeCom is configured.</summary>
public static class GoLiveExtensions
{
    public static WebApplicationBuilder AddGoLive(this WebApplicationBuilder builder)
    {
        if (ChannelExtensions.WeComConfigured(builder.Configuration))
            builder.Services.AddScoped<IStaffAccountLookup, WeComStaffLookup>();
        return builder;
    }
}
