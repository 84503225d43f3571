using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Callbacks;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.WeCom;

/// <summary>Composition of the WeCom area: <c>builder.AddWeCom()</c> and <c>app.MapWeCom()</c> in Program.cs.</summary>
public static class Extensions
{
    /// <summary>
    /// Registers options (validated on start), callback crypto, the API client and defaults that other areas may replace:
    /// <see cref="IInboundSink"/> (database inbox), <see cref="IAccessTokenStore"/> (shared token store), <see cref="IWeComApiHooks"/>.
    /// </summary>
    public static WebApplicationBuilder AddWeCom(this WebApplicationBuilder b)
    {
        var services = b.Services;
        services.AddOptions<WeComOptions>().BindConfiguration(WeComOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WeComOptions>, WeComOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CallbackCryptoSet>();
        services.AddCallbackRateLimit();
        services.TryAddSingleton<IInboundSink, InMemoryInboundSink>();
        services.TryAddSingleton<IPassiveReplyProvider, NoPassiveReplies>();

        // Several instances on PostgreSQL share one token and one count of sends; one instance keeps both in memory.
        var shared = DatabaseProviders.Parse(b.Configuration[DatabaseProviders.ConfigKey]) == DatabaseProvider.Postgres;
        if (shared) services.TryAddSingleton<IAccessTokenStore, DatabaseAccessTokenStore>();
        else services.TryAddSingleton<IAccessTokenStore, InMemoryAccessTokenStore>();
        services.TryAddSingleton<AccessTokenCache>();
        services.TryAddSingleton<IWeComApiHooks, LoggingWeComApiHooks>();
        services.TryAddSingleton<WeComApiClient>();
        services.TryAddSingleton<Kf.KfSyncClient>();
        services.TryAddSingleton<RateLimits>();
        if (shared) services.TryAddSingleton<ISendRateGate, DatabaseRateGate>();
        else services.TryAddSingleton<ISendRateGate>(sp => sp.GetRequiredService<RateLimits>());
        services.AddHttpClient(WeComApiClient.HttpClientName, (sp, http) =>
        {
            var o = sp.GetRequiredService<IOptions<WeComOptions>>().Value;
            http.BaseAddress = new Uri(o.ApiBaseUrl.TrimEnd('/') + "/");
            http.Timeout = o.HttpTimeout;
        });
        return b;
    }

    /// <summary>Maps <c>GET|POST /wecom/callback</c> and <c>GET|POST /wecom/kf</c>.</summary>
    public static IEndpointRouteBuilder MapWeCom(this IEndpointRouteBuilder app) => app.MapWeComCallbacks();
}
