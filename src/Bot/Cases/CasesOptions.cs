using Microsoft.Extensions.Options;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Routing;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Bot.Cases;

/// <summary>Section "Timeline": the county's timeline profile.</summary>
public sealed class TimelineOptions
{
    public const string Section = "Timeline";

    /// <summary>A built-in profile (<c>yunlong</c>, <c>fengdu</c>) or the path of a profile file (docs/timeline-profiles.md).</summary>
    public string Profile { get; set; } = "yunlong";
}

/// <summary>Section "Calendar": holiday data beyond the built-in years.</summary>
public sealed class CalendarOptions
{
    public const string Section = "Calendar";

    /// <summary>Folder with extra State Council years (<c>2027.json</c>, the format of src/Domain/Calendar/Data); none when unset.</summary>
    public string? ExtraDirectory { get; set; }

    /// <summary>How often each instance looks for holiday years uploaded on another instance or put in the folder (then swaps them in).</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Section "Templates": where the Liquid texts are read from.</summary>
public sealed class TemplatesOptions
{
    public const string Section = "Templates";

    /// <summary>Folder of the .liquid texts (relative to the content root); the repo's <c>templates/</c> when unset.</summary>
    public string? Directory { get; set; }
}

public sealed class TimelineOptionsValidator : IValidateOptions<TimelineOptions>
{
    public ValidateOptionsResult Validate(string? name, TimelineOptions o)
    {
        var p = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Profile))
            p.Add($"Timeline:Profile must not be empty: use {string.Join(" or ", ProfileLoader.BuiltInNames)}, or the path of a profile file.");
        else if (!ProfileLoader.BuiltInNames.Contains(o.Profile, StringComparer.OrdinalIgnoreCase) && !File.Exists(o.Profile))
            p.Add($"Timeline:Profile '{o.Profile}' is neither a built-in profile ({string.Join(", ", ProfileLoader.BuiltInNames)}) nor an existing file.");
        return p.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(p);
    }
}

public sealed class CalendarOptionsValidator : IValidateOptions<CalendarOptions>
{
    public ValidateOptionsResult Validate(string? name, CalendarOptions o)
    {
        var p = new List<string>();
        if (o.ExtraDirectory is { } dir)
        {
            if (!Directory.Exists(dir)) p.Add($"Calendar:ExtraDirectory '{dir}' does not exist; create it with e.g. 2027.json, or leave the setting out.");
            else
                foreach (var f in Directory.GetFiles(dir, "*.json").Select(Path.GetFileNameWithoutExtension))
                    if (!int.TryParse(f, out var y) || y is < 2000 or > 2100)
                        p.Add($"Calendar:ExtraDirectory: '{f}.json' is not named by its year (e.g. 2027.json).");
        }
        if (o.ReloadInterval < TimeSpan.FromSeconds(1) || o.ReloadInterval > TimeSpan.FromDays(1))
            p.Add($"Calendar:ReloadInterval '{o.ReloadInterval}' must be between 00:00:01 and 1.00:00:00 (e.g. 00:01:00).");
        return p.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(p);
    }
}

public sealed class TemplatesOptionsValidator(IHostEnvironment env) : IValidateOptions<TemplatesOptions>
{
    public ValidateOptionsResult Validate(string? name, TemplatesOptions o)
    {
        var p = new List<string>();
        if (o.Directory is { } d)
        {
            var full = Path.GetFullPath(d, env.ContentRootPath);
            if (!Directory.Exists(full)) p.Add($"Templates:Directory '{d}' ({full}) does not exist; leave it out to use the repo's templates/.");
            else if (Directory.GetFiles(full, "*.liquid").Length == 0) p.Add($"Templates:Directory '{d}' ({full}) holds no .liquid file; copy templates/ there first.");
        }
        return p.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(p);
    }
}

/// <summary>Every risk type known, every department code plausible, every list non-empty.</summary>
public sealed class RoutingOptionsValidator : IValidateOptions<RoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, RoutingOptions o)
    {
        var p = new List<string>();
        foreach (var (risk, codes) in o.RiskDepartments)
        {
            if (!RiskTypes.IsKnown(risk)) p.Add($"Routing:RiskDepartments: '{risk}' is not a risk type; use one of {string.Join("、", RiskTypes.All)}.");
            if (codes is null || codes.Count == 0) p.Add($"Routing:RiskDepartments:{risk} lists no department; give at least one code (e.g. \"WJ\") or leave the type out.");
            foreach (var c in codes ?? []) Code(c, $"Routing:RiskDepartments:{risk}", p);
        }
        foreach (var c in o.AlwaysCompare) Code(c, "Routing:AlwaysCompare", p);
        return p.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(p);
    }

    private static void Code(string? c, string key, List<string> p)
    {
        if (string.IsNullOrWhiteSpace(c) || c.Length > 32 || c.Any(char.IsWhiteSpace))
            p.Add($"{key}: '{c}' is not a department code (the roster's departments.code, e.g. \"MZ\").");
    }
}
