using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Outbox;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Roster;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Outbox;

/// <summary>Rate limits by queueing, retries by the WeCom policy, alerts to the county office.</summary>
public sealed class OutboxDispatchTests : IAsyncLifetime
{
    private BotFactory _host = null!;

    public async Task InitializeAsync() => _host = await OutboxRows.StartAsync();

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private int Sends(string contains) =>
        _host.Requests(OutboxRows.SendPath).Count(e => e.RequestMessage.Body!.Contains(contains, StringComparison.Ordinal));

    [Fact]
    public async Task Dispatch_ShouldNeverPutMoreThan30InAMinute_When40MessagesGoToOneUser()
    {
        var t0 = _host.Time.GetUtcNow();
        var rows = await _host.SeedAsync([.. Enumerable.Range(1, 40).Select(i => OutboxRows.Text("zhangsan", $"第{i:00}条"))]);

        await _host.WaitUntilAsync(async db => await db.Outbox.CountAsync(x => x.Status == OutboxStatus.Sent) == 30, "first 30 sent");
        await OutboxRows.SettleAsync();
        await using (var db = _host.NewDb())
        {
            var waiting = await db.Outbox.AsNoTracking().Where(x => x.Status == OutboxStatus.Pending).ToListAsync();
            Assert.Equal(10, waiting.Count);
            Assert.All(waiting, w => Assert.Equal(t0.AddMinutes(1), w.NotBefore));
            Assert.All(waiting, w => Assert.Equal(0, w.Attempts)); // a deferral is not an attempt
        }

        _host.Time.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(1));
        await OutboxRows.SettleAsync();
        Assert.Equal(30, _host.Requests(OutboxRows.SendPath).Count);

        _host.Time.Advance(TimeSpan.FromTicks(1));
        await _host.WaitUntilAsync(async db => await db.Outbox.CountAsync(x => x.Status == OutboxStatus.Sent) == 40, "all 40 sent");

