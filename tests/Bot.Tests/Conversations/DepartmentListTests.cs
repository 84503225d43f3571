using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Cases;

namespace RapidResponse.Bot.Tests.Conversations;

public sealed class DepartmentListTests
{
    private const string Csv = "department_code,id_number,household_no,warning_type,date,note\n"
        + $"YB,{TestRoster.IdZhang},,自付医疗费超标,2026-09-30,住院自付3.2万元\n"
        + ",,H-A1-002,C级危房,2026-09-28,\n"
        + $"JT,{TestRoster.IdUnknown},,辍学,2026-09-20,\n"
        + "JT,,H-A1-002,辍学,2026/9/20,\n"
        + "ZJ,,H-A1-002,C级危房,2026-13-01,\n";

    [Fact]
    public async Task DepartmentList_ShouldOpenTriageCasesAndReportUnmatchedRows_WhenImportedTwice()
    {
        using var f = new BotFactory();
        var http = f.AdminClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);

        var first = await http.PostAsync("/api/import/department-list", new StringContent(Csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var r = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, r.GetProperty("created").GetInt32());
        var errors = r.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal([3, 4, 6], errors.Select(e => e.Item1));
        Assert.Contains("部门代码", errors[0].Item2);
        Assert.Contains("没有匹配的户", errors[1].Item2);
        Assert.DoesNotContain(TestRoster.IdUnknown, errors[1].Item2);
        Assert.Contains("日期", errors[2].Item2);

        var again = await (await http.PostAsync("/api/import/department-list", new StringContent(Csv, Encoding.UTF8, "text/csv"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, again.GetProperty("created").GetInt32());
        Assert.Equal(2, again.GetProperty("alreadyImported").GetInt32());

        using var check = f.NewDb();
        var cases = await check.Cases.Include(c => c.Stages).ThenInclude(s => s.Assignments).ToListAsync();
        Assert.Equal(2, cases.Count);
        Assert.All(cases, c => Assert.Equal(Channel.DepartmentList, c.Channel));
        Assert.Contains(cases, c => c.RiskTypes.SequenceEqual(["因病"]));
        Assert.Contains(cases, c => c.RiskTypes.SequenceEqual(["因学"]));
        // The cases were opened by the admin token's name (issue 12: the name is the actor of what the admin API enters).
        var opened = await check.AuditEvents.Where(a => a.Action == "case.created").ToListAsync();
        Assert.Equal(2, opened.Count);
        Assert.All(opened, a => Assert.Equal(BotFactory.AdminTokenName, a.Actor));
        // Routed to the villages: 张大山's contact person, 李小花's grid monitor; each got a card.
        var chat = new ChatDriver(f);
        Assert.Single(chat.CardsTo("vc_a1"));
        Assert.Single(chat.CardsTo("gm_a1"));
    }

    [Fact]
    public async Task DepartmentList_ShouldAnswer400WithTheColumns_WhenHeaderIsWrong()
    {
        using var f = new BotFactory();
        var http = f.AdminClient();
        var res = await http.PostAsync("/api/import/department-list", new StringContent("a,b\n1,2\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Contains("department_code", await res.Content.ReadAsStringAsync());
    }
}
