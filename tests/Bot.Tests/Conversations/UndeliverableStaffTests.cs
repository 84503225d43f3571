using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Bot.WeCom.Simulator;

namespace RapidResponse.Bot.Tests.Conversations;

/// <summary>
/// Issue 11 item 5: the rule-keeping fake WeCom (WeCom/Simulator) has a member who is not activated, outside the visible
/// range or unlicensed, and answers a send to them with <c>invaliduser</c> / <c>unlicenseduser</c> (81013 when nobody else
/// is in the send). The whole bot (Program) on a real SQLite file: the person is marked on the roster, the county
/// office is told once, the intake task moves to the township with the reason, the admin API lists the person, and a
/// later successful send clears the mark.
/// </summary>
public sealed class UndeliverableStaffTests
{
    private const string SendPath = "/cgi-bin/message/send";

    [Fact]
    public async Task Send_ShouldMarkPersonNoticeOfficeOnceAndMoveTaskUp_WhenWeComReportsTheRecipientInvalid()
    {
        using var f = new BotFactory().WithWeCom();
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var chat = new ChatDriver(f);
        // The rule-keeper: 王网格's account is not activated, so a card to him alone is refused with 81013.
        f.WeCom!.Simulator.SetMember("gm_a1", MemberStatus.Inactive);

        // A farmer in 李树村 reports: the intake card goes to the grid monitor 王网格 (gm_a1), whom WeCom cannot reach.
        await Report(f, http, "villager_liu", "刘一");
        await WaitAsync(f, async db => await db.Assignments.AnyAsync(a => a.EscalatedTo != null), "intake task moved up");
        await DrainedAsync(f);

        string phone;
        await using (var db = f.NewDb())
        {
            var gm = await db.Staff.AsNoTracking().FirstAsync(s => s.UserId == "gm_a1");
            phone = gm.Phone!;
            Assert.Equal("账号未激活或不在应用可见范围（企业微信报告该账号无效）", gm.UndeliverableReason);
            Assert.Equal(f.Time.GetUtcNow(), gm.UndeliverableSince);
            var task = await db.Assignments.AsNoTracking().SingleAsync(a => a.EscalatedTo != null);
            Assert.Equal("gm_a1", task.AssigneeId); // still the responsible person …
            Assert.Equal("to_a", task.EscalatedTo); // … held meanwhile by the township officer
            Assert.Contains("王网格", task.EscalationReason);
            Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "task.escalated_undeliverable"));
        }

        var notice = Assert.Single(chat.TextsTo("co_1"), t => t.Contains("无法送达"));
        Assert.Contains("王网格", notice);
        Assert.Contains("账号未激活或不在应用可见范围", notice);
        Assert.Contains(phone[..3] + "****" + phone[^4..], notice);
        Assert.DoesNotContain(phone, notice);
        var moved = Assert.Single(chat.CardsTo("to_a"), c => c.Title.StartsWith("受理", StringComparison.Ordinal));
        Assert.Contains(moved.Fields, x => x.Label == "转办原因" && x.Value.Contains("王网格") && x.Value.Contains("账号未激活"));
        // The moved card reached WeCom under its own task_id (the refused one is never reused).
        Assert.Contains(f.WeComCalls(SendPath), b => b.GetProperty("touser").GetString() == "to_a" && b.GetRawText().Contains(moved.TaskId));
        Assert.DoesNotContain(chat.CardsTo("gm_a1"), c => c.TaskId == moved.TaskId);

        // The township officer holds it now and may act on it.
        Assert.Equal("已受理", await new WeComUser(f, http, "to_a").ClickAsync(moved.TaskId, "accept"));
        await using (var db = f.NewDb())
            Assert.NotNull((await db.Assignments.AsNoTracking().SingleAsync(a => a.TaskId == RapidResponse.Bot.Conversations.CardRows.TaskOf(moved.TaskId))).CompletedAt);

        // Listed by the admin API, phone masked.
        var list = await f.AdminClient().GetFromJsonAsync<JsonElement>("/api/staff/undeliverable");
        var row = Assert.Single(list.EnumerateArray());
        Assert.Equal("gm_a1", row.GetProperty("userId").GetString());
        Assert.Equal("网格监测员", row.GetProperty("role").GetString());
        Assert.Equal(phone[..3] + "****" + phone[^4..], row.GetProperty("phone").GetString());
        Assert.Contains("账号未激活", row.GetProperty("reason").GetString());

        // A second case: its card fails the same way and moves too, but the county office is not told again.
        f.Time.Advance(TimeSpan.FromMinutes(10));
        await Report(f, http, "villager_zhou", "周二");
        await WaitAsync(f, async db => await db.Assignments.CountAsync(a => a.EscalatedTo == "to_a") == 2, "second intake moved up");
        await DrainedAsync(f);
        Assert.Single(chat.TextsTo("co_1"), t => t.Contains("无法送达"));
        Assert.Equal(2, chat.CardsTo("to_a").Count(c => c.Title.StartsWith("受理", StringComparison.Ordinal)));

        // The account is activated: the next successful send to gm_a1 clears the mark.
        Assert.Contains(f.WeCom.Simulator.Exchanges, e => e.ErrCode == 81013);
        f.WeCom.Simulator.SetMember("gm_a1", MemberStatus.Active);
        await new WeComUser(f, http, "gm_a1").SayAsync("帮助");
        await WaitAsync(f, async db => (await db.Staff.AsNoTracking().FirstAsync(s => s.UserId == "gm_a1")).UndeliverableSince == null, "mark cleared");
        Assert.Null((await f.NewDb().Staff.AsNoTracking().FirstAsync(s => s.UserId == "gm_a1")).UndeliverableReason);
        Assert.Empty((await f.AdminClient().GetFromJsonAsync<JsonElement>("/api/staff/undeliverable")).EnumerateArray());
    }

    [Theory]
    [InlineData(MemberStatus.Inactive, "账号未激活或不在应用可见范围")]
    [InlineData(MemberStatus.OutOfRange, "账号未激活或不在应用可见范围")]
    [InlineData(MemberStatus.Unlicensed, "未分配许可")]
    public async Task Send_ShouldMarkTheOfficerButKeepTheTask_WhenAnotherHolderOfTheDepartmentIsReachable(MemberStatus status, string reason)
    {
        using var f = new BotFactory().WithWeCom();
        var http = f.CreateClient();
        using (var db = f.NewDb())
        {
            TestRoster.Seed(db);
            db.Staff.Add(new RapidResponse.Domain.Roster.Staff { UserId = "d_wj2", Name = "二号卫健", Role = RapidResponse.Domain.Roster.StaffRole.DepartmentOfficer, RegionCode = TestRoster.County, DepartmentCode = "WJ" });
            db.SaveChanges();
        }

        // 卫健's card goes to both officers in one send; WeCom delivers to d_wj2 and lists d_wj (invaliduser / unlicenseduser).
        f.WeCom!.Simulator.SetMember("d_wj", status);
        await Report(f, http, "villager_liu", "刘一");
        Assert.Equal("已受理", await new WeComUser(f, http, "gm_a1").ClickAsync(new ChatDriver(f).CardsTo("gm_a1").Last().TaskId, "accept"));
        await WaitAsync(f, async db => (await db.Staff.AsNoTracking().FirstAsync(s => s.UserId == "d_wj")).UndeliverableSince != null, "d_wj marked");
        await DrainedAsync(f);

        await using var check = f.NewDb();
        Assert.StartsWith(reason, (await check.Staff.AsNoTracking().FirstAsync(s => s.UserId == "d_wj")).UndeliverableReason);
        Assert.Null((await check.Staff.AsNoTracking().FirstAsync(s => s.UserId == "d_wj2")).UndeliverableSince);
        var answer = f.WeCom.Simulator.Exchanges.Last(e => e.Path == SendPath && e.RequestBody.Contains("d_wj2"));
        Assert.Equal(0, answer.ErrCode);
        Assert.Contains("d_wj", answer.ResponseBody);
        // 卫健's comparison task still reaches d_wj2: nothing moves, but the county office hears of d_wj once.
        Assert.False(await check.Assignments.AnyAsync(a => a.EscalatedTo != null));
        Assert.Single(new ChatDriver(f).TextsTo("co_1"), t => t.Contains("蒋卫健") && t.Contains(reason));
    }

    private static async Task Report(BotFactory f, HttpClient http, string farmerId, string name)
    {
        var farmer = new WeComUser(f, http, farmerId);
        await farmer.SayAsync($"申报\n姓名：{name}\n身份证号：{TestRoster.IdUnknown}\n村：李树村\n困难类型：因病\n情况说明：住院花费大\n联系电话：13800009999");
        await farmer.SayAsync("确认");
    }

    private static async Task WaitAsync(BotFactory f, Func<BotDb, Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await using (var db = f.NewDb())
                if (await condition(db)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting for: " + what);
            await Task.Delay(30);
        }
    }

    private static Task DrainedAsync(BotFactory f) =>
        WaitAsync(f, async db => !await db.Outbox.AnyAsync(o => o.Status == OutboxStatus.Pending || o.Status == OutboxStatus.Sending), "outbox drained");
}
