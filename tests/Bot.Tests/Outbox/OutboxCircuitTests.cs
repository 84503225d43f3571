using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Outbox;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Roster;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Outbox;

/// <summary>
/// Issue 11 item 6: a configuration fault (60020 untrusted IP …) stops the channel of its credential instead of killing
/// rows: rows stay pending, the county office is told once, a probe every <c>Outbox:CircuitProbeInterval</c> (fake clock)
/// resumes sending when WeCom answers again. Other credentials keep sending.
/// </summary>
public sealed class OutboxCircuitTests : IAsyncLifetime
{
    private const string ChatPath = "/cgi-bin/appchat/send";
    private const string HookPath = "/cgi-bin/webhook/send";
    private static readonly object UntrustedIp = new { errcode = 60020, errmsg = "not allow to access from your ip, hint: [1700000000_1_abc], from ip: 1.2.3.4, more info at https://open.work.weixin.qq.com/devtool/query?e=60020" };

    private BotFactory _host = null!;

    public async Task InitializeAsync() => _host = await OutboxRows.StartAsync();

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private int AppCalls => _host.Requests(OutboxRows.SendPath).Count + _host.Requests(ChatPath).Count;

    [Fact]
    public async Task Dispatch_ShouldKeepRowsAlertOnceAndResumeAfterTheProbe_WhenWeComAnswers60020ForTenMinutes()
    {
        await SeedOfficeAsync();
        var refusing = true;
        _host.WeCom!.Simulator.AddChat("chat1", "群聊", "zhangsan", "lisi");
        _host.WeCom.Fault(OutboxRows.SendPath, _ => refusing ? UntrustedIp : null);
        _host.WeCom.Fault(ChatPath, _ => refusing ? UntrustedIp : null);
        var t0 = _host.Time.GetUtcNow();
        var rows = await _host.SeedAsync(
            OutboxRows.Text("zhangsan", "甲"), OutboxRows.Text("lisi", "乙"), OutboxRows.Text("wangwu", "丙"),
            OutboxRows.Text("chat1", "群消息", OutboundChannel.AppChat), OutboxRows.Text("hook-1", "机器人消息", OutboundChannel.Webhook));

        // The robot has its own credential: it is not stopped.
        await _host.WaitForStatusAsync(rows[4].Id, OutboxStatus.Sent);
        var circuits = _host.Services.GetRequiredService<IOutboxCircuits>();
        await _host.WaitUntilAsync(async db => (await circuits.OpenCircuitsAsync()).Count == 1 && !await db.Outbox.AnyAsync(x => x.Status == OutboxStatus.Sending), "circuit open, batch done");
        await OutboxRows.SettleAsync();
        var open = Assert.Single(await circuits.OpenCircuitsAsync());
        Assert.Equal(OutboxCircuits.App, open.Key);
        Assert.Equal("60020", open.Code);
        Assert.Contains("企业可信IP", open.Fix);
        Assert.Equal(t0 + TimeSpan.FromMinutes(5), open.NextProbeAt);
        var refusedAtOnce = AppCalls;
        // Requests already in flight when the first 60020 came back may be refused too; nothing after.
        Assert.InRange(refusedAtOnce, 1, 4);

        // Ten minutes of 60020: only the probes at 5 and 10 minutes reach WeCom; no row dies; one alert.
        for (var minute = 1; minute <= 10; minute++)
        {
            _host.Time.Advance(TimeSpan.FromMinutes(1));
            var expected = refusedAtOnce + minute / 5;
            await _host.WaitUntilAsync(_ => Task.FromResult(AppCalls >= expected), $"probe by minute {minute}");
            await OutboxRows.SettleAsync();
            Assert.True(AppCalls == expected, $"minute {minute}: {AppCalls} calls, expected {expected}");
            await using var db = _host.NewDb();
            Assert.Equal(0, await db.Outbox.CountAsync(x => x.Status == OutboxStatus.Dead));
        }

        await using (var db = _host.NewDb())
        {
            var alert = Assert.Single(await db.Outbox.AsNoTracking().Where(x => x.DedupeKey!.StartsWith(OutboxAlerts.DedupePrefix)).ToListAsync());
            Assert.Equal("office1", alert.Recipient);
            Assert.Equal(OutboxStatus.Pending, alert.Status); // it goes through the stopped app too, once resumed
            var text = OutboundPayload.Deserialize<TextBody>(alert.Payload).Content;
            Assert.Contains("错误码 60020", text);
            Assert.Contains("企业可信IP", text);
            Assert.Contains("不会丢失", text);
            var waiting = await db.Outbox.AsNoTracking().Where(x => x.Id <= rows[3].Id).ToListAsync();
            Assert.All(waiting, r => Assert.Equal(OutboxStatus.Pending, r.Status));
            Assert.All(waiting, r => Assert.Equal(0, r.Attempts)); // the channel's fault costs the row no attempt
            var first = waiting.Single(r => r.Id == rows[0].Id);
            Assert.Contains("errcode 60020", first.LastError);
            Assert.DoesNotContain("more info", first.LastError);
        }

        Assert.Equal(t0 + TimeSpan.FromMinutes(15), Assert.Single(await circuits.OpenCircuitsAsync()).NextProbeAt);

        // The IP is whitelisted: the next probe goes through and everything waiting leaves, the alert included.
        refusing = false;
        _host.Time.Advance(TimeSpan.FromMinutes(4));
        await OutboxRows.SettleAsync();
        Assert.Equal(refusedAtOnce + 2, AppCalls); // no probe before its time
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.WaitUntilAsync(async db => await db.Outbox.CountAsync(x => x.Status != OutboxStatus.Sent) == 0, "all sent after the probe");
        Assert.Empty(await circuits.OpenCircuitsAsync());
        await using (var db = _host.NewDb())
            Assert.Single(await db.Outbox.AsNoTracking().Where(x => x.DedupeKey!.StartsWith(OutboxAlerts.DedupePrefix)).ToListAsync());
        var delivered = _host.Bodies(OutboxRows.SendPath).Concat(_host.Bodies(ChatPath)).Select(b => b["text"]?["content"]?.GetValue<string>()).ToList();
        foreach (var content in new[] { "甲", "乙", "丙", "群消息" }) Assert.Contains(content, delivered);
    }

