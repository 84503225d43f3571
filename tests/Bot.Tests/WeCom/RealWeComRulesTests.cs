using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Inbox;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.WeCom;

/// <summary>
/// The flows WeCom's own rules shape (wecom-protocol notes §12), end to end through the real callbacks against the
/// rule-keeping fake WeCom: cards of tasks with several holders, slow clicks, 微信客服's 48-hour window, welcomes, enter_agent.
/// </summary>
public sealed class RealWeComRulesTests
{
    private static (BotFactory F, HttpClient Http, ChatDriver Chat) Start()
    {
        var f = new BotFactory().WithWeCom();
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        return (f, http, new ChatDriver(f));
    }

    private static string TaskFor(ChatDriver chat, string user, string titleStart) =>
        chat.CardsTo(user).Last(c => c.Title.StartsWith(titleStart, StringComparison.Ordinal)).TaskId;

    private static string OneShot(string id, string name, string phone) =>
        $"申报\n姓名：{name}\n身份证号：{id}\n村：李树村\n困难类型：因病\n情况说明：丈夫住院，自付医疗费三万元\n联系电话：{phone}";

    [Fact]
    public async Task SlowClick_ShouldStillEndEveryHoldersCardFinal_WhenTheActionTakesLongerThanWeComsFiveSeconds()
    {
        var (f, http, chat) = Start();
        using var _ = f;
        using (var db = f.NewDb())
        {
            db.Staff.Add(new RapidResponse.Domain.Roster.Staff { UserId = "d_wj2", Name = "二号卫健", Role = RapidResponse.Domain.Roster.StaffRole.DepartmentOfficer, RegionCode = TestRoster.County, DepartmentCode = "WJ" });
            await db.SaveChangesAsync();
        }
        await new WeComUser(f, http, "villager_liu").SayAsync(OneShot(TestRoster.IdUnknown, "刘一", "13800009999"));
        await new WeComUser(f, http, "villager_liu").SayAsync("确认");
        await KfCustomer.OutboxDrainedAsync(f); // a card can be clicked once it has arrived
        await new WeComUser(f, http, "gm_a1").ClickAsync(TaskFor(chat, "gm_a1", "受理"), "accept");
        await KfCustomer.OutboxDrainedAsync(f);
        var task = TaskFor(chat, "d_wj", "信息比对");

        // The database is busy for 6 s (the inbox write gate held): the click's answer misses WeCom's 5 s window.
        var gate = f.Services.GetRequiredService<InboxWriteGate>();
        var held = await gate.EnterAsync(CancellationToken.None);
        var release = Task.Run(async () => { await Task.Delay(6000); held.Dispose(); });
        var passive = await new WeComUser(f, http, "d_wj2").ClickAsync(task, "no_anomaly");
        await release;
        await chat.WaitIdleAsync();
        await KfCustomer.OutboxDrainedAsync(f);

        var sim = f.WeCom!.Simulator;
        foreach (var holder in new[] { "d_wj", "d_wj2" })
            Assert.Equal("已比对无异常（二号卫健）", sim.CardOf(holder, task)!.ReplaceName);
        // The clicker's card was set by update_template_card, not by a late passive reply WeCom would have ignored.
        Assert.StartsWith("update:", sim.CardOf("d_wj2", task)!.How);
        Assert.Empty(sim.Exchanges.Where(e => e.Refused).Select(e => $"{e.Path} {e.ErrCode} {e.RequestBody}"));
        Assert.NotEqual("处理中…", passive);
    }

