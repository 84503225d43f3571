using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Values;

namespace RapidResponse.Domain.Templates;

/// <summary>A template file that is missing or does not parse; names the file (and the line) and what is wrong.</summary>
public sealed class TemplateException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Renders user-facing texts from Liquid files in `templates/` with Fluid (a county edits wording without a rebuild).
/// Models are plain objects or dictionaries; property names are exposed in snake_case:
/// <c>CaseNumber</c> is <c>{{ case_number }}</c>. Output is plain text: nothing is HTML-encoded.
/// </summary>
public sealed partial class TemplateRenderer
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new() { CultureInfo = CultureInfo.InvariantCulture };
    private static readonly DateTime Missing = DateTime.FromFileTimeUtc(0);

    private readonly string _directory;
    private readonly ConcurrentDictionary<string, (DateTime Stamp, IFluidTemplate Template)> _cache = new();

    public TemplateRenderer(string directory) => _directory = directory;

    public string Directory => _directory;

    public bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>Renders `templates/{name}.liquid` with <paramref name="model"/>; trims surrounding blank lines.</summary>
    public string Render(string name, object? model = null)
    {
        var template = Load(name);
        var context = new TemplateContext(Options);
        switch (model)
        {
            case null: break;
            case IDictionary<string, object?> d:
                foreach (var (k, v) in d) context.SetValue(k, ToFluid(v));
                break;
            default:
                foreach (var (k, v) in Members(model)) context.SetValue(k, v);
                break;
        }
        return Tidy(template.Render(context, NullEncoder.Default));
    }

    /// <summary>
    /// Parses every template in the folder and throws one <see cref="TemplateException"/> naming each broken file with its
    /// line, so a wording edit with a Liquid mistake stops the start-up instead of failing at first use.
    /// </summary>
    public IReadOnlyList<string> CheckAll()
    {
        if (!System.IO.Directory.Exists(_directory)) throw new TemplateException($"templates folder {_directory} not found");
        var problems = new List<string>();
        var names = new List<string>();
        foreach (var path in System.IO.Directory.GetFiles(_directory, "*.liquid").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            names.Add(name);
            try { Load(name); }
            catch (TemplateException e) { problems.Add(e.Message); }
        }
        if (problems.Count > 0) throw new TemplateException(string.Join("\n", problems));
        return names;
    }

    private IFluidTemplate Load(string name)
    {
        var path = PathOf(name);
        // One file-system call per render when the template is cached and unchanged (a missing file has the 1601 stamp).
        var stamp = File.GetLastWriteTimeUtc(path);
        if (stamp != Missing && _cache.TryGetValue(name, out var c) && c.Stamp == stamp) return c.Template;
        if (!File.Exists(path)) throw new TemplateException($"template '{name}' not found at {path}");
        if (!Parser.TryParse(File.ReadAllText(path), out var t, out var error))
            throw new TemplateException($"template '{name}' does not parse: {Describe(path, error)}");
        _cache[name] = (stamp, t);
        return t;
    }

    /// <summary>"templates/x.liquid line 3, column 9: Unknown tag 'iff'" from Fluid's "Unknown tag 'iff' at (3:9)\nSource: …".</summary>
    private static string Describe(string path, string error)
    {
        var first = error.Split('\n')[0].Trim();
        var m = Position().Match(first);
        return m.Success
            ? $"{path} line {m.Groups[1].Value}, column {m.Groups[2].Value}: {first[..m.Index].TrimEnd()}"
            : $"{path}: {first}";
    }

    [GeneratedRegex(@"at \((\d+):(\d+)\)")]
    private static partial Regex Position();

    private string PathOf(string name) => Path.Combine(_directory, name + ".liquid");

    private static IEnumerable<(string Name, FluidValue Value)> Members(object model) =>
        model.GetType().GetProperties()
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Select(p => (Snake(p.Name), ToFluid(p.GetValue(model))));

    /// <summary>Converts a model value to Fluid's values: records/objects and dictionaries become snake_case hashes.</summary>
    private static FluidValue ToFluid(object? v) => v switch
    {
        null => NilValue.Instance,
        string s => new StringValue(s),
        bool b => BooleanValue.Create(b),
        int or long or double or decimal or float => NumberValue.Create(Convert.ToDecimal(v, CultureInfo.InvariantCulture)),
        DateTimeOffset d => new StringValue(Calendar.ChinaTime.ToLocal(d).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
        DateOnly d => new StringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        Enum e => new StringValue(e.ToString()),
        System.Collections.IDictionary d => Hash(d.Keys.Cast<object>().Select(k => (k.ToString()!, ToFluid(d[k])))),
        System.Collections.IEnumerable e => new ArrayValue(e.Cast<object?>().Select(ToFluid).ToArray()),
        _ => Hash(Members(v)),
    };

    private static DictionaryValue Hash(IEnumerable<(string Name, FluidValue Value)> members)
    {
        var d = new Dictionary<string, FluidValue>(StringComparer.Ordinal);
        foreach (var (k, v) in members) d[k] = v;
        return new DictionaryValue(new FluidValueDictionaryFluidIndexable(d));
    }

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
