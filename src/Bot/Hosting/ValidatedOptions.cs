using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RapidResponse.Domain.Configuration;

namespace RapidResponse.Bot.Hosting;

/// <summary>The one way a settings section is bound: BindConfiguration, a validator listing every problem, ValidateOnStart.</summary>
public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/>, validates it at start-up with <typeparamref name="TValidator"/>,
    /// and makes the bound value injectable as <typeparamref name="T"/> itself for code that takes the plain class.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T, TValidator>(this IServiceCollection services, string section)
        where T : class, new() where TValidator : class, IValidateOptions<T>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, TValidator>());
        // The plain class is bound without validation: a service resolved while the app is composed (before the start) must
        // not throw for one section first; ValidateOnStart then reports every section's problems together.
        services.TryAddSingleton(sp => sp.GetRequiredService<IConfiguration>().Read<T>(section));
        return services.AddOptions<T>()
            .Configure<IConfiguration>((o, c) => ConfiguredCollections.Clear(o, c, section))
            .BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>The section as bound now, for the few composition decisions taken before the container exists.</summary>
    public static T Read<T>(this IConfiguration configuration, string section) where T : class, new()
    {
        var o = new T();
        ConfiguredCollections.Clear(o, configuration, section);
        configuration.GetSection(section).Bind(o);
        return o;
    }
}
