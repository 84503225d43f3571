using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.Charts;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Bulletins.Charts;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;
using RapidResponse.Scheduler.Bulletins;
using SkiaSharp;

namespace RapidResponse.Bot.Tests.Charts;

/// <summary>
/// The bulletin's picture (DESIGN §3, issue 15 item 5): painted on the server from the bulletin's own figures, uploaded with
/// media/upload and sent as an image message after the text through the rule-keeping fake WeCom; the PNG decodes and each
/// township (department) name is drawn where the layout puts it; without a CJK font the text goes alone and /health/ready says why.
/// The bot's clock is Monday 2026-10-12 09:00 (Beijing); the 通报 posted is 2026年7—8月's (云龙 双月一通报) or 2026 Q3's.
/// </summary>
public sealed class BulletinChartTests
{
    private static BotFactory Host(Action<IServiceCollection>? services = null)
    {
        var f = new BotFactory().WithWeCom();
        f.TestServices = services;
        using var db = f.NewDb();
        TestRoster.Seed(db);
        // The county bulletin group is an app group chat, so its picture goes through media/upload (a robot gets base64).
        var bulletin = db.Groups.Single(g => g.Purpose == GroupPurpose.Bulletin);
        bulletin.ChatId = "chatbulletin";
        db.SaveChanges();
        return f;
    }

