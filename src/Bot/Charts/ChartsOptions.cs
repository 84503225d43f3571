using Microsoft.Extensions.Options;

namespace RapidResponse.Bot.Charts;

/// <summary>Settings of the bulletin pictures (<c>Charts:*</c>).</summary>
public sealed class ChartsOptions
{
    public const string Section = "Charts";

    /// <summary>false: bulletins go as text only.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A font file with Chinese glyphs (.ttf/.otf/.ttc); empty: the first of the usual system CJK fonts (fonts-wqy-zenhei, Noto CJK).</summary>
    public string? FontFile { get; set; }
}

/// <summary>A configured font file must exist (a missing system font is not an error: the text goes alone and health says so).</summary>
public sealed class ChartsOptionsValidator : IValidateOptions<ChartsOptions>
{
    public ValidateOptionsResult Validate(string? name, ChartsOptions o) =>
        o.Enabled && !string.IsNullOrWhiteSpace(o.FontFile) && !File.Exists(o.FontFile)
            ? ValidateOptionsResult.Fail($"Charts:FontFile '{o.FontFile}' does not exist; set the path of a font with Chinese glyphs (e.g. /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc) or leave it empty to use the system's.")
            : ValidateOptionsResult.Success;
}
