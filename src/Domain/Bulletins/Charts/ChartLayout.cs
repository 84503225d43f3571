using System.Globalization;
using System.Net;
using System.Text;

namespace RapidResponse.Domain.Bulletins.Charts;

public enum TextAnchor { Start, Middle, End }

/// <summary>A label: <paramref name="Y"/> is the baseline; colours are <c>#rrggbb</c>.</summary>
public sealed record ChartText(string Text, float X, float Y, float Size, string Color, TextAnchor Anchor = TextAnchor.Start, bool Bold = false);

public sealed record ChartRect(float X, float Y, float Width, float Height, string Color);

public sealed record ChartLine(float X1, float Y1, float X2, float Y2, string Color, float Width = 1);

/// <summary>
/// A chart as drawing instructions (background, then rectangles, lines, labels) independent of any graphics library: the
/// bulletin's PNG is painted from it on the server, and <see cref="ToSvg"/> writes the same picture as SVG text, so what the
/// picture says can be read back from the layout.
/// </summary>
public sealed record ChartLayout(string Title, int Width, int Height, IReadOnlyList<ChartRect> Rects, IReadOnlyList<ChartLine> Lines, IReadOnlyList<ChartText> Texts)
{
    public const string Background = "#ffffff";

    /// <summary>The same picture as an SVG document (labels in the font family <paramref name="fontFamily"/>).</summary>
    public string ToSvg(string fontFamily = "WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif")
    {
        static string F(float v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"{WebUtility.HtmlEncode(fontFamily)}\">");
        sb.Append($"<title>{WebUtility.HtmlEncode(Title)}</title><rect width=\"{Width}\" height=\"{Height}\" fill=\"{Background}\"/>");
        foreach (var r in Rects) sb.Append($"<rect x=\"{F(r.X)}\" y=\"{F(r.Y)}\" width=\"{F(r.Width)}\" height=\"{F(r.Height)}\" fill=\"{r.Color}\"/>");
        foreach (var l in Lines) sb.Append($"<line x1=\"{F(l.X1)}\" y1=\"{F(l.Y1)}\" x2=\"{F(l.X2)}\" y2=\"{F(l.Y2)}\" stroke=\"{l.Color}\" stroke-width=\"{F(l.Width)}\"/>");
        foreach (var t in Texts)
        {
            var anchor = t.Anchor switch { TextAnchor.Middle => "middle", TextAnchor.End => "end", _ => "start" };
            sb.Append($"<text x=\"{F(t.X)}\" y=\"{F(t.Y)}\" font-size=\"{F(t.Size)}\" fill=\"{t.Color}\" text-anchor=\"{anchor}\"{(t.Bold ? " font-weight=\"bold\"" : "")}>{WebUtility.HtmlEncode(t.Text)}</text>");
        }

        return sb.Append("</svg>").ToString();
    }
}