    [Fact]
    public async Task Dispatch_ShouldStopOnlyThatRobot_WhenAWebhookAnswers93000()
    {
        await SeedOfficeAsync();
        // hook-good is a robot of the simulated corp, hook-bad is not: WeCom itself answers 93000 for it.
        _host.WeCom!.Simulator.AddRobot("hook-good");
        var rows = await _host.SeedAsync(
            OutboxRows.Text("hook-bad", "坏一", OutboundChannel.Webhook), OutboxRows.Text("hook-bad", "坏二", OutboundChannel.Webhook),
            OutboxRows.Text("hook-good", "好", OutboundChannel.Webhook), OutboxRows.Text("zhangsan", "应用消息"));

        await _host.WaitForStatusAsync(rows[2].Id, OutboxStatus.Sent);
        await _host.WaitForStatusAsync(rows[3].Id, OutboxStatus.Sent);
        // The alert to the county office goes through the app, which is fine.
        await _host.WaitUntilAsync(async db => await db.Outbox.AnyAsync(x => x.Recipient == "office1" && x.Status == OutboxStatus.Sent), "alert sent");
        await OutboxRows.SettleAsync();

        var open = Assert.Single(await _host.Services.GetRequiredService<IOutboxCircuits>().OpenCircuitsAsync());
        Assert.Equal(OutboxCircuits.WebhookKey("hook-bad"), open.Key);
        Assert.Equal("群机器人 ho***ad", open.Channel);
        Assert.DoesNotContain("hook-bad", JsonSerializer.Serialize(open));
        Assert.Equal(OutboxStatus.Pending, (await _host.RowAsync(rows[0].Id)).Status);
        Assert.Equal(OutboxStatus.Pending, (await _host.RowAsync(rows[1].Id)).Status);
        Assert.Single(_host.Requests(HookPath), e => e.RequestMessage.Body!.Contains("坏"));
    }

