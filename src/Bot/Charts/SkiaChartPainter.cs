using Microsoft.Extensions.Options;
using RapidResponse.Bot.GoLive;
using RapidResponse.Domain.Bulletins.Charts;
using RapidResponse.Scheduler.Bulletins;
using SkiaSharp;

namespace RapidResponse.Bot.Charts;

/// <summary>
/// Paints bulletin charts to PNG with SkiaSharp and a CJK font: <c>Charts:FontFile</c>, else the system's (the fonts
/// <see cref="PosterPainter.FindCjkFont"/> looks for). Without a font that has Chinese glyphs it paints nothing and says why
/// (<see cref="Problem"/>): a picture of empty boxes would be worse than none.
/// </summary>
public sealed class SkiaChartPainter : IChartPainter, IDisposable
{
    /// <summary>Glyphs every chart needs (乡镇 names, 办结率, 逾期, 分).</summary>
    private const string Probe = "乡镇村办结率逾期分";

    private readonly SKTypeface? _font;

    public SkiaChartPainter(IOptions<ChartsOptions> options)
        : this(options, PosterPainter.FindCjkFont)
    {
    }

    /// <param name="findSystemFont">How the system's CJK font is found when no Charts:FontFile is set (a test passes a machine without one).</param>
    internal SkiaChartPainter(IOptions<ChartsOptions> options, Func<SKTypeface?> findSystemFont)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            Problem = "Charts:Enabled 为 false：通报只发文字";
            return;
        }

        _font = string.IsNullOrWhiteSpace(o.FontFile) ? findSystemFont() : SKTypeface.FromFile(o.FontFile);
        FontSource = _font is null ? null : string.IsNullOrWhiteSpace(o.FontFile) ? $"system: {_font.FamilyName}" : o.FontFile;
        if (_font is null)
            Problem = string.IsNullOrWhiteSpace(o.FontFile)
                ? "没有找到中文字体，通报图片不发送、只发文字：安装 fonts-wqy-zenhei（apt-get install fonts-wqy-zenhei）或设置 Charts:FontFile"
                : $"Charts:FontFile（{o.FontFile}）不是可读的字体文件，通报图片不发送、只发文字";
        else if (!Probe.All(c => _font.ContainsGlyph(c)))
            Problem = $"字体 {_font.FamilyName} 没有中文字形，通报图片不发送、只发文字：换一个中文字体（Charts:FontFile）";
    }

    public string? Problem { get; }

    /// <summary>Where the font came from (for health), null when none.</summary>
    public string? FontSource { get; }

    public byte[] Png(ChartLayout layout)
    {
        if (Problem is not null || _font is null) throw new InvalidOperationException(Problem);
        using var surface = SKSurface.Create(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColor.Parse(ChartLayout.Background));
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        foreach (var r in layout.Rects)
        {
            fill.Color = SKColor.Parse(r.Color);
            canvas.DrawRect(r.X, r.Y, r.Width, r.Height, fill);
        }

        using var stroke = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke };
        foreach (var l in layout.Lines)
        {
            stroke.Color = SKColor.Parse(l.Color);
            stroke.StrokeWidth = l.Width;
            canvas.DrawLine(l.X1, l.Y1, l.X2, l.Y2, stroke);
        }

        foreach (var t in layout.Texts)
        {
            using var font = Font(t);
            fill.Color = SKColor.Parse(t.Color);
            canvas.DrawText(t.Text, t.X, t.Y, Align(t.Anchor), font, fill);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The pixel box a label covers in <see cref="Png"/> (for checks of the picture), or empty without a font.</summary>
    public SKRect Bounds(ChartText t)
    {
        if (_font is null) return SKRect.Empty;
        using var font = Font(t);
        var width = font.MeasureText(t.Text, out var box);
        var left = t.Anchor switch { TextAnchor.Middle => t.X - width / 2, TextAnchor.End => t.X - width, _ => t.X };
        return new SKRect(left + box.Left, t.Y + box.Top, left + box.Right, t.Y + box.Bottom);
    }

    private SKFont Font(ChartText t) => new(_font, t.Size) { Embolden = t.Bold, Subpixel = true, Edging = SKFontEdging.Antialias };

    private static SKTextAlign Align(TextAnchor a) => a switch { TextAnchor.Middle => SKTextAlign.Center, TextAnchor.End => SKTextAlign.Right, _ => SKTextAlign.Left };

    public void Dispose() => _font?.Dispose();
}
