using System.Collections;
using Microsoft.Extensions.Configuration;

namespace RapidResponse.Domain.Configuration;

/// <summary>
/// The configuration binder adds configured array and list items to a property's default items ([5, 9] configured as [3]
/// binds to [5, 9, 3]). Run before binding, this empties every collection property the section sets, so configured
/// values replace the defaults, which stay in the options class.
/// </summary>
public static class ConfiguredCollections
{
    public static void Clear<T>(T options, IConfiguration configuration, string section) where T : class
    {
        var s = configuration.GetSection(section);
        foreach (var p in typeof(T).GetProperties().Where(p => p.CanWrite && p.PropertyType != typeof(string)
                     && typeof(IEnumerable).IsAssignableFrom(p.PropertyType) && !typeof(IDictionary).IsAssignableFrom(p.PropertyType)))
        {
            if (!s.GetSection(p.Name).Exists()) continue;
            p.SetValue(options, p.PropertyType.IsArray ? Array.CreateInstance(p.PropertyType.GetElementType()!, 0) : Activator.CreateInstance(p.PropertyType));
        }
    }
}