    [Fact]
    public async Task Dispatch_ShouldTakeOneProbe_WhenTwoDispatchersShareTheDatabase()
    {
        await SeedOfficeAsync();
        _host.WeCom!.Fail(OutboxRows.SendPath, UntrustedIp);
        await _host.SeedAsync([.. Enumerable.Range(1, 6).Select(i => OutboxRows.Text($"user{i}", $"消息{i}"))]);
        var circuits = _host.Services.GetRequiredService<IOutboxCircuits>();
        await _host.WaitUntilAsync(async db => (await circuits.OpenCircuitsAsync()).Count == 1 && !await db.Outbox.AnyAsync(x => x.Status == OutboxStatus.Sending), "circuit open, batch done");
        await OutboxRows.SettleAsync();
        var before = _host.Requests(OutboxRows.SendPath).Count;

        // A second dispatcher on the same database (another instance) polls alongside the hosted one at probe time.
        var second = ActivatorUtilities.CreateInstance<OutboxDispatcher>(_host.Services);
        _host.Time.Advance(TimeSpan.FromMinutes(5));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => second.DispatchOnceAsync(CancellationToken.None)));
        await _host.WaitUntilAsync(_ => Task.FromResult(_host.Requests(OutboxRows.SendPath).Count > before), "probe sent");
        await OutboxRows.SettleAsync();

        Assert.Equal(before + 1, _host.Requests(OutboxRows.SendPath).Count);
        await using var db = _host.NewDb();
        Assert.Equal(0, await db.Outbox.CountAsync(x => x.Status == OutboxStatus.Dead));
        Assert.Single(await db.Outbox.AsNoTracking().Where(x => x.DedupeKey!.StartsWith(OutboxAlerts.DedupePrefix)).ToListAsync());
    }

    [Fact]
    public async Task Requeue_ShouldBringDeadRowsBackWithAttemptsReset_WhenAskedByIdsOrByErrorCode()
    {
        foreach (var m in new[] { "a", "b", "c", "d", "e" }) _host.WeCom!.Simulator.SetMember(m);
        var rows = await _host.SeedAsync(
            Dead("a", "errcode 40003：invalid UserID; drop the recipient；invalid userid", 1),
            Dead("b", "已尝试4次仍失败：errcode -1：system busy (系统繁忙)；system busy", 4),
            Dead("c", "errcode 60020：caller IP not in 企业可信IP；from ip: 1.2.3.4", 1),
            Dead("d", "errcode 600200：made-up longer code", 1),
            Dead("e", "errcode 40003：invalid UserID", 1));
        var admin = _host.AdminClient();

        // By ids: only dead rows come back (the sent row is left alone).
        await using (var db = _host.NewDb())
            await db.Outbox.Where(x => x.Id == rows[4].Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, OutboxStatus.Sent));
        var byIds = await Post(admin, new { ids = new[] { rows[0].Id, rows[4].Id } });
        Assert.Equal(HttpStatusCode.OK, byIds.StatusCode);
        var result = await byIds.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, result.GetProperty("requeued").GetInt32());
        await _host.WaitForStatusAsync(rows[0].Id, OutboxStatus.Sent);
        Assert.Equal(1, (await _host.RowAsync(rows[0].Id)).Attempts); // reset to 0, then this one attempt

        // By error code: 60020 matches row c, not the made-up 600200 of row d.
        var byCode = await Post(admin, new { errorCode = 60020 });
        Assert.Equal(1, (await byCode.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32());
        await _host.WaitForStatusAsync(rows[2].Id, OutboxStatus.Sent);
        // A row that died after its retries still carries the code.
        Assert.Equal(1, (await (await Post(admin, new { errorCode = -1 })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32());
        await _host.WaitForStatusAsync(rows[1].Id, OutboxStatus.Sent);
        Assert.Equal(OutboxStatus.Dead, (await _host.RowAsync(rows[3].Id)).Status);

        // Bad requests get a plain-Chinese answer with an example, never a 500.
        foreach (var bad in new[] { "{}", """{"ids":[1],"errorCode":60020}""", "不是JSON", """{"errorCode":"abc"}""" })
        {
            var r = await admin.PostAsync("/api/outbox/requeue", new StringContent(bad, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Contains("例如", await r.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Http.PostAsJsonAsync("/api/outbox/requeue", new { errorCode = 60020 })).StatusCode);
    }

    private static Task<HttpResponseMessage> Post(HttpClient admin, object body) => admin.PostAsJsonAsync("/api/outbox/requeue", body);

    private static OutboxMessage Dead(string to, string error, int attempts)
    {
        var row = OutboxRows.Text(to, "重发" + to);
        row.Status = OutboxStatus.Dead;
        row.LastError = error;
        row.Attempts = attempts;
        return row;
    }

    private async Task SeedOfficeAsync()
    {
        await using var db = _host.NewDb();
        db.Staff.Add(new Staff { UserId = "office1", Name = "县办甲", Role = StaffRole.CountyOffice, RegionCode = "530000" });
        await db.SaveChangesAsync();
    }
}
