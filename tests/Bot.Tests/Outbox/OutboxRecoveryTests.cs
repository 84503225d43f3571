using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Outbox;
using RapidResponse.Domain.Messaging;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Outbox;

/// <summary>Restarts lose nothing and send nothing twice; the admin list shows what is stuck.</summary>
public sealed class OutboxRecoveryTests : IAsyncLifetime
{
    private BotFactory _host = null!;

    public async Task InitializeAsync() => _host = await OutboxRows.StartAsync();

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task Dispatch_ShouldSendEveryMessageExactlyOnce_WhenHostIsStoppedMidDispatchAndStartedAgain()
    {
        _host.WeCom!.Latency = TimeSpan.FromMilliseconds(150);
        var rows = await _host.SeedAsync([.. Enumerable.Range(1, 24).Select(i => OutboxRows.Text($"user{i % 6}", $"恢复测试{i:00}"))]);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (_host.Requests(OutboxRows.SendPath).Count < 5 && DateTime.UtcNow < deadline) await Task.Delay(10);
        // Stopped: in-flight sends finished and were recorded, claimed-but-unstarted rows were handed back.
        _host = _host.Restart();
        _host.StartServer();
        await using (var db = _host.NewDb())
        {
            var sentBefore = await db.Outbox.CountAsync(x => x.Status == OutboxStatus.Sent);
            Assert.InRange(sentBefore, 5, 23);
        }

        await _host.WaitUntilAsync(async db => await db.Outbox.CountAsync(x => x.Status == OutboxStatus.Sent) == rows.Count, "all sent after restart");
        var contents = _host.Bodies(OutboxRows.SendPath).Select(b => b["text"]!["content"]!.GetValue<string>()).ToList();
        Assert.All(rows, r => Assert.Single(contents, c => c == OutboundPayload.Deserialize<TextBody>(r.Payload).Content));
        await using (var db = _host.NewDb())
        {
            Assert.All(await db.Outbox.AsNoTracking().ToListAsync(), r => Assert.Equal(1, r.Attempts));
        }
    }

    [Fact]
    public async Task Dispatch_ShouldReclaimRowOnceItsClaimRunsOut_WhenADispatcherCrashedWhileHoldingIt()
    {
        var now = _host.Time.GetUtcNow();
        var crashed = OutboxRows.Text("zhangsan", "崩溃时占用的消息");
        crashed.Status = OutboxStatus.Sending;
        crashed.ClaimedBy = "dead-host:1#7";
        crashed.ClaimedUntil = now.AddMinutes(2);
        crashed.Attempts = 1;
        await _host.SeedAsync(crashed);

        _host.Time.Advance(TimeSpan.FromMinutes(2));
        await OutboxRows.SettleAsync();
        Assert.Empty(_host.Requests(OutboxRows.SendPath)); // the claim still holds at exactly ClaimedUntil

        _host.Time.Advance(TimeSpan.FromTicks(1));
        await _host.WaitForStatusAsync(crashed.Id, OutboxStatus.Sent);
        Assert.Single(_host.Requests(OutboxRows.SendPath));
        var row = await _host.RowAsync(crashed.Id);
        Assert.Equal(2, row.Attempts);
        Assert.Null(row.ClaimedBy);
    }

    [Fact]
    public async Task ListOutbox_ShouldReturnDeadRowsWithMaskedRecipient_WhenAskedForStatusDead()
    {
        _host.WeCom!.Fail(OutboxRows.SendPath, new { errcode = 40003, errmsg = "invalid userid" });
        var row = (await _host.SeedAsync(OutboxRows.Text("zhangsan", "发不出去")))[0];
        await _host.WaitForStatusAsync(row.Id, OutboxStatus.Dead);
        var admin = _host.AdminClient();

        var list = await admin.GetFromJsonAsync<List<OutboxEndpoints.OutboxRowView>>("/api/outbox?status=dead");
        var bad = await admin.GetAsync("/api/outbox?status=lost");
        var anonymous = await _host.CreateClient().GetAsync("/api/outbox?status=dead");

        var view = Assert.Single(list!);
        Assert.Equal(row.Id, view.Id);
        Assert.Equal("zh***an", view.Recipient);
        Assert.Equal("AppUser", view.Channel);
        Assert.Equal("Text", view.Kind);
        Assert.Equal(1, view.Attempts);
        Assert.Contains("errcode 40003", view.LastError);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("status 只能是", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
