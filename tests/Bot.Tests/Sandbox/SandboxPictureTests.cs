using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Reports;
using RapidResponse.Scheduler.Bulletins;
using SkiaSharp;

namespace RapidResponse.Bot.Tests.Sandbox;

/// <summary>The sandbox's group view shows the bulletin picture the bulletin group received (media/upload → image message).</summary>
public sealed class SandboxPictureTests
{
    [Fact]
    public async Task BulletinGroup_ShouldShowTheChartImage_AfterTheBulletinText()
    {
        await using var host = await SandboxHost.StartAsync();
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var publisher = scope.ServiceProvider.GetRequiredService<BulletinPublisher>();
            Assert.True(await publisher.PostMonthlyAsync(publisher.PeriodOf(new MonthPeriod(2026, 8)), host.Clock.GetUtcNow()));
        }

        System.Text.Json.JsonElement image = default;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var items = (await host.GetAsync("/sandbox/messages?to=demobulletinchat")).EnumerateArray().ToList();
            if (items.Count > 0 && items[^1].GetProperty("rendered").GetProperty("type").GetString() == "image")
            {
                Assert.All(items.SkipLast(1), i => Assert.Equal("markdown", i.GetProperty("rendered").GetProperty("type").GetString()));
                image = items[^1];
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(System.Text.Json.JsonValueKind.Object, image.ValueKind);
        Assert.Equal("/cgi-bin/appchat/send", image.GetProperty("endpoint").GetString());
        var url = image.GetProperty("rendered").GetProperty("imageUrl").GetString()!;
        Assert.StartsWith("/sandbox/media/", url);
        var r = await host.Http.GetAsync(url);
        Assert.Equal("image/png", r.Content.Headers.ContentType!.MediaType);
        using var bitmap = SKBitmap.Decode(await r.Content.ReadAsByteArrayAsync());
        Assert.Equal(960, bitmap.Width);
        var missing = await host.Http.GetAsync("/sandbox/media/no-such-media");
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Contains("media/upload", await missing.Content.ReadAsStringAsync());
    }
}
