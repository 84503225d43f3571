using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Reliability;

/// <summary>
/// A long import does not block callbacks: while a 50,000-row department list imports (tens of seconds), every callback
/// is acknowledged within 1 s and handled. The import commits in short chunks and holds SQLite's write gate only per chunk.
/// </summary>
[Trait("Category", "Long")]
public sealed class ImportDuringCallbacksTests
{
    private const int Rows = 50_000;

    /// <summary>Rows for the two roster households, 3 departments, one date per 6 rows: every row's source key is distinct.</summary>
    private static string List()
    {
        var csv = new StringBuilder("department_code,id_number,household_no,warning_type,date,note\n");
        var day = new DateOnly(2000, 1, 1);
        for (var i = 0; i < Rows; i++)
            csv.Append(new[] { "WJ", "MZ", "JT" }[i % 3]).Append(",,").Append(i % 2 == 0 ? "H-A1-001" : "H-A1-002")
                .Append(",自付医疗费超标,").Append(day.AddDays(i / 6).ToString("yyyy-MM-dd")).Append(",\n");
        return csv.ToString();
    }

    [Fact]
    public async Task Callbacks_ShouldBeAnsweredWithinOneSecondAndHandled_WhenA50000RowDepartmentListImports()
    {
        using var f = new BotFactory().WithWeCom();
        // The 50,000 task cards stay queued: this test is about the inbox beside the import, not about sending them.
        f.Settings["Outbox:PollInterval"] = "01:00:00";
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var admin = f.AdminClient();
        admin.Timeout = TimeSpan.FromMinutes(5);

        // Warm the callback path first (JIT, crypto, first connections): the first callback of a cold process is slow with
        // or without an import, and this test is about the import.
        await new WeComUser(f, http, "gm_b1").PostAsync(ClusterText("gm_b1", "帮助", f.Time.GetUtcNow()));
        await new WeComUser(f, http, "villager_warm").PostAsync(ClusterText("villager_warm", "你好", f.Time.GetUtcNow()));
        await new ChatDriver(f).WaitIdleAsync();
        var warm = 2;

        var import = Task.Run(() => admin.PostAsync("/api/import/department-list", new StringContent(List(), Encoding.UTF8, "text/csv")));
        var waits = new List<TimeSpan>();
        var senders = new List<string>();
        // Until the import ends: a staff member and a new farmer write every 100 ms (a callback waits for its inbox commit).
        for (var i = 0; !import.IsCompleted; i++)
        {
            var who = i % 2 == 0 ? "gm_b1" : $"villager_{i:0000}";
            var user = new WeComUser(f, http, who);
            var t = Stopwatch.StartNew();
            var answer = await user.PostAsync(ClusterText(who, i % 2 == 0 ? "帮助" : "你好", f.Time.GetUtcNow()));
            waits.Add(t.Elapsed);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            senders.Add(who);
            await Task.Delay(100);
        }
        var response = await import;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Rows, result.GetProperty("created").GetInt32());

        Assert.True(waits.Count >= 20, $"only {waits.Count} callbacks during the import");
        Assert.All(waits, w => Assert.True(w < TimeSpan.FromSeconds(1), $"a callback waited {w.TotalMilliseconds:F0} ms (slowest {waits.Max().TotalMilliseconds:F0} ms of {waits.Count})"));
        // Every callback was handled, most of them during the import: each sender got their answer.
        var chat = new ChatDriver(f);
        await chat.WaitIdleAsync();
        using var check = f.NewDb();
        Assert.Equal(warm + waits.Count, await check.Inbox.CountAsync(x => x.Status == InboxStatus.Processed));
        Assert.All(senders.Where(s => s != "gm_b1").Take(50), s => Assert.Contains("回复“申报”", chat.LastTextTo(s)));
        Assert.Equal(1 + senders.Count(s => s == "gm_b1"), chat.TextsTo("gm_b1").Count);
        Assert.Equal(Rows, await check.Cases.CountAsync());
    }

    private static long _msgId = 9_100_000;

    private static string ClusterText(string from, string text, DateTimeOffset at) =>
        $"<xml><ToUserName><![CDATA[{RapidResponse.Bot.Tests.WeCom.Vectors.CorpId}]]></ToUserName><FromUserName><![CDATA[{from}]]></FromUserName>"
        + $"<CreateTime>{at.ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        + $"<Content><![CDATA[{text}]]></Content><MsgId>{Interlocked.Increment(ref _msgId)}</MsgId><AgentID>1000002</AgentID></xml>";
}