    [Fact]
    public async Task KfDecision_ShouldBeHeldAndTheVillageTasked_WhenItComes49HoursAfterTheFarmersLastMessage()
    {
        var (f, http, chat) = Start();
        using var _ = f;
        var farmer = new KfCustomer(f, http, "wmFarmerLi");
        await farmer.SayAsync(OneShot(TestRoster.IdLi, "李小花", "13800000002"));
        await farmer.SayAsync("确认");
        Assert.Contains(farmer.Received(), t => t.Contains("YL-2026-000001") && t.Contains("当面或电话告知"));

        // 49 hours later the village sets the clue aside: the farmer's window is closed.
        f.Time.Advance(TimeSpan.FromHours(49));
        var gm = new WeComUser(f, http, "gm_a1");
        await gm.ClickAsync(TaskFor(chat, "gm_a1", "受理"), "invalid");
        await gm.SayAsync("与村里已登记的困难重复，已在帮扶中");
        await KfCustomer.OutboxDrainedAsync(f);

        var sim = f.WeCom!.Simulator;
        Assert.DoesNotContain(sim.CallsTo("/cgi-bin/kf/send_msg"), e => e.ErrCode == 95002);
        using (var db = f.NewDb())
        {
            var held = await db.Outbox.AsNoTracking().SingleAsync(o => o.Channel == OutboundChannel.Kf && o.Recipient == farmer.Id && o.Status == OutboxStatus.Pending);
            Assert.Equal(OutboxMessage.HeldForCustomer, held.NotBefore);
            Assert.DoesNotContain(db.Outbox.AsNoTracking().Where(o => o.Recipient == farmer.Id), o => o.Status == OutboxStatus.Dead);
            var notice = await db.FarmerNotices.SingleAsync();
            Assert.Equal("gm_a1", notice.AssigneeId);
        }
        // The village cadre's 1:1 card shows the outcome and the household's full phone, with 已告知.
        var card = chat.CardsTo("gm_a1").Single(c => c.Title.StartsWith("告知农户结果", StringComparison.Ordinal));
        Assert.Contains(card.Fields, x => x.Label == "联系电话" && x.Value == "13800000002");
        Assert.Equal("已告知", Assert.Single(card.Buttons).Text);

        // The farmer's next message gets the held notice first, then the answer to what they wrote.
        var before = farmer.Received().Count;
        await farmer.SayAsync("进度");
        var after = farmer.Received().Skip(before).ToList();
        Assert.Equal(2, after.Count);
        Assert.Contains("无效或重复线索", after[0]);
        Assert.Contains("YL-2026-000001", after[1]);

        Assert.Equal("已告知", await gm.ClickAsync(card.TaskId, "told"));
        await KfCustomer.OutboxDrainedAsync(f);
        using var check = f.NewDb();
        Assert.NotNull((await check.FarmerNotices.SingleAsync()).ToldAt);
        Assert.True(await check.AuditEvents.AnyAsync(a => a.Action == "farmer.told" && a.Actor == "gm_a1"));
        Assert.Equal("已告知（王网格）", sim.CardOf("gm_a1", card.TaskId)!.ReplaceName);
    }

    [Fact]
    public async Task KfSixthReply_ShouldWaitForTheNextCustomerMessage_WhenFiveRepliesWentToOne()
    {
        var (f, http, _) = Start();
        using var __ = f;
        var farmer = new KfCustomer(f, http, "wmSix");
        await farmer.SayAsync("你好");
        var first = farmer.Received().Count; // the welcome-less answer to 你好
        using (var db = f.NewDb())
        {
            for (var i = 1; i <= 6 - first; i++)
                db.Outbox.Add(new OutboxMessage
                {
                    Channel = OutboundChannel.Kf, Recipient = farmer.Id, OpenKfId = KfCustomer.Account, Kind = OutboundKind.Text,
                    Payload = OutboundPayload.Serialize(new TextBody($"通知{i}")), CreatedAt = f.Time.GetUtcNow(), NotBefore = f.Time.GetUtcNow(),
                });
            await db.SaveChangesAsync();
        }
        // Wait (real time, bounded) until the dispatcher has dealt with the rows: five delivered and no row in flight.
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            using var db = f.NewDb();
            if (farmer.Received().Count >= 5 && !await db.Outbox.AnyAsync(o => o.Recipient == farmer.Id && o.Status == OutboxStatus.Sending)) break;
        }
        Assert.Equal(5, farmer.Received().Count);
        var sim = f.WeCom!.Simulator;
        Assert.DoesNotContain(sim.CallsTo("/cgi-bin/kf/send_msg"), e => e.ErrCode == 95001);
        using (var db = f.NewDb())
            Assert.Equal(1, await db.Outbox.CountAsync(o => o.Recipient == farmer.Id && o.Status == OutboxStatus.Pending));

