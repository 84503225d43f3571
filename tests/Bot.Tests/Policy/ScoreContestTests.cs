using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Bulletins;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Scoring;

namespace RapidResponse.Bot.Tests.Policy;

/// <summary>方城 附件3 ① 佐证核实 through the real path: admin API entry, the department's card and chat, the county office's decision.</summary>
public sealed class ScoreContestTests
{
    private sealed record Created(long Id, string Status);

    [Fact]
    public async Task FC附件3_ContestedDeduction_ShouldBeVoidedByTheCountyOffice_AndNeverCount()
    {
        using var f = new BotFactory().WithWeCom();
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var chat = new ChatDriver(f);
        using var admin = f.AdminClient();

        var posted = await admin.PostAsJsonAsync("/api/score-events", new { departmentCode = "JT", quarter = "2026-Q4", ruleCode = "D1", reason = "暗访发现控辍保学问题未主动报告", enteredBy = "褚办公室" });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var item = (await posted.Content.ReadFromJsonAsync<Created>())!;
        Assert.Equal("Pending", item.Status);

        // The department's card: 属实 / 有异议, due in 2 working days (10-12 → 10-14).
        var card = Assert.Single(chat.CardsTo("d_jt"));
        Assert.StartsWith(ScoreVerification.TaskPrefix, card.TaskId);
        Assert.Contains(card.Fields, x => x.Value.StartsWith("10月14日24时前"));
        // Another department cannot answer it.
        Assert.Equal("无权办理", await new WeComUser(f, http, "d_mz").ClickAsync(card.TaskId, ScoreVerification.ContestKey));

        var jt = new WeComUser(f, http, "d_jt");
        Assert.Equal("请在对话中写明异议理由", await jt.ClickAsync(card.TaskId, ScoreVerification.ContestKey));
        await jt.SayAsync("不对");
        Assert.Contains("至少4个字", chat.LastTextTo("d_jt"));
        await jt.SayAsync("该生10月9日已由学校主动上报，附报送记录截图");
        Assert.Contains("异议已提交县级办公室裁定", chat.LastTextTo("d_jt"));
        Assert.Contains("异议理由：该生10月9日已由学校主动上报", chat.LastTextTo("co_1"));

        // While contested it does not count; the quarterly bulletin lists it as 有异议待裁定.
        await using (var scope = f.Services.CreateAsyncScope())
        {
            var q = await scope.ServiceProvider.GetRequiredService<QuarterlyBulletinQuery>().ComputeAsync(new QuarterPeriod(2026, 4), true);
            Assert.Equal(100, q.Departments.CloseMonitoring.Single(d => d.Code == "JT").Score);
            Assert.Equal(ScoreStatus.Contested, Assert.Single(q.Pending).Status);
        }

        var bad = await admin.PostAsJsonAsync($"/api/score-events/{item.Id}/decide", new { reason = "", decidedBy = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        foreach (var field in new[] { "uphold", "reason", "decidedBy" }) Assert.Contains(field, await bad.Content.ReadAsStringAsync());
        var decided = await admin.PostAsJsonAsync($"/api/score-events/{item.Id}/decide", new { uphold = false, reason = "核实学校报送记录，异议成立", decidedBy = "褚办公室" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Equal("Voided", (await decided.Content.ReadFromJsonAsync<Created>())!.Status);
        // A voided item cannot be confirmed afterwards.
        Assert.NotEqual("已确认属实", await jt.ClickAsync(card.TaskId, ScoreVerification.ConfirmKey));

        await using (var scope = f.Services.CreateAsyncScope())
        {
            var q = await scope.ServiceProvider.GetRequiredService<QuarterlyBulletinQuery>().ComputeAsync(new QuarterPeriod(2026, 4), true);
            Assert.Equal(100, q.Departments.CloseMonitoring.Single(d => d.Code == "JT").Score);
            Assert.Empty(q.Pending);
        }
        using var check = f.NewDb();
        var actions = await check.AuditEvents.Where(a => a.Action.StartsWith("score.")).OrderBy(a => a.Id).Select(a => a.Action + "/" + a.Actor).ToListAsync();
        Assert.Equal(["score.entered/test-suite", "score.contested/d_jt", "score.voided/褚办公室"], actions);

        // The county office may also void an item outright (an entry error), audited; never twice.
        var other = (await (await admin.PostAsJsonAsync("/api/score-events", new { departmentCode = "MZ", quarter = "2026-Q4", ruleCode = "D2", reason = "自查问题未及时整改（录入错误）", enteredBy = "褚办公室" }))
            .Content.ReadFromJsonAsync<Created>())!;
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/score-events/{other.Id}/void", new { reason = "", voidedBy = "褚办公室" })).StatusCode);
        // Its 佐证核实 card has reached 民政 (属实 / 有异议 still open) before the item is voided.
        var mzTask = Assert.Single(chat.CardsTo("d_mz")).TaskId;
        await KfCustomer.OutboxDrainedAsync(f);
        Assert.Null(f.WeCom!.Simulator.CardOf("d_mz", mzTask)!.ReplaceName);
        var before = f.WeCom.Simulator.Exchanges.Count;
        var voided = await admin.PostAsJsonAsync($"/api/score-events/{other.Id}/void", new { reason = "录入错误，部门不对", voidedBy = "褚办公室" });
        Assert.Equal("Voided", (await voided.Content.ReadFromJsonAsync<Created>())!.Status);
        // The open card ends on 已作废 for its holder (update_template_card through the outbox; the simulator refuses a
        // target that does not hold the task) and 民政 is told why.
        await KfCustomer.OutboxDrainedAsync(f);
        Assert.Equal("已作废", f.WeCom.Simulator.CardOf("d_mz", mzTask)!.ReplaceName);
        Assert.Contains(f.WeCom.Simulator.Exchanges.Skip(before), x => x.Path == "/cgi-bin/message/update_template_card" && x.RequestBody.Contains("d_mz"));
        Assert.DoesNotContain(f.WeCom.Simulator.Exchanges.Skip(before), x => x.Refused);
        Assert.Contains("作废理由：录入错误，部门不对", chat.LastTextTo("d_mz"));
        Assert.Equal("已作废", await new WeComUser(f, http, "d_mz").ClickAsync(mzTask, ScoreVerification.ConfirmKey));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/score-events/{other.Id}/void", new { reason = "再次作废一次", voidedBy = "褚办公室" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/score-events/999/void", new { reason = "录入错误，部门不对", voidedBy = "褚办公室" })).StatusCode);
        using var check2 = f.NewDb();
        Assert.Equal(2, await check2.AuditEvents.CountAsync(a => a.Action == "score.voided"));
    }

    [Fact]
    public async Task FC附件3_CountyOfficeUnit_ShouldNotBeRanked_ButListedWithItsPostEvaluation()
    {
        using var f = new BotFactory();
        using (var db = f.NewDb())
        {
            TestRoster.Seed(db);
            db.Departments.Add(new Domain.Roster.Department { Code = "XZ", Name = "县乡村振兴局", Kind = Domain.Roster.DepartmentKind.CountyOffice });
            db.SaveChanges();
        }
        using var admin = f.AdminClient();
        var refused = await admin.PostAsJsonAsync("/api/score-events", new { departmentCode = "XZ", quarter = "2026-Q4", ruleCode = "B2C", reason = "经验被市里宣传推介", enteredBy = "褚办公室" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("post-evaluations", await refused.Content.ReadAsStringAsync());
        var ok = await admin.PutAsJsonAsync("/api/post-evaluations", new { departmentCode = "XZ", quarter = "2026-Q4", result = "好（综合评价第一等次）", enteredBy = "褚办公室" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/post-evaluations", new { departmentCode = "JT", quarter = "2026-Q4", result = "好", enteredBy = "褚办公室" })).StatusCode);

        await using var scope = f.Services.CreateAsyncScope();
        var q = await scope.ServiceProvider.GetRequiredService<QuarterlyBulletinQuery>().ComputeAsync(new QuarterPeriod(2026, 4), true);
        Assert.DoesNotContain(q.Departments.CloseMonitoring.Concat(q.Departments.Related), d => d.Code == "XZ");
        Assert.Equal(new CountyOfficeResult("XZ", "县乡村振兴局", "好（综合评价第一等次）"), Assert.Single(q.CountyOffices));
        var text = scope.ServiceProvider.GetRequiredService<RapidResponse.Scheduler.Bulletins.BulletinViews>().Quarterly(q);
        Assert.Contains("县乡村振兴局：好（综合评价第一等次）", text);
    }
}
