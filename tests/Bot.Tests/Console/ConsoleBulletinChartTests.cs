namespace RapidResponse.Bot.Tests.CountyConsole;

/// <summary>The 通报 page previews the picture that goes with the bulletin, drawn from the layout the PNG is painted from.</summary>
public sealed class ConsoleBulletinChartTests : IDisposable
{
    private readonly ConsoleHost _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task BulletinsPage_ShouldShowTheChartWithEveryTownship_ForTheCountyOffice()
    {
        var c = await _h.SignInAsync("co_1");
        var html = await c.GetStringAsync("/console/bulletins");
        var start = html.IndexOf("data-testid=\"bulletin-chart\"", StringComparison.Ordinal);
        Assert.True(start > 0, "no chart on the page");
        var svg = html[start..html.IndexOf("</svg>", start, StringComparison.Ordinal)];
        Assert.Contains("<svg", svg);
        Assert.Contains(">城关镇</text>", svg);
        Assert.Contains(">河口乡</text>", svg);
        Assert.Contains("按时办结率", svg);
        Assert.DoesNotContain("bulletin-chart-off", html); // the machine has the font: the picture goes
    }
}