    private static async Task WaitSentAsync(BotFactory f, string ledgerKey)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using (var db = f.NewDb())
            {
                // The county bulletin group's rows (TestRoster's chat-town-b is not a valid chatid and goes dead).
                var rows = await db.Outbox.AsNoTracking().Where(o => o.DedupeKey!.StartsWith(ledgerKey) && o.Recipient == "chatbulletin").ToListAsync();
                if (rows.Count > 0 && rows.All(r => r.Status == OutboxStatus.Sent)) return;
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException(string.Join("; ", rows.Select(r => $"{r.DedupeKey} {r.Status} {r.LastError}")));
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Proves a label is in the picture: the label painted alone (same painter, font and place) on a blank canvas has ink,
    /// and every inked pixel of it is the same pixel in the chart — the chart has exactly these glyphs there.
    /// </summary>
    private static void AssertDrawn(SkiaChartPainter painter, ChartLayout layout, SKBitmap chart, string label)
    {
        var text = Assert.Single(layout.Texts, t => t.Text == label || t.Text.EndsWith(". " + label, StringComparison.Ordinal));
        using var alone = SKBitmap.Decode(painter.Png(layout with { Rects = [], Lines = [], Texts = [text] }));
        var box = painter.Bounds(text);
        Assert.False(box.IsEmpty);
        var ink = 0;
        for (var x = (int)Math.Floor(box.Left); x <= (int)Math.Ceiling(box.Right); x++)
        for (var y = (int)Math.Floor(box.Top); y <= (int)Math.Ceiling(box.Bottom); y++)
        {
            var p = alone.GetPixel(x, y);
            if (p == SKColors.White) continue;
            ink++;
            Assert.Equal(p, chart.GetPixel(x, y));
        }

        // A CJK name at 16 px inks well over a hundred pixels; nothing is drawn outside the label's box.
        Assert.True(ink > 100, $"{label}: only {ink} inked pixels");
        for (var x = 0; x < alone.Width; x += 3)
        for (var y = 0; y < alone.Height; y += 3)
            if (!box.Contains(x, y)) Assert.Equal(SKColors.White, alone.GetPixel(x, y));
    }

    [Fact]
    public async Task MonthlyBulletin_ShouldSendItsChartWithMediaUploadAfterTheText_AndThePngShowsEveryTownship()
    {
        using var f = Host();
        // The machine needs a CJK font (scripts/install-test-deps.sh installs fonts-wqy-zenhei, as test.sh runs it).
        Assert.True(f.Services.GetRequiredService<IChartPainter>().Problem is null, f.Services.GetRequiredService<IChartPainter>().Problem);
        await using var scope = f.Services.CreateAsyncScope();
        var publisher = scope.ServiceProvider.GetRequiredService<BulletinPublisher>();
        var period = publisher.PeriodOf(new MonthPeriod(2026, 8));
        Assert.True(await publisher.PostMonthlyAsync(period, f.Time.GetUtcNow()));
        var key = BulletinPublisher.MonthlyKey(period);
        await WaitSentAsync(f, key);

        var sim = f.WeCom!.Simulator;
        var delivered = sim.DeliveredTo("chatbulletin");
        Assert.True(delivered.Count >= 2);
        Assert.All(delivered.SkipLast(1), d => Assert.Equal("markdown", d.MsgType));
        var image = delivered[^1];
        Assert.Equal("image", image.MsgType);
        var mediaId = JsonNode.Parse(image.Json)!["image"]!["media_id"]!.GetValue<string>();
        var upload = Assert.Single(sim.CallsTo("/cgi-bin/media/upload"));
        Assert.Equal(mediaId, JsonNode.Parse(upload.ResponseBody)!["media_id"]!.GetValue<string>());
        Assert.Equal("image", upload.Query["type"]);

        var png = sim.MediaOf(mediaId)!.Content;
        using var chart = SKBitmap.Decode(png);
        Assert.NotNull(chart);
        var draft = await publisher.DraftMonthlyAsync(period);
        var layout = draft.Layout!;
        Assert.Equal((layout.Width, layout.Height), (chart.Width, chart.Height));
        Assert.Equal(draft.Chart, png); // the picture sent is the one painted from this layout
        var painter = f.Services.GetRequiredService<SkiaChartPainter>();
        foreach (var township in new[] { "城关镇", "河口乡" })
        {
            Assert.Contains(township, layout.ToSvg());
            AssertDrawn(painter, layout, chart, township);
        }

        Assert.Contains(layout.Texts, t => t.Text == "按时办结率");
        Assert.Contains(layout.Texts, t => t.Text.StartsWith("逾期未办", StringComparison.Ordinal));
        // The township work groups get their own text section, not the county picture.
        Assert.All(sim.DeliveredTo("hook-town-a"), d => Assert.Equal("markdown", d.MsgType));
        await using (var rows = f.NewDb())
            Assert.Equal(["chatbulletin"], await rows.Outbox.Where(o => o.Kind == OutboundKind.Image).Select(o => o.Recipient).ToListAsync());
        await using var db = f.NewDb();
        Assert.Contains("\"chart\":\"sent\"", (await db.KeyValues.SingleAsync(k => k.Key == key)).Value);
    }

    [Fact]
    public async Task QuarterlyBulletin_ShouldSendTheDepartmentRankingAsAPicture()
    {
        using var f = Host();
        await using var scope = f.Services.CreateAsyncScope();
        var publisher = scope.ServiceProvider.GetRequiredService<BulletinPublisher>();
        var quarter = new QuarterPeriod(2026, 3);
        Assert.True(await publisher.PostQuarterlyAsync(quarter, f.Time.GetUtcNow()));
        await WaitSentAsync(f, BulletinPublisher.QuarterlyKey(quarter));

        var sim = f.WeCom!.Simulator;
        var image = sim.DeliveredTo("chatbulletin")[^1];
        Assert.Equal("image", image.MsgType);
        using var chart = SKBitmap.Decode(sim.MediaOf(JsonNode.Parse(image.Json)!["image"]!["media_id"]!.GetValue<string>())!.Content);
        var layout = (await publisher.DraftQuarterlyAsync(quarter)).Layout!;
        var painter = f.Services.GetRequiredService<SkiaChartPainter>();
        foreach (var department in new[] { "县卫健局", "县教体局", "县人社局" })
            AssertDrawn(painter, layout, chart, department);
        Assert.Contains(layout.Texts, t => t.Text.StartsWith("一、防返贫动态监测紧密型单位", StringComparison.Ordinal));
        Assert.Contains(layout.Texts, t => t.Text.StartsWith("二、巩固拓展脱贫攻坚成果相关单位", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bulletin_ShouldGoAsTextAlone_AndHealthShouldSayWhy_WhenTheMachineHasNoChineseFont()
    {
        using var f = Host(s =>
        {
            s.RemoveAll<SkiaChartPainter>();
            s.AddSingleton(sp => new SkiaChartPainter(sp.GetRequiredService<IOptions<ChartsOptions>>(), () => null));
        });
        await using var scope = f.Services.CreateAsyncScope();
        var publisher = scope.ServiceProvider.GetRequiredService<BulletinPublisher>();
        var period = publisher.PeriodOf(new MonthPeriod(2026, 8));
        Assert.True(await publisher.PostMonthlyAsync(period, f.Time.GetUtcNow()));
        await WaitSentAsync(f, BulletinPublisher.MonthlyKey(period));

        Assert.All(f.WeCom!.Simulator.DeliveredTo("chatbulletin"), d => Assert.Equal("markdown", d.MsgType));
        Assert.Empty(f.WeCom.Simulator.CallsTo("/cgi-bin/media/upload"));
        await using (var db = f.NewDb())
            Assert.False(await db.Outbox.AnyAsync(o => o.Kind == OutboundKind.Image));

        var ready = await f.CreateClient().GetAsync("/health/ready");
        var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("Degraded", body["checks"]!["charts"]!["status"]!.GetValue<string>());
        Assert.Contains(body["warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("没有找到中文字体", StringComparison.Ordinal)
                                                         && w.GetValue<string>().Contains("fonts-wqy-zenhei", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_ShouldNameTheFont_WhenChartsCanBePainted()
    {
        using var f = Host();
        var body = JsonNode.Parse(await (await f.CreateClient().GetAsync("/health/ready")).Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", body["checks"]!["charts"]!["status"]!.GetValue<string>());
        Assert.Null(f.Services.GetRequiredService<IChartPainter>().Problem);
    }

    [Fact]
    public void FontFile_ShouldBeRefused_WhenItIsNotAFont()
    {
        var notAFont = Path.Combine(Path.GetTempPath(), $"rrb-not-a-font-{Guid.NewGuid():N}.ttf");
        File.WriteAllText(notAFont, "this is not a font");
        try
        {
            using var painter = new SkiaChartPainter(Options.Create(new ChartsOptions { FontFile = notAFont }));
            Assert.Contains("不是可读的字体文件", painter.Problem);
            Assert.False(new ChartsOptionsValidator().Validate(null, new ChartsOptions { FontFile = notAFont + ".missing" }).Succeeded);
        }
        finally
        {
            File.Delete(notAFont);
        }
    }
}
