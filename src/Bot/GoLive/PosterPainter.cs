using QRCoder;
using SkiaSharp;

namespace RapidResponse.Bot.GoLive;

/// <summary>A printable village poster: the QR code of the village's 微信客服 link, the village and township, what to send.</summary>
public static class PosterPainter
{
    public const int Width = 1000, Height = 1400;

    /// <summary>CJK fonts commonly installed (Debian fonts-wqy-zenhei first, as scripts/install-test-deps.sh installs it).</summary>
    private static readonly string[] CjkFonts =
    [
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/System/Library/Fonts/PingFang.ttc",
        @"C:\Windows\Fonts\msyh.ttc",
        @"C:\Windows\Fonts\simhei.ttf",
    ];

    /// <summary>The first CJK font file that loads; null when the machine has none (the poster then carries no Chinese text).</summary>
    public static SKTypeface? FindCjkFont()
    {
        foreach (var path in CjkFonts.Where(File.Exists))
            if (SKTypeface.FromFile(path) is { } t && t.ContainsGlyph('村')) return t;
        return null;
    }

    public static byte[] Paint(string url, string village, string township, string code, SKTypeface? font)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var green = new SKPaint { Color = new SKColor(0x07, 0xC1, 0x60), IsAntialias = true };

        DrawQr(canvas, url, left: 150, top: 300, size: 700);
        if (font is not null)
        {
            Text(canvas, $"{township} {village}", 150, 72, font, ink);
            Text(canvas, "微信扫一扫，申报家庭困难、查询进度", 235, 44, font, green);
            Text(canvas, "发送“申报”：按提示说明家里的困难", 1090, 38, font, ink);
            Text(canvas, "发送“进度”：查询办理到了哪一步", 1150, 38, font, ink);
            Text(canvas, "村名已自动填好，不用再写", 1210, 34, font, ink);
        }

        // The code is printed in digits too, so a poster stays identifiable without a CJK font.
        using var plain = new SKFont(SKTypeface.Default, 28);
        canvas.DrawText(code, Width / 2f, 1320, SKTextAlign.Center, plain, ink);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static void Text(SKCanvas canvas, string text, float y, float size, SKTypeface typeface, SKPaint paint)
    {
        using var f = new SKFont(typeface, size);
        // Shrink a long village name until it fits the page.
        while (f.MeasureText(text) > Width - 80 && f.Size > 12) f.Size -= 2;
        canvas.DrawText(text, Width / 2f, y, SKTextAlign.Center, f, paint);
    }

    /// <summary>Whole-pixel modules without antialiasing: blurred module edges make scanners (and ZXing) miss the code.</summary>
    private static void DrawQr(SKCanvas canvas, string url, int left, int top, int size)
    {
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = false };
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix; // includes the 4-module quiet zone
        var n = matrix.Count;
        var cell = size / n;
        var offset = (size - cell * n) / 2;
        for (var y = 0; y < n; y++)
            for (var x = 0; x < n; x++)
                if (matrix[y][x]) canvas.DrawRect(left + offset + x * cell, top + offset + y * cell, cell, cell, ink);
    }
}
