using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Inbox;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Scoring;

namespace RapidResponse.Bot.Tests.CountyConsole;

/// <summary>
/// The county office's working pages over real HTTP, signed in through the fake WeCom's OAuth: score items (enter, contest,
/// decide, void — each by its role only, audited), roster import with row errors in the page, holiday years upload, failed
/// messages (inbox rows requeued), the wecom doctor checklist, the monthly duty list as a page and as Excel.
/// </summary>
public sealed partial class ConsoleOfficePagesTests : IDisposable
{
    private readonly ConsoleHost _h = new();

    public void Dispose() => _h.Dispose();

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private static async Task<string> TokenAsync(HttpClient c, string page = "/console")
    {
        var html = await c.GetStringAsync(page);
        return WebUtility.HtmlDecode(TokenField().Match(html).Groups[1].Value);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient c, string url, params (string Key, string Value)[] fields)
    {
        var token = await TokenAsync(c);
        return await c.PostAsync(url, new FormUrlEncodedContent([new("__af", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))]));
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient c, string url, string fileName, string content, params (string Key, string Value)[] fields)
    {
        var form = new MultipartFormDataContent { { new StringContent(await TokenAsync(c)), "__af" } };
        foreach (var (k, v) in fields) form.Add(new StringContent(v), k);
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".json") ? "application/json" : "text/csv");
        form.Add(file, "file", fileName);
        return await c.PostAsync(url, form);
    }

    [Fact]
    public async Task ScoreItems_ShouldBeEnteredContestedDecidedAndVoided_EachByItsRoleOnly()
    {
        var county = await _h.SignInAsync("co_1");
        var page = await county.GetStringAsync("/console/score-items");
        Assert.Contains("data-testid=\"enter\"", page);
        Assert.Contains("href=\"/console/score-items\"", page); // in the navigation
        Assert.Equal(HttpStatusCode.Forbidden, (await (await _h.SignInAsync("to_a")).GetAsync("/console/score-items")).StatusCode);

        // Bad input: every problem at once, in Chinese, and the form keeps what was typed.
        var bad = await PostAsync(county, "/console/score-items", ("department", "JT"), ("rule", "D1"), ("quarter", "2027-Q1"), ("reason", "短"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("还没有开始", html);
        Assert.Contains("至少4个字", html);
        Assert.Contains("value=\"2027-Q1\"", html);

        var ok = await PostAsync(county, "/console/score-items", ("department", "JT"), ("rule", "D1"), ("quarter", "2026-Q4"), ("reason", "县督查暗访发现河湾村饮水问题未主动报告"));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        await PostAsync(county, "/console/score-items", ("department", "MZ"), ("rule", "D2"), ("quarter", "2026-Q4"), ("reason", "自查问题未及时整改（重复录入）"));
        long jt, mz;
        using (var db = _h.F.NewDb())
        {
            var items = await db.ScoreEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
            (jt, mz) = (items[0].Id, items[1].Id);
            Assert.Equal((ScoreStatus.Pending, -2, "褚办公室"), (items[0].Status, items[0].Points, items[0].EnteredBy));
            Assert.Single(await db.AuditEvents.Where(a => a.Action == "score.entered" && a.Actor == "co_1" && a.Detail!.Contains("JT")).ToListAsync());
            // The department's 佐证核实 card is queued, as when the item comes through the admin API.
            Assert.Single(await db.Outbox.Where(o => o.Kind == OutboundKind.Card && o.Recipient == "d_jt" && o.DedupeKey == "card:" + items[0].TaskId).ToListAsync());
        }

        // Another department neither sees nor answers 教体's item.
        var wj = await _h.SignInAsync("d_wj");
        Assert.DoesNotContain("河湾村饮水", await wj.GetStringAsync("/console/score-items"));
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(wj, $"/console/score-items/{jt}/confirm")).StatusCode);

        // 教体 contests within its window: a short reason is refused, a real one sends the item to the county office.
        var dept = await _h.SignInAsync("d_jt");
        page = await dept.GetStringAsync("/console/score-items");
        Assert.Contains($"data-testid=\"contest-{jt}\"", page);
        Assert.DoesNotContain($"data-testid=\"void-{jt}\"", page);
        Assert.DoesNotContain("data-testid=\"enter\"", page);
        var shortReason = await PostAsync(dept, $"/console/score-items/{jt}/contest", ("reason", "不对"));
        Assert.Equal(HttpStatusCode.BadRequest, shortReason.StatusCode);
        Assert.Contains("请写明异议理由", await shortReason.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(dept, $"/console/score-items/{jt}/contest", ("reason", "该村饮水问题已于10月9日书面报告，附签收单"))).StatusCode);
        Assert.Contains($"data-testid=\"state-{jt}\">有异议<", await dept.GetStringAsync("/console/score-items"));
        using (var db = _h.F.NewDb())
            Assert.Contains("书面报告", Regex.Unescape(Assert.Single(await db.Outbox.Where(o => o.Recipient == "co_1").ToListAsync()).Payload));

        // A county leader reads, and may not act.
        var leader = await _h.SignInAsync("cl_1");
        page = await leader.GetStringAsync("/console/score-items");
        Assert.Contains("有异议", page);
        Assert.DoesNotContain($"data-testid=\"decide-{jt}\"", page);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(leader, $"/console/score-items/{mz}/void", ("reason", "领导想作废这条"))).StatusCode);

        // The county office decides the contest (not upheld → counts) and voids the duplicate with a reason, audited.
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(county, $"/console/score-items/{jt}/decide", ("uphold", "yes"), ("reason", "签收单日期晚于暗访，异议不成立"))).StatusCode);
        var noReason = await PostAsync(county, $"/console/score-items/{mz}/void", ("reason", ""));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("请写明作废理由", await noReason.Content.ReadAsStringAsync());
        // 民政's item is still 待核实: its card is open in WeCom until the county office voids it.
        await KfCustomer.OutboxDrainedAsync(_h.F);
        var sim = _h.F.WeCom!.Simulator;
        var mzTask = new ChatDriver(_h.F).CardsTo("d_mz").Single().TaskId;
        Assert.Null(sim.CardOf("d_mz", mzTask)!.ReplaceName);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(county, $"/console/score-items/{mz}/void", ("reason", "与第一条重复录入"))).StatusCode);
        await KfCustomer.OutboxDrainedAsync(_h.F);
        Assert.Equal("已作废", sim.CardOf("d_mz", mzTask)!.ReplaceName);
        Assert.DoesNotContain(sim.Exchanges, x => x.Refused);
        Assert.Contains("作废理由：与第一条重复录入", new ChatDriver(_h.F).LastTextTo("d_mz"));
        var twice = await PostAsync(county, $"/console/score-items/{mz}/void", ("reason", "与第一条重复录入"));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("已经作废", await twice.Content.ReadAsStringAsync());
        page = await county.GetStringAsync("/console/score-items?quarter=2026-Q4");
        Assert.Contains($"data-testid=\"state-{jt}\">已核实<", page);
        Assert.Contains($"data-testid=\"state-{mz}\">作废<", page);
        Assert.Contains("作废：与第一条重复录入", page);
        using (var db = _h.F.NewDb())
        {
            Assert.Equal(ScoreStatus.Voided, (await db.ScoreEvents.SingleAsync(e => e.Id == mz)).Status);
            var voided = Assert.Single(await db.AuditEvents.Where(a => a.Action == "score.voided").ToListAsync());
            Assert.Equal("co_1", voided.Actor);
            Assert.Contains("与第一条重复录入", voided.Detail);
            Assert.Single(await db.AuditEvents.Where(a => a.Action == "score.upheld" && a.Actor == "co_1").ToListAsync());
            Assert.Single(await db.AuditEvents.Where(a => a.Action == "score.contested" && a.Actor == "d_jt").ToListAsync());
        }

        // The verified item counts in the ranking; the voided one does not.
        Assert.Matches("县教体局</td><td>98<", await county.GetStringAsync("/console/rankings"));
        Assert.Matches("县民政局</td><td>100<", await county.GetStringAsync("/console/rankings"));
    }

    private const string HouseholdsHeader = "household_no,head_name,id_number,phone,village_code,category,members,income_per_capita,contact_userid\n";

    [Fact]
    public async Task RosterImport_ShouldShowRowErrorsWithLines_AndImportNothingWhenTheFileIsRejected()
    {
        var town = await _h.SignInAsync("to_a");
        Assert.Equal(HttpStatusCode.Forbidden, (await town.GetAsync("/console/import")).StatusCode);
        Assert.DoesNotContain("/console/import", await town.GetStringAsync("/console"));
        var refused = await UploadAsync(town, "/console/import", "h.csv", HouseholdsHeader + "H-X,王二,110101199003077774,,530101002,,2,6000,\n", ("kind", "households"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var county = await _h.SignInAsync("co_1");
        Assert.Contains("household_no,head_name,id_number", await county.GetStringAsync("/console/import"));
        var csv = HouseholdsHeader + "H-A2-001,王二,110101199003077774,13800000003,530101002,,2,6000,\nH-A2-002,赵三,530101198001010010,,530101002,,3,5000,\n";
        var r = await UploadAsync(county, "/console/import", "households.csv", csv, ("kind", "households"));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("新增 1", html);
        Assert.Contains("拒绝 1", html);
        Assert.Matches("第3行</td><td[^>]*>[^<]*身份证", html);
        Assert.DoesNotContain("530101198001010010", html); // the refused ID is masked in the answer
        using (var db = _h.F.NewDb())
        {
            Assert.True(await db.Households.AnyAsync(h => h.HouseholdNo == "H-A2-001"));
            Assert.False(await db.Households.AnyAsync(h => h.HouseholdNo == "H-A2-002"));
            Assert.Single(await db.AuditEvents.Where(a => a.Action == "roster.imported" && a.Actor == "co_1").ToListAsync());
        }

        // A wrong header: the file is refused whole, with its line, and nothing is imported.
        r = await UploadAsync(county, "/console/import", "households.csv", "household_no,head_name\nH-A2-003,孙四\n", ("kind", "households"));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        html = await r.Content.ReadAsStringAsync();
        Assert.Contains("第1行", html);
        Assert.Contains("缺少列", html);
        Assert.Contains("没有导入任何数据", html);
        using (var db = _h.F.NewDb()) Assert.False(await db.Households.AnyAsync(h => h.HouseholdNo == "H-A2-003"));

        // Without the antiforgery token the upload is refused.
        var bare = new MultipartFormDataContent { { new StringContent("households"), "kind" }, { new StringContent(csv), "file", "h.csv" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await county.PostAsync("/console/import", bare)).StatusCode);
    }

    [Fact]
    public async Task Holidays_ShouldCheckAnUploadedYearAndStoreItForAllInstances_OnlyForTheCountyOffice()
    {
        var county = await _h.SignInAsync("co_1");
        Assert.Contains("2024、2025、2026", await county.GetStringAsync("/console/holidays"));
        var good = """{"year":2027,"source":"国务院办公厅关于2027年部分节假日安排的通知","days":[{"date":"2027-01-01","name":"元旦","isOffDay":true},{"date":"2027-02-07","name":"春节","isOffDay":false}]}""";

        var r = await UploadAsync(county, "/console/holidays", "2027.json", """{"year":2027,"days":[{"date":"2028-01-01","name":"元旦","isOffDay":true},{"date":"2027-01-02","isOffDay":"yes"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("不在 2027 年", html);
        Assert.Contains("缺少节日名称", html);
        Assert.Contains("isOffDay 应是 true", html);
        Assert.Contains("文件没有保存", html);
        r = await UploadAsync(county, "/console/holidays", "2027.json", "not json");
        Assert.Contains("不是有效的 JSON", await r.Content.ReadAsStringAsync());
        using (var db = _h.F.NewDb()) Assert.False(await db.KeyValues.AnyAsync(k => k.Key.StartsWith(RapidResponse.Domain.Calendar.HolidayStore.KeyPrefix)));

        var town = await _h.SignInAsync("to_a");
        Assert.DoesNotContain("holiday-file", await town.GetStringAsync("/console/holidays"));
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(town, "/console/holidays", "2027.json", good)).StatusCode);

        r = await UploadAsync(county, "/console/holidays", "anything.json", good);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        html = await r.Content.ReadAsStringAsync();
        Assert.Contains("1个放假日、1个调休上班日", html);
        Assert.Contains("已保存，现在起生效", html);
        Assert.Contains("data-testid=\"years\">2024、2025、2026、2027<", html);
        // Stored in the database, where every instance reads it — not in one machine's folder.
        Assert.Empty(Directory.GetFiles(_h.HolidayDirectory));
        using (var db = _h.F.NewDb())
            Assert.Equal(good, (await db.KeyValues.SingleAsync(k => k.Key == RapidResponse.Domain.Calendar.HolidayStore.KeyPrefix + "2027")).Value);

        // The same year again replaces it, audited both times.
        r = await UploadAsync(county, "/console/holidays", "2027.json", good.Replace("2027-02-07", "2027-02-20"));
        Assert.Contains("并替换了原来上传的数据", await r.Content.ReadAsStringAsync());
        using var check = _h.F.NewDb();
        Assert.Equal(2, await check.AuditEvents.CountAsync(a => a.Action == "calendar.uploaded" && a.Actor == "co_1"));
        Assert.Contains("2027-02-20", (await check.KeyValues.SingleAsync(k => k.Key == RapidResponse.Domain.Calendar.HolidayStore.KeyPrefix + "2027")).Value);
    }

    [Fact]
    public async Task FailedInboxRow_ShouldBeListedMaskedAndHandledAgain_WhenTheCountyOfficeRequeuesIt()
    {
        long id;
        using (var db = _h.F.NewDb())
        {
            var m = new Inbound(InboundChannel.App, "gm_a1", "m-failed-1", InboundKind.Text, _h.F.Time.GetUtcNow(), Text: "你好 13812345678");
            var row = new InboxMessage
            {
                Channel = InboundChannel.App, DedupeKey = "app|m-failed-1", SenderId = "gm_a1", Kind = "text", Payload = JsonSerializer.Serialize(m, InboxWriter.Json),
                ReceivedAt = _h.F.Time.GetUtcNow(), Status = InboxStatus.Failed, Attempts = 5, Error = "database is locked",
            };
            db.Inbox.Add(row);
            await db.SaveChangesAsync();
            id = row.Id;
        }

        var town = await _h.SignInAsync("to_a");
        Assert.Equal(HttpStatusCode.Forbidden, (await town.GetAsync("/console/outbox")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(town, $"/console/inbox/{id}/requeue")).StatusCode);

        var county = await _h.SignInAsync("co_1");
        var page = await county.GetStringAsync("/console/outbox");
        Assert.Contains("data-testid=\"failed-inbox\"", page);
        Assert.Contains("database is locked", page);
        Assert.Contains("138****5678", page);
        Assert.DoesNotContain("13812345678", page);
        Assert.Contains($"data-testid=\"retry-{id}\"", page);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(county, $"/console/inbox/{id}/requeue")).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        InboxStatus status;
        do
        {
            await Task.Delay(100);
            using var db = _h.F.NewDb();
            status = (await db.Inbox.AsNoTracking().SingleAsync(x => x.Id == id)).Status;
        } while (status != InboxStatus.Processed && DateTime.UtcNow < deadline);
        Assert.Equal(InboxStatus.Processed, status);
        Assert.Contains("没有处理失败的消息", await county.GetStringAsync("/console/outbox"));
        var again = await PostAsync(county, $"/console/inbox/{id}/requeue");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("已经处理完成", await again.Content.ReadAsStringAsync());
        using (var db = _h.F.NewDb())
            Assert.Single(await db.AuditEvents.Where(a => a.Action == "inbox.retried" && a.Actor == "co_1").ToListAsync());
    }

    [Fact]
    public async Task Doctor_ShouldShowTheChecklistWithFixes_ToTheCountyOfficeOnly()
    {
        var county = await _h.SignInAsync("co_1");
        var html = await county.GetStringAsync("/console/doctor");
        Assert.Contains("✔</span> 应用 Secret（WeCom:Secret）能取得 access_token", html);
        Assert.Contains("✔</span> 本服务器IP在企业可信IP中", html);
        Assert.Contains("名单里的 4 个群都有 chat_id 或 webhook_key", html);
        // The test host configures no 微信客服 account: that line fails, with its fix.
        Assert.Contains("✘</span> 配置了微信客服账号（WeCom:Kf:OpenKfIds）<br><span class=\"muted\">解决：</span>在微信客服后台创建客服账号", html);
        Assert.Contains("项未通过", html);

        foreach (var who in new[] { "to_a", "d_jt", "cl_1" })
            Assert.Equal(HttpStatusCode.Forbidden, (await (await _h.SignInAsync(who)).GetAsync("/console/doctor")).StatusCode);
    }

    [Fact]
    public async Task DutyList_ShouldListWhoReportedAndWhoDidNot_AsAPageAndAsExcel()
    {
        using (var db = _h.F.NewDb())
        {
            var bj = TimeSpan.FromHours(8);
            await DepartmentReports.SubmitAsync(db, "JT", "2026-09", "d_jt", "=HYPERLINK(\"http://x\") 自查发现问题2条，已整改2条", new DateTimeOffset(2026, 10, 5, 16, 0, 0, bj));
            await DepartmentReports.SubmitAsync(db, "WJ", "2026-09", "d_wj", "自查发现问题1条，已整改", new DateTimeOffset(2026, 10, 8, 10, 0, 0, bj));
            await db.SaveChangesAsync();
        }

        var county = await _h.SignInAsync("co_1");
        var html = await county.GetStringAsync("/console/duty");
        Assert.Contains("2026年9月月报", html);
        Assert.Contains("已报送 2，未报送 4", html);
        Assert.Contains("href=\"/console/duty.xlsx?month=2026-09\"", html);

        var rows = await DutyAsync(county, "/console/duty.xlsx?month=2026-09");
        Assert.Equal(6, rows.Count);
        Assert.Equal(["JT", "MZ", "RS", "WJ", "YB", "ZJ"], rows.Select(r => (string)r["单位代码"]));
        var jt = rows.Single(r => (string)r["单位代码"] == "JT");
        Assert.Equal(("县教体局", "按时报送", "2026-10-05 16:00", "杨教体", "2026-10-05 23:59"), ((string)jt["单位"], (string)jt["状态"], (string)jt["报送时间"], (string)jt["报送人"], (string)jt["截止时间"]));
        Assert.StartsWith("'=HYPERLINK", (string)jt["报送内容"]);
        Assert.Equal("逾期报送", rows.Single(r => (string)r["单位代码"] == "WJ")["状态"]);
        Assert.Equal("未报送", rows.Single(r => (string)r["单位代码"] == "MZ")["状态"]);
        Assert.Equal("相关单位", rows.Single(r => (string)r["单位代码"] == "RS")["类别"]);

        // A department sees its own row; a township nothing.
        var dept = await _h.SignInAsync("d_wj");
        Assert.Equal(["WJ"], (await DutyAsync(dept, "/console/duty.xlsx?month=2026-09")).Select(r => (string)r["单位代码"]));
        var town = await _h.SignInAsync("to_a");
        Assert.Equal(HttpStatusCode.Forbidden, (await town.GetAsync("/console/duty.xlsx?month=2026-09")).StatusCode);

        // This month: nobody has reported, the due day has not come.
        Assert.All(await DutyAsync(county, "/console/duty.xlsx?month=2026-10"), r => Assert.Equal("未报送（未到截止时间）", r["状态"]));
        var bad = await county.GetAsync("/console/duty.xlsx?month=2026/9");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("2026-09", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await county.GetAsync("/console/duty.xlsx?month=2026-11")).StatusCode);
    }

    private static async Task<List<IDictionary<string, object>>> DutyAsync(HttpClient c, string url)
    {
        var r = await c.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r.Content.Headers.ContentType!.MediaType);
        using var ms = new MemoryStream(await r.Content.ReadAsByteArrayAsync());
        var rows = ms.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(RapidResponse.Bot.CountyConsole.DutyPage.Columns, rows[0].Keys);
        return rows;
    }
}
