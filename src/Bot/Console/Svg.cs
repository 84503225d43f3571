using System.Globalization;
using System.Text;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>Charts drawn on the server as inline SVG (no script library): horizontal stacked bars and a line chart.</summary>
public static class Svg
{
    public static readonly string[] Palette = ["#0b5cab", "#2e7d32", "#f9a825", "#6a1b9a", "#00838f", "#c62828", "#5d4037", "#546e7a"];

    private static string F(double d) => d.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>One bar per row, split into coloured segments; <paramref name="format"/> writes the row's total at its end.</summary>
    public static string Bars(string testId, IReadOnlyList<(string Label, IReadOnlyList<double> Parts)> rows, IReadOnlyList<string> legend,
        double? max = null, Func<double, string>? format = null)
    {
        const int left = 64, width = 300, barH = 20, gap = 8;
        var legendRows = legend.Count > 1 ? (legend.Count + 3) / 4 : 0;
        var top2 = 6 + legendRows * 20;
        var h = top2 + rows.Count * (barH + gap) + 10;
        var m = max ?? Math.Max(1, rows.Select(r => r.Parts.Sum()).DefaultIfEmpty(0).Max());
        var sb = new StringBuilder();
        sb.Append($"<svg data-testid=\"{testId}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {left + width + 56} {h}\" role=\"img\" font-size=\"13\">");
        if (legend.Count > 1)
            for (var i = 0; i < legend.Count; i++)
            {
                var (lx, ly) = (8 + i % 4 * 100, 6 + i / 4 * 20);
                sb.Append($"<rect x=\"{lx}\" y=\"{ly}\" width=\"12\" height=\"12\" fill=\"{Palette[i % Palette.Length]}\"/><text x=\"{lx + 16}\" y=\"{ly + 11}\">{Html.E(legend[i])}</text>");
            }

        for (var r = 0; r < rows.Count; r++)
        {
            var y = top2 + r * (barH + gap);
            sb.Append($"<text x=\"{left - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{Html.E(rows[r].Label)}</text>");
            double x = left;
            for (var p = 0; p < rows[r].Parts.Count; p++)
            {
                var w = rows[r].Parts[p] / m * width;
                if (w <= 0) continue;
                sb.Append($"<rect x=\"{F(x)}\" y=\"{y}\" width=\"{F(w)}\" height=\"{barH}\" fill=\"{Palette[p % Palette.Length]}\"><title>{Html.E(legend.Count > p ? legend[p] : "")} {F(rows[r].Parts[p])}</title></rect>");
                x += w;
            }

            sb.Append($"<text x=\"{F(x + 4)}\" y=\"{y + 15}\">{Html.E((format ?? (v => F(v)))(rows[r].Parts.Sum()))}</text>");
        }

        return sb.Append("</svg>").ToString();
    }

    /// <summary>A line per series over the same labels (e.g. 12 months).</summary>
    public static string Lines(string testId, IReadOnlyList<string> labels, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series)
    {
        const int left = 30, width = 370, height = 150, top = 28, bottom = 24;
        var m = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        var step = labels.Count > 1 ? width / (double)(labels.Count - 1) : width;
        var sb = new StringBuilder();
        sb.Append($"<svg data-testid=\"{testId}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {left + width + 20} {top + height + bottom}\" role=\"img\" font-size=\"12\">");
        sb.Append($"<line x1=\"{left}\" y1=\"{top + height}\" x2=\"{left + width}\" y2=\"{top + height}\" stroke=\"#9aa5b1\"/>");
        sb.Append($"<text x=\"{left - 6}\" y=\"{top + 4}\" text-anchor=\"end\">{F(m)}</text><text x=\"{left - 6}\" y=\"{top + height}\" text-anchor=\"end\">0</text>");
        for (var i = 0; i < labels.Count; i++)
            sb.Append($"<text x=\"{F(left + i * step)}\" y=\"{top + height + 16}\" text-anchor=\"middle\" font-size=\"10\">{Html.E(labels[i])}</text>");
        for (var s = 0; s < series.Count; s++)
        {
            var colour = Palette[s % Palette.Length];
            sb.Append($"<rect x=\"{left + s * 100}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{left + s * 100 + 16}\" y=\"16\">{Html.E(series[s].Name)}</text>");
            var pts = string.Join(' ', series[s].Values.Select((v, i) => $"{F(left + i * step)},{F(top + height - v / m * height)}"));
            sb.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{pts}\"/>");
            for (var i = 0; i < series[s].Values.Count; i++)
                sb.Append($"<circle cx=\"{F(left + i * step)}\" cy=\"{F(top + height - series[s].Values[i] / m * height)}\" r=\"3\" fill=\"{colour}\"><title>{Html.E(labels[i])} {F(series[s].Values[i])}</title></circle>");
        }

        return sb.Append("</svg>").ToString();
    }
}
