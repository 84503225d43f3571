using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Tests.CountyConsole;

/// <summary>
/// A holiday year uploaded on /console/holidays counts at once, without a restart: on the instance that took it now, on
/// another instance of the same database at its next look (Calendar:ReloadInterval); deadlines computed before stay.
/// </summary>
public sealed partial class ConsoleHolidayReloadTests : IDisposable
{
    // Thursday before 2027's 春节, when no 2027 data is built in.
    private static readonly DateTimeOffset Start = new(2027, 2, 4, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>A test year in the format of Calendar/Data (not the official notice): 春节 off 6–12 Feb, Sunday 31 Jan and Saturday 20 Feb worked.</summary>
    private static readonly string Year2027 = "{\"year\":2027,\"source\":\"测试数据（格式同国务院办公厅通知）\",\"days\":["
        + "{\"date\":\"2027-01-31\",\"name\":\"春节\",\"isOffDay\":false},"
        + string.Join(',', Enumerable.Range(6, 7).Select(d => $"{{\"date\":\"2027-02-{d:00}\",\"name\":\"春节\",\"isOffDay\":true}}"))
        + ",{\"date\":\"2027-02-20\",\"name\":\"春节\",\"isOffDay\":false}]}";

    private readonly ConsoleHost _h = new(start: Start);

    public void Dispose() => _h.Dispose();

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [Fact]
    public async Task UploadedYear_ShouldCountAtOnceOnEveryInstance_WhileDeadlinesComputedBeforeStay()
    {
        // Before: 2027 falls back to plain weekends — the comparison opened today is due Monday 8 Feb, and readiness warns.
        Assert.Equal(new DateOnly(2027, 2, 8), await ComparisonDueAsync(_h.F, _h.A1));
        var ready = await ReadyWarningsAsync(_h.F);
        Assert.Contains("缺少2027年节假日安排数据", ready);

        // A second instance on the same database (a cluster), started before the upload.
        using var other = new BotFactory(Start, _h.F.Directory);
        other.Settings["Calendar:ReloadInterval"] = "00:01:00";
        var otherCalendar = other.Services.GetRequiredService<WorkingCalendar>();
        Assert.False(otherCalendar.HasDataFor(2027));

        var county = await _h.SignInAsync("co_1");
        var html = WebUtility.HtmlDecode(await county.GetStringAsync("/console/holidays"));
        var form = new MultipartFormDataContent { { new StringContent(TokenField().Match(html).Groups[1].Value), "__af" } };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(Year2027));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(file, "file", "2027.json");
        var r = await county.PostAsync("/console/holidays", form);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        html = await r.Content.ReadAsStringAsync();
        Assert.Contains("现在起生效", html);
        Assert.Contains("已经计算好的期限（已开始环节的截止时间）保持不变，仍按普通周末", html);
        Assert.Contains("data-testid=\"years\">2024、2025、2026、2027<", html);
        Assert.Contains("在控制台上传的：2027年（2027-02-04 09:00）", html);
        Assert.DoesNotContain("重启服务后生效", html);

        // This instance, no restart: a comparison computed now runs across 春节 (Fri 5 Feb, then Mon 15 Feb); the one computed
        // before keeps its 8 Feb; readiness no longer warns about 2027 (2028 still has no data and is still named).
        Assert.Equal(new DateOnly(2027, 2, 15), await ComparisonDueAsync(_h.F, await OpenAtComparisonAsync(_h.F)));
        Assert.Equal(new DateOnly(2027, 2, 8), await ComparisonDueAsync(_h.F, _h.A1));
        ready = await ReadyWarningsAsync(_h.F);
        Assert.DoesNotContain("缺少2027年", ready);
        Assert.Contains("缺少2028年", ready);

        // The other instance has not looked yet; at its next look (one ReloadInterval later) it has the year too.
        Assert.False(otherCalendar.HasDataFor(2027));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!otherCalendar.HasDataFor(2027) && DateTime.UtcNow < deadline)
        {
            other.Time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(50);
        }
        Assert.True(otherCalendar.HasDataFor(2027));
        Assert.Equal(new DateOnly(2027, 2, 15), await ComparisonDueAsync(other, await OpenAtComparisonAsync(other)));
        Assert.DoesNotContain("缺少2027年", await ReadyWarningsAsync(other));
    }

    /// <summary>The warnings of /health/ready, joined.</summary>
    private static async Task<string> ReadyWarningsAsync(BotFactory f)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(await f.CreateClient().GetStringAsync("/health/ready"));
        return string.Join('\n', doc.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
    }

    private static async Task<string> OpenAtComparisonAsync(BotFactory f)
    {
        await using var scope = f.Services.CreateAsyncScope();
        var wf = scope.ServiceProvider.GetRequiredService<CaseWorkflow>();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var c = await wf.OpenAsync(Channel.SelfReport, TestRoster.VillageA1, ["因病"], "家中有人住院", Severity.General, new Actor("farmer", "farmer"));
        var intake = c.CurrentStage!;
        var actor = new Actor(intake.Assignments[0].AssigneeId, "GridMonitor");
        c.CompleteTask(intake.Assignments[0].TaskId, TaskResult.Done, "受理", actor, wf.ClockFor(c));
        await wf.AdvanceAsync(c, actor);
        await db.SaveChangesAsync();
        return c.Number;
    }

    private static async Task<DateOnly> ComparisonDueAsync(BotFactory f, string number)
    {
        using var db = f.NewDb();
        var due = await (from s in db.Stages join c in db.Cases on s.CaseId equals c.Id
                         where c.Number == number && s.Kind == StageKind.Comparison select s.DueAt).SingleAsync();
        return ChinaTime.DateOf(due!.Value);
    }
}