        f.Time.Advance(TimeSpan.FromMinutes(3));
        await farmer.SayAsync("还有吗");
        Assert.Contains(farmer.Received().Skip(5), t => t == $"通知{6 - first}");
    }

    [Fact]
    public async Task Welcome_ShouldGoOnceThroughTheWelcomeCode_AndNotAtAllWhenTheCodeExpired()
    {
        var (f, http, _) = Start();
        using var __ = f;
        var farmer = new KfCustomer(f, http, "wmWelcome");
        Assert.NotNull(await farmer.EnterAsync(sceneParam: "990101001001"));
        var sim = f.WeCom!.Simulator;
        var welcome = Assert.Single(sim.CallsTo("/cgi-bin/kf/send_msg_on_event"));
        Assert.False(welcome.Refused);
        Assert.Contains("msgmenu", welcome.RequestBody);
        Assert.Contains("申报", Assert.Single(farmer.Received()));
        Assert.Empty(sim.CallsTo("/cgi-bin/kf/send_msg")); // never send_msg before the customer wrote
        using (var db = f.NewDb())
            Assert.Equal("990101001001", (await db.KeyValues.SingleAsync(k => k.Key == "kf:scene:wmWelcome")).Value);

        // A second customer whose entry reaches the bot 30 s late: WeCom refuses the stale code; no welcome, nothing retried.
        var late = new KfCustomer(f, http, "wmLate");
        Assert.NotNull(await late.EnterAsync(notificationDelay: TimeSpan.FromSeconds(30)));
        Assert.Empty(late.Received());
        Assert.Contains(sim.CallsTo("/cgi-bin/kf/send_msg_on_event"), e => e.ErrCode == 95017);
        Assert.DoesNotContain(sim.CallsTo("/cgi-bin/kf/send_msg"), e => e.RequestBody.Contains("wmLate"));
    }

    [Fact]
    public async Task EnterAgent_ShouldAnswerWithHelpAtMostOncePerPersonPerDay()
    {
        var (f, http, chat) = Start();
        using var _ = f;
        var gm = new WeComUser(f, http, "gm_a1");
        async Task Enter() => await gm.PostAsync($"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><FromUserName><![CDATA[gm_a1]]></FromUserName>"
            + $"<CreateTime>{f.Time.GetUtcNow().ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event>"
            + "<EventKey><![CDATA[]]></EventKey><AgentID>1000002</AgentID></xml>");
        await Enter();
        await chat.WaitIdleAsync();
        f.Time.Advance(TimeSpan.FromHours(3));
        await Enter();
        await chat.WaitIdleAsync();
        Assert.Single(chat.TextsTo("gm_a1"));
        f.Time.Advance(TimeSpan.FromDays(1));
        await Enter();
        await chat.WaitIdleAsync();
        Assert.Equal(2, chat.TextsTo("gm_a1").Count);
    }

    [Fact]
    public async Task OfficerAddedLater_ShouldGetAFreshTaskCard_AndEveryCardOfTheTaskEndsFinal()
    {
        var (f, http, chat) = Start();
        using var _ = f;
        await new WeComUser(f, http, "villager_liu").SayAsync(OneShot(TestRoster.IdUnknown, "刘一", "13800009999"));
        await new WeComUser(f, http, "villager_liu").SayAsync("确认");
        await KfCustomer.OutboxDrainedAsync(f);
        await new WeComUser(f, http, "gm_a1").ClickAsync(TaskFor(chat, "gm_a1", "受理"), "accept");
        await KfCustomer.OutboxDrainedAsync(f);
        var task = TaskFor(chat, "d_wj", "信息比对");

        // A second 卫健 officer joins through the staff import: the sent card cannot gain a holder, so they get a new task_id.
        var csv = "wecom_userid,name,phone,role,region_code,department_code\nd_wj3,三号卫健,13900000333,department_officer," + TestRoster.County + ",WJ\n";
        var res = await f.AdminClient().PostAsync("/api/import/staff", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        Assert.True(res.IsSuccessStatusCode, await res.Content.ReadAsStringAsync());
        await KfCustomer.OutboxDrainedAsync(f);
        var fresh = TaskFor(chat, "d_wj3", "信息比对");
        Assert.Equal(task + "@2", fresh);
        var sim = f.WeCom!.Simulator;
        Assert.Equal(["d_wj3"], sim.HoldersOf(fresh));

        // The same file again brings nobody new: no further card. A fourth officer later gets the task's third card, to them alone.
        res = await f.AdminClient().PostAsync("/api/import/staff", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        Assert.True(res.IsSuccessStatusCode, await res.Content.ReadAsStringAsync());
        await KfCustomer.OutboxDrainedAsync(f);
        Assert.Single(chat.CardsTo("d_wj3"), c => c.Title.StartsWith("信息比对", StringComparison.Ordinal));
        csv += "d_wj4,四号卫健,13900000444,department_officer," + TestRoster.County + ",WJ\n";
        res = await f.AdminClient().PostAsync("/api/import/staff", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        Assert.True(res.IsSuccessStatusCode, await res.Content.ReadAsStringAsync());
        await KfCustomer.OutboxDrainedAsync(f);
        Assert.Equal(task + "@3", TaskFor(chat, "d_wj4", "信息比对"));
        Assert.Equal(["d_wj4"], sim.HoldersOf(task + "@3"));

        // The newcomer finishes it from their card: both cards of the task end on the final state.
        Assert.Equal("已比对无异常", await new WeComUser(f, http, "d_wj3").ClickAsync(fresh, "no_anomaly"));
        await KfCustomer.OutboxDrainedAsync(f);
        Assert.Equal("已比对无异常（三号卫健）", sim.CardOf("d_wj3", fresh)!.ReplaceName);
        Assert.Equal("已比对无异常（三号卫健）", sim.CardOf("d_wj", task)!.ReplaceName);
        Assert.DoesNotContain(sim.Exchanges, e => e.Refused);
        using var db = f.NewDb();
        Assert.True(await db.Assignments.AnyAsync(a => a.TaskId == task && a.CompletedBy == "d_wj3"));
    }
}
