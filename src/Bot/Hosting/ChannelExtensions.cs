using Microsoft.Extensions.DependencyInjection.Extensions;
using RapidResponse.Bot.Inbox;
using RapidResponse.Bot.Outbox;
using RapidResponse.Bot.Kf;
using RapidResponse.Bot.WeCom;
using RapidResponse.Bot.WeCom.Callbacks;

namespace RapidResponse.Bot.Hosting;

/// <summary>Chooses how the bot talks to people: the real WeCom corp when credentials are configured.</summary>
public static class ChannelExtensions
{
    /// <summary>True when the self-built app's credentials are configured.</summary>
    public static bool WeComConfigured(IConfiguration c) => !string.IsNullOrWhiteSpace(c["WeCom:CorpId"]);

    public static WebApplicationBuilder AddChannels(this WebApplicationBuilder builder)
    {
        if (WeComConfigured(builder.Configuration))
        {
            builder.Services.AddSingleton<IInboundSink, DatabaseInboundSink>();
            builder.Services.AddSingleton<IPassiveReplyProvider, CardClickReplies>();
            builder.AddWeCom();
            builder.AddOutbox();
            builder.AddKf(); // the database sink hands 微信客服 notifications to its puller
        }
        return builder;
    }

    public static WebApplication MapChannels(this WebApplication app)
    {
        if (WeComConfigured(app.Configuration))
        {
            app.MapWeCom();
            if (app.Configuration.GetValue<bool>("Bench:CeilingEndpoint")) app.MapCeilingEndpoint();
        }
        return app;
    }
}
