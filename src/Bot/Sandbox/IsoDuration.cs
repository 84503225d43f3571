using System.Globalization;
using System.Text.RegularExpressions;
using RapidResponse.Domain.Calendar;

namespace RapidResponse.Bot.Sandbox;

/// <summary>
/// An ISO 8601 duration (P1D, PT2H, P1W, P1M, P1DT12H30M …). Years and months are calendar arithmetic in Beijing
/// time (a month from 1月31日 is 2月28日); the rest is exact.
/// </summary>
public sealed partial record IsoDuration(int Years, int Months, TimeSpan Exact)
{
    [GeneratedRegex(@"^P(?:(?<y>\d+)Y)?(?:(?<mo>\d+)M)?(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<mi>\d+)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out IsoDuration duration)
    {
        duration = new IsoDuration(0, 0, TimeSpan.Zero);
        var s = text?.Trim().ToUpperInvariant() ?? "";
        var m = Pattern().Match(s);
        if (!m.Success || s is "P" || s.EndsWith('T')) return false;
        try
        {
            int I(string g) => m.Groups[g].Success ? int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
            var seconds = m.Groups["s"].Success ? double.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
            var exact = TimeSpan.FromDays(I("w") * 7 + I("d")) + TimeSpan.FromHours(I("h")) + TimeSpan.FromMinutes(I("mi")) + TimeSpan.FromSeconds(seconds);
            duration = new IsoDuration(I("y"), I("mo"), exact);
            return I("y") <= 100 && duration.Exact <= TimeSpan.FromDays(36600);
        }
        catch (OverflowException) { return false; }
    }

    public bool IsZero => Years == 0 && Months == 0 && Exact == TimeSpan.Zero;

    public DateTimeOffset AddTo(DateTimeOffset instant)
    {
        var local = ChinaTime.ToLocal(instant);
        return local.AddYears(Years).AddMonths(Months).Add(Exact);
    }
}