        // Sent in creation order, and no 60-second window (by the fake clock) holds more than 30 sends.
        var sentOrder = _host.Bodies(OutboxRows.SendPath).Select(b => b["text"]!["content"]!.GetValue<string>()).ToList();
        Assert.Equal(rows.Select(r => OutboundPayload.Deserialize<TextBody>(r.Payload).Content), sentOrder);
        await using (var db = _host.NewDb())
        {
            var sentAt = (await db.Outbox.AsNoTracking().Select(x => x.SentAt!.Value).ToListAsync()).Order().ToList();
            Assert.All(sentAt, s => Assert.True(sentAt.Count(o => o >= s && o < s.AddMinutes(1)) <= 30));
        }
    }

    [Fact]
    public async Task Dispatch_ShouldSendOnceAfterBackoff_WhenWeComIsBusyOnce()
    {
        _host.WeCom!.Fail(OutboxRows.SendPath, new { errcode = -1, errmsg = "system busy" }, times: 1);
        var t0 = _host.Time.GetUtcNow();
        var row = (await _host.SeedAsync(OutboxRows.Text("zhangsan", "忙时消息")))[0];

        await _host.WaitUntilAsync(async db => (await db.Outbox.AsNoTracking().FirstAsync(x => x.Id == row.Id)).Attempts == 1
                                                && (await db.Outbox.AsNoTracking().FirstAsync(x => x.Id == row.Id)).Status == OutboxStatus.Pending, "first attempt failed");
        var failed = await _host.RowAsync(row.Id);
        Assert.Contains("errcode -1", failed.LastError);
        // Equal jitter around the 5 s base: between 2.5 s and 5 s.
        Assert.InRange(failed.NotBefore - t0, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(5));

        _host.Time.Advance(failed.NotBefore - t0 - TimeSpan.FromTicks(1));
        await OutboxRows.SettleAsync();
        Assert.Equal(1, Sends("忙时消息"));

        _host.Time.Advance(TimeSpan.FromTicks(1));
        await _host.WaitForStatusAsync(row.Id, OutboxStatus.Sent);
        Assert.Equal(2, Sends("忙时消息"));
        Assert.Equal(2, (await _host.RowAsync(row.Id)).Attempts);
    }

    [Fact]
    public async Task Dispatch_ShouldGiveUpAfterThreeRetries_WhenWeComStaysBusy()
    {
        _host.WeCom!.Fail(OutboxRows.SendPath, new { errcode = -1, errmsg = "system busy" });
        var row = (await _host.SeedAsync(OutboxRows.Text("zhangsan", "一直忙")))[0];

        for (var i = 0; i < 4; i++)
        {
            await _host.WaitUntilAsync(async db => (await db.Outbox.AsNoTracking().FirstAsync(x => x.Id == row.Id)) is { Status: not OutboxStatus.Sending } r && r.Attempts == i + 1, $"attempt {i + 1}");
            _host.Time.Advance(TimeSpan.FromMinutes(5));
        }

        await _host.WaitForStatusAsync(row.Id, OutboxStatus.Dead);
        Assert.Equal(4, Sends("一直忙")); // the first attempt and the 3 retries the doc allows
        Assert.StartsWith("已尝试4次仍失败", (await _host.RowAsync(row.Id)).LastError);
    }

    [Fact]
    public async Task Dispatch_ShouldWaitTheBlockPeriodForTheWholeRobot_WhenWebhookAnswers45009()
    {
        _host.WeCom!.Fail("/cgi-bin/webhook/send", new { errcode = 45009, errmsg = "api freq out of limit" }, times: 1);
        var t0 = _host.Time.GetUtcNow();
        var rows = await _host.SeedAsync(OutboxRows.Text("hook-1", "第一条", OutboundChannel.Webhook), OutboxRows.Text("hook-1", "第二条", OutboundChannel.Webhook));

        await _host.WaitUntilAsync(async db => await db.Outbox.CountAsync(x => x.Status == OutboxStatus.Pending && x.NotBefore == t0.AddMinutes(1)) == 2, "both wait 60 s");
        Assert.Single(_host.Requests("/cgi-bin/webhook/send")); // the second row never hit the blocked robot

        _host.Time.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromTicks(1));
        await OutboxRows.SettleAsync();
        Assert.Single(_host.Requests("/cgi-bin/webhook/send"));

        _host.Time.Advance(TimeSpan.FromTicks(1));
        await _host.WaitUntilAsync(async db => await db.Outbox.CountAsync(x => x.Status == OutboxStatus.Sent) == 2, "both sent");
        Assert.Equal(3, _host.Requests("/cgi-bin/webhook/send").Count);
        Assert.Contains("45009", (await _host.RowAsync(rows[0].Id)).LastError);
    }

    [Fact]
    public async Task Dispatch_ShouldWaitOneMinuteNotAnHour_WhenParallelSendsAreAllRefusedInTheSameBlock()
    {
        // Both requests are in flight when the first 45009 comes back: one incident, not "hit again" (which means 60 min).
        var n = 0;
        _host.WeCom!.Fault(OutboxRows.SendPath, _ => Interlocked.Increment(ref n) <= 2 ? new { errcode = 45009, errmsg = "api freq out of limit" } : null, TimeSpan.FromMilliseconds(300));
        var t0 = _host.Time.GetUtcNow();
        await _host.SeedAsync(OutboxRows.Text("zhangsan", "甲"), OutboxRows.Text("lisi", "乙"));

        await _host.WaitUntilAsync(async db => await db.Outbox.CountAsync(x => x.Status == OutboxStatus.Pending && x.Attempts == 1) == 2, "both refused");
        await using (var db = _host.NewDb())
            Assert.All(await db.Outbox.AsNoTracking().ToListAsync(), r => Assert.Equal(t0.AddMinutes(1), r.NotBefore));

        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.WaitUntilAsync(async db => await db.Outbox.CountAsync(x => x.Status == OutboxStatus.Sent) == 2, "both sent after a minute");
        Assert.Equal(4, _host.Requests(OutboxRows.SendPath).Count);
    }

    [Theory]
    [InlineData(40001)]
    [InlineData(60020)]
    [InlineData(48002)]
    public async Task Dispatch_ShouldStopTheChannelKeepTheRowsAndAlertCountyOfficeOnce_WhenCodeNeedsAnOperator(int code)
    {
        await SeedStaffAsync();
        _host.WeCom!.Fail(OutboxRows.SendPath, new { errcode = code, errmsg = "from ip: 1.2.3.4, more info at https://open.work.weixin.qq.com/devtool/query?e=" + code }, bodyContains: "\"touser\":\"zhangsan\"");

        var rows = await _host.SeedAsync(OutboxRows.Text("zhangsan", "甲"), OutboxRows.Text("zhangsan", "乙"));
        await _host.WaitUntilAsync(async db => await db.Outbox.AnyAsync(x => x.DedupeKey != null && x.DedupeKey.StartsWith(OutboxAlerts.DedupePrefix)), "alert written");
        await OutboxRows.SettleAsync();

        // Not the rows' fault: both wait, no attempt counted, the error kept without WeCom's help link.
        var first = await _host.RowAsync(rows[0].Id);
        Assert.Equal(OutboxStatus.Pending, first.Status);
        Assert.Equal(0, first.Attempts);
        Assert.Contains($"errcode {code}", first.LastError);
        Assert.DoesNotContain("more info", first.LastError);
        Assert.Equal(OutboxStatus.Pending, (await _host.RowAsync(rows[1].Id)).Status);
        await using var db = _host.NewDb();
        Assert.Equal(0, await db.Outbox.CountAsync(x => x.Status == OutboxStatus.Dead));
        var alerts = await db.Outbox.AsNoTracking().Where(x => x.DedupeKey != null && x.DedupeKey.StartsWith(OutboxAlerts.DedupePrefix)).ToListAsync();
        var alert = Assert.Single(alerts);
        Assert.Equal("office1", alert.Recipient);
        Assert.Contains($"错误码 {code}", OutboundPayload.Deserialize<TextBody>(alert.Payload).Content);
        Assert.Contains("zh***an", OutboundPayload.Deserialize<TextBody>(alert.Payload).Content);
        // 40001 is retried once by the client after a token refresh; the second row is never sent into the stopped channel.
        Assert.Equal(code == 40001 ? 2 : 1, Sends("\"touser\":\"zhangsan\""));
        Assert.Equal(0, Sends("\"touser\":\"office1\""));
    }

    [Fact]
    public async Task Dispatch_ShouldNotLoop_WhenTheAlertWouldFailWithTheSameCode()
    {
        await SeedStaffAsync();
        _host.WeCom!.Fail(OutboxRows.SendPath, new { errcode = 60020, errmsg = "not allow to access from your ip" });

        var rows = await _host.SeedAsync(OutboxRows.Text("zhangsan", "甲"));
        await _host.WaitUntilAsync(async db => await db.Outbox.CountAsync() == 2, "alert written");
        await OutboxRows.SettleAsync();
        Assert.Single(_host.Requests(OutboxRows.SendPath));

        // Each probe sends one row and, failing, writes no second alert.
        for (var probe = 1; probe <= 3; probe++)
        {
            _host.Time.Advance(TimeSpan.FromMinutes(5));
            await _host.WaitUntilAsync(_ => Task.FromResult(_host.Requests(OutboxRows.SendPath).Count == 1 + probe), $"probe {probe}");
        }

        await OutboxRows.SettleAsync();
        await using var db = _host.NewDb();
        Assert.Equal(2, await db.Outbox.CountAsync());
        Assert.Equal(4, _host.Requests(OutboxRows.SendPath).Count);
        Assert.Equal(0, await db.Outbox.CountAsync(x => x.Status != OutboxStatus.Pending));
        Assert.Equal(OutboxStatus.Pending, (await _host.RowAsync(rows[0].Id)).Status);
    }

    [Fact]
    public async Task Dispatch_ShouldMarkDeadWithoutStoppingOrAlert_WhenAllRecipientsAreInvalid()
    {
        await SeedStaffAsync();
        // "gone" is not in the simulated corp's address book: WeCom itself answers 81013.
        var rows = await _host.SeedAsync(OutboxRows.Text("gone", "给离职的人"), OutboxRows.Text("lisi", "给在职的人"));

        await _host.WaitForStatusAsync(rows[0].Id, OutboxStatus.Dead);
        await _host.WaitForStatusAsync(rows[1].Id, OutboxStatus.Sent);
        await OutboxRows.SettleAsync();
        Assert.Contains("errcode 81013", (await _host.RowAsync(rows[0].Id)).LastError);
        await using var db = _host.NewDb();
        Assert.Equal(2, await db.Outbox.CountAsync());
        Assert.Empty(await _host.Services.GetRequiredService<IOutboxCircuits>().OpenCircuitsAsync());
    }

    [Fact]
    public async Task Dispatch_ShouldMarkDeadWithoutRetryOrAlert_WhenRequestIsWrong()
    {
        await SeedStaffAsync();
        _host.WeCom!.Fail(OutboxRows.SendPath, new { errcode = 40003, errmsg = "invalid userid" });
        var row = (await _host.SeedAsync(OutboxRows.Text("nobody", "错的人")))[0];

        await _host.WaitForStatusAsync(row.Id, OutboxStatus.Dead);
        _host.Time.Advance(TimeSpan.FromHours(1));
        await OutboxRows.SettleAsync();

        Assert.Single(_host.Requests(OutboxRows.SendPath));
        var dead = await _host.RowAsync(row.Id);
        Assert.Equal(1, dead.Attempts);
        Assert.Contains("errcode 40003", dead.LastError);
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.Outbox.CountAsync());
    }

    [Fact]
    public async Task Dispatch_ShouldMarkSentWithNote_WhenCardUpdateCodeIsUsed()
    {
        // "used-code" was never issued by the simulated WeCom: it answers 60140 as WeCom does for a used or unknown code.
        var update = new CardUpdateBody("task_1", "已受理", ["lisi"], "used-code");
        var row = (await _host.SeedAsync(new OutboxMessage { Channel = OutboundChannel.AppUser, Recipient = "lisi", Kind = OutboundKind.CardUpdate, Payload = OutboundPayload.Serialize(update) }))[0];

        await _host.WaitForStatusAsync(row.Id, OutboxStatus.Sent);
        _host.Time.Advance(TimeSpan.FromHours(1));
        await OutboxRows.SettleAsync();

        Assert.Single(_host.Requests("/cgi-bin/message/update_template_card"));
        Assert.Contains("60140", (await _host.RowAsync(row.Id)).LastError);
    }

    [Fact]
    public async Task Dispatch_ShouldMarkDeadWithoutSending_WhenWebhookMarkdownIsOver4096Bytes()
    {
        var row = new OutboxMessage { Channel = OutboundChannel.Webhook, Recipient = "hook-1", Kind = OutboundKind.Markdown, Payload = OutboundPayload.Serialize(new MarkdownBody(new string('周', 1366))) };
        await _host.SeedAsync(row);

        await _host.WaitForStatusAsync(row.Id, OutboxStatus.Dead);

        Assert.Empty(_host.Requests("/cgi-bin/webhook/send"));
        Assert.Contains("4098 字节，超过 4096", (await _host.RowAsync(row.Id)).LastError);
    }

    [Fact]
    public async Task Dispatch_ShouldHoldKfReplyForTheCustomersNextMessage_When48HourWindowClosed()
    {
        await using (var db = _host.NewDb())
        {
            db.Inbox.Add(new InboxMessage { Channel = InboundChannel.Kf, DedupeKey = "kfmsg|old", SenderId = "wmOld", Kind = "Text", Payload = "{}", ReceivedAt = _host.Time.GetUtcNow().AddHours(-48) });
            await db.SaveChangesAsync();
        }

        var row = OutboxRows.Text("wmOld", "迟到的回复", OutboundChannel.Kf);
        row.OpenKfId = OutboxRows.OpenKfId;
        await _host.SeedAsync(row);

        // Never dead because the window closed: held (pending, not before the farmer writes again), nothing sent.
        await _host.WaitUntilAsync(async db => (await db.Outbox.AsNoTracking().FirstAsync(x => x.Id == row.Id)).NotBefore == OutboxMessage.HeldForCustomer, "row held");
        var held = await _host.RowAsync(row.Id);
        Assert.Equal(OutboxStatus.Pending, held.Status);
        Assert.Empty(_host.Requests("/cgi-bin/kf/send_msg"));
        Assert.Contains("48小时", held.LastError);
    }

    private async Task SeedStaffAsync()
    {
        await using var db = _host.NewDb();
        db.Staff.Add(new Staff { UserId = "office1", Name = "县办甲", Role = StaffRole.CountyOffice, RegionCode = "530000" });
        db.Staff.Add(new Staff { UserId = "cadre1", Name = "村干部乙", Role = StaffRole.VillageCadre, RegionCode = "530001" });
        await db.SaveChangesAsync();
    }
}
