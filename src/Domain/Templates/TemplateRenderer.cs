using System.Collections.Concurrent;
using System.Globalization;
using DotLiquid;

namespace RapidResponse.Domain.Templates;

/// <summary>A template file that is missing or does not parse; names the file and what is wrong.</summary>
public sealed class TemplateException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Renders user-facing texts from Liquid files in `templates/` (a county edits wording without a rebuild).
/// Models are plain objects or dictionaries; property names are exposed in snake_case (DotLiquid's convention):
/// <c>CaseNumber</c> is <c>{{ case_number }}</c>.
/// </summary>
public sealed class TemplateRenderer
{
    private readonly string _directory;
    private readonly ConcurrentDictionary<string, (DateTime Stamp, Template Template)> _cache = new();

    public TemplateRenderer(string directory)
    {
        _directory = directory;
        Template.NamingConvention = new DotLiquid.NamingConventions.RubyNamingConvention();
    }

    public string Directory => _directory;

    public bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>Renders `templates/{name}.liquid` with <paramref name="model"/>; trims surrounding blank lines.</summary>
    public string Render(string name, object? model = null)
    {
        var template = Load(name);
        var hash = model switch
        {
            null => new Hash(),
            Hash h => h,
            IDictionary<string, object?> d => Hash.FromDictionary(d.ToDictionary(k => k.Key, k => ToLiquid(k.Value))),
            _ => ToHash(model),
        };
        var output = template.Render(new RenderParameters(CultureInfo.GetCultureInfo("zh-CN")) { LocalVariables = hash, ErrorsOutputMode = ErrorsOutputMode.Rethrow });
        return Tidy(output);
    }

    private Template Load(string name)
    {
        var path = PathOf(name);
        // One file-system call per render when the template is cached and unchanged (a missing file has the 1601 stamp).
        var stamp = File.GetLastWriteTimeUtc(path);
        if (stamp != Missing && _cache.TryGetValue(name, out var c) && c.Stamp == stamp) return c.Template;
        if (!File.Exists(path)) throw new TemplateException($"template '{name}' not found at {path}");
        try
        {
            var t = Template.Parse(File.ReadAllText(path));
            _cache[name] = (stamp, t);
            return t;
        }
        catch (Exception e) when (e is DotLiquid.Exceptions.SyntaxException or ArgumentException)
        {
            throw new TemplateException($"template '{name}' does not parse: {e.Message}", e);
        }
    }

    private static readonly DateTime Missing = DateTime.FromFileTimeUtc(0);

    private string PathOf(string name) => Path.Combine(_directory, name + ".liquid");

    /// <summary>Converts records/objects to nested hashes so templates can read any public property.</summary>
    public static Hash ToHash(object model)
    {
        var h = new Hash();
        foreach (var p in model.GetType().GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
            h[Snake(p.Name)] = ToLiquid(p.GetValue(model));
        return h;
    }

    private static object? ToLiquid(object? v) => v switch
    {
        null => null,
        string or bool or int or long or double or decimal or float => v,
        DateTimeOffset d => Calendar.ChinaTime.ToLocal(d).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Enum e => e.ToString(),
        System.Collections.IDictionary d => Hash.FromDictionary(d.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => ToLiquid(d[k]))),
        System.Collections.IEnumerable e => e.Cast<object?>().Select(ToLiquid).ToList(),
        _ => ToHash(v),
    };

    private static string Snake(string name)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && !char.IsUpper(name[i - 1])) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    /// <summary>Collapses runs of blank lines left by Liquid tags and trims the ends.</summary>
    private static string Tidy(string s)
    {
        var lines = s.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd());
        var result = new List<string>();
        foreach (var l in lines)
            if (l.Length > 0 || (result.Count > 0 && result[^1].Length > 0)) result.Add(l);
        return string.Join('\n', result).Trim('\n');
    }
}
