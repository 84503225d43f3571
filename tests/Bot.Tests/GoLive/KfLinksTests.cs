using System.Text.RegularExpressions;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;
using SkiaSharp;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace RapidResponse.Bot.Tests.GoLive;

/// <summary>Issue 14 item 4: village entries for 微信客服 — a contact way, a poster and a village filled in on entry.</summary>
public sealed partial class KfLinksTests
{
    [GeneratedRegex("<a href=\"(?<png>[0-9]+\\.png)\">.*?<a href=\"(?<url>[^\"]+)\">")]
    private static partial Regex IndexRow();

    [Fact]
    public async Task KfLinks_ShouldCreateOneContactWayPerVillage_AndPostersWhoseQrCarriesTheLink()
    {
        using var f = GoLiveHost.Start();
        var dir = Path.Combine(f.Directory, "posters");

        var (code, output, _) = await GoLiveHost.RunAsync(f, "wecom", "kf-links", "--out", dir);

        Assert.True(code == 0, output);
        Assert.Contains("已为 3 个村生成", output);
        var ways = f.WeCom!.Simulator.ContactWays;
        Assert.Equal([TestRoster.VillageA1, TestRoster.VillageA2, TestRoster.VillageB1], ways.Select(w => w.Scene));
        Assert.All(ways, w => Assert.Equal("wkvillageentry", w.OpenKfId));
        var index = await File.ReadAllTextAsync(Path.Combine(dir, "index.html"));
        Assert.Contains("<td>城关镇</td><td>桃园村</td>", index);
        var rows = IndexRow().Matches(index).ToList();
        Assert.Equal(3, rows.Count);
        foreach (var (row, way) in rows.Zip(ways))
        {
            var url = System.Net.WebUtility.HtmlDecode(row.Groups["url"].Value);
            Assert.Equal(way.Url + "&scene_param=" + way.Scene, url);
            Assert.Equal(way.Scene + ".png", row.Groups["png"].Value);
            Assert.Equal(url, DecodeQr(await File.ReadAllBytesAsync(Path.Combine(dir, row.Groups["png"].Value))));
        }
    }

    [Fact]
    public async Task KfLinks_ShouldReuseEachVillagesContactWay_WhenRunAgain()
    {
        using var f = GoLiveHost.Start();
        var dir = Path.Combine(f.Directory, "posters");
        Assert.Equal(0, (await GoLiveHost.RunAsync(f, "wecom", "kf-links", "--out", dir)).Item1);
        var first = await File.ReadAllTextAsync(Path.Combine(dir, "index.html"));

        var (code, output, _) = await GoLiveHost.RunAsync(f, "wecom", "kf-links", "--out", dir);

        Assert.True(code == 0, output);
        Assert.Contains("其中 3 个村沿用已有入口", output);
        Assert.Equal(3, f.WeCom!.Simulator.ContactWays.Count); // no second contact way per village
        Assert.Equal(3, f.WeCom.Simulator.CallsTo("/cgi-bin/kf/add_contact_way").Count);
        Assert.Equal(first, await File.ReadAllTextAsync(Path.Combine(dir, "index.html")));
    }

    [Fact]
    public async Task KfLinks_ShouldExit2WithWhatToSet_WhenNoKfAccountIsConfigured()
    {
        using var f = GoLiveHost.Start(f => f.Settings["WeCom:Kf:OpenKfIds:0"] = "");

        var (code, output, _) = await GoLiveHost.RunAsync(f, "wecom", "kf-links", "--out", Path.Combine(f.Directory, "posters"));

        Assert.Equal(2, code);
        Assert.Contains("WeCom:Kf:OpenKfIds", output);
        Assert.Empty(f.WeCom!.Simulator.ContactWays);
    }

    [Fact]
    public async Task Farmer_ShouldNotBeAskedTheVillage_WhenEnteringThroughAVillageLink()
    {
        using var f = GoLiveHost.Start();
        var chat = new ChatDriver(f);
        await chat.DeliverAsync(new Inbound(InboundChannel.Kf, "wm_entry", "enter-1", InboundKind.Enter, f.Time.GetUtcNow(),
            Key: TestRoster.VillageA2, OpenKfId: "wkvillageentry"), "enter-1");

        await chat.SendAsync("wm_entry", "申报", InboundChannel.Kf, "wkvillageentry");
        await chat.SendAsync("wm_entry", TestRoster.IdUnknown, InboundChannel.Kf, "wkvillageentry");
        await chat.SendAsync("wm_entry", "刘一", InboundChannel.Kf, "wkvillageentry");
        await chat.SendAsync("wm_entry", "13800009999", InboundChannel.Kf, "wkvillageentry");

        var texts = chat.TextsTo("wm_entry");
        Assert.Contains("哪种困难", texts[^1]);
        Assert.DoesNotContain(texts, t => t.Contains("所在的村"));
        await chat.SendAsync("wm_entry", "1", InboundChannel.Kf, "wkvillageentry");
        await chat.SendAsync("wm_entry", "丈夫住院花费很大", InboundChannel.Kf, "wkvillageentry");
        Assert.Contains("桃园村", chat.LastTextTo("wm_entry"));
    }

    [Fact]
    public async Task Farmer_ShouldBeAskedTheVillage_WhenEnteringWithoutAVillageLink()
    {
        using var f = GoLiveHost.Start();
        var chat = new ChatDriver(f);
        await chat.DeliverAsync(new Inbound(InboundChannel.Kf, "wm_plain", "enter-2", InboundKind.Enter, f.Time.GetUtcNow(),
            Key: "daping", OpenKfId: "wkvillageentry"), "enter-2");

        await chat.SendAsync("wm_plain", "申报", InboundChannel.Kf, "wkvillageentry");
        await chat.SendAsync("wm_plain", TestRoster.IdUnknown, InboundChannel.Kf, "wkvillageentry");
        await chat.SendAsync("wm_plain", "刘一", InboundChannel.Kf, "wkvillageentry");
        await chat.SendAsync("wm_plain", "13800009999", InboundChannel.Kf, "wkvillageentry");

        Assert.Contains("所在的村", chat.LastTextTo("wm_plain"));
    }

    [Fact]
    public void Poster_ShouldStillCarryTheQrCode_WhenNoChineseFontIsInstalled()
    {
        const string url = "https://work.weixin.qq.com/kfid/wkvillageentry?enc_scene=530101001&scene_param=530101001";

        var png = RapidResponse.Bot.GoLive.PosterPainter.Paint(url, "李树村", "城关镇", "530101001", font: null);

        Assert.Equal(url, DecodeQr(png));
    }

    private static string DecodeQr(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        var text = Decode(bitmap.Width, bitmap.Height, (x, y) => bitmap.GetPixel(x, y));
        Assert.True(text is not null, "no QR code found in the poster");
        return text!;
    }

    private static string? Decode(int width, int height, Func<int, int, SKColor> pixel)
    {
        var gray = new byte[width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var c = pixel(x, y);
                gray[y * width + x] = (byte)((c.Red * 299 + c.Green * 587 + c.Blue * 114) / 1000);
            }
        var reader = new BarcodeReaderGeneric { Options = { TryHarder = true, PossibleFormats = [BarcodeFormat.QR_CODE] } };
        return reader.Decode(new RGBLuminanceSource(gray, width, height, RGBLuminanceSource.BitmapFormat.Gray8))?.Text;
    }
}
