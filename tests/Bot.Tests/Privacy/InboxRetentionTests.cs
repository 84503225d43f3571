using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Hosting;
using RapidResponse.Bot.Inbox;
using RapidResponse.Bot.Persistence;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Tests.Privacy;

/// <summary>Personal data kept no longer than needed (issue 12, item 8): processed payloads redacted, messages purged after Privacy:InboxRetention.</summary>
public sealed class InboxRetentionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Processing_ShouldRedactThePayload_WhileTheCaseKeepsWhatItNeeds()
    {
        using var f = new BotFactory().WithWeCom();
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var farmer = new WeComUser(f, http, "villager_liu");
        await farmer.SayAsync($"申报\n姓名：刘一\n身份证号：{TestRoster.IdUnknown}\n村：李树\n困难类型：因病\n情况说明：住院花费大，老伴电话 +86 139 1234 5678\n联系电话：13800009999");
        await farmer.SayAsync("确认");

        using var check = f.NewDb();
        var rows = await check.Inbox.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(InboxStatus.Processed, r.Status));
        var payload = rows[0].Payload;
        Assert.DoesNotContain(TestRoster.IdUnknown, payload);
        Assert.DoesNotContain("13800009999", payload);
        Assert.DoesNotContain("139 1234 5678", payload);
        var redacted = JsonSerializer.Deserialize<Inbound>(payload, InboxWriter.Json)!;
        Assert.Contains("身份证号：1101**********7774", redacted.Text);
        Assert.Contains("联系电话：138****9999", redacted.Text);
        Assert.Equal("villager_liu", redacted.SenderId); // who and which message stay: dedupe and later notices need them
        var c = await check.Cases.SingleAsync();
        Assert.Equal(TestRoster.IdUnknown, c.ApplicantIdNumber); // the case itself keeps the number the office works with
    }

    [Fact]
    public async Task Purge_ShouldDeleteOnlyMessagesPastTheRetention_WhenTheClockReachesIt()
    {
        // The job itself sleeps past this test (45 days), so each purge below is the test's own call.
        await using var h = Start(new() { ["Privacy:RetentionSweepInterval"] = "45.00:00:00" });
        await AddAsync(h, ("processed", InboxStatus.Processed, T0), ("failed", InboxStatus.Failed, T0), ("pending", InboxStatus.Pending, T0),
            ("newer", InboxStatus.Processed, T0.AddDays(1)));
        var retention = h.Services.GetRequiredService<InboxRetention>();

        h.Time.SetUtcNow(T0.AddDays(30).AddTicks(-1));
        Assert.Equal(0, await retention.PurgeAsync());
        h.Time.SetUtcNow(T0.AddDays(30)); // exactly 30 days: still kept
        Assert.Equal(0, await retention.PurgeAsync());
        h.Time.SetUtcNow(T0.AddDays(30).AddTicks(1));
        Assert.Equal(2, await retention.PurgeAsync());
        // A pending message is never deleted, however old: it has not been handled yet.
        Assert.Equal(["newer", "pending"], await KeysAsync(h));
    }

    [Fact]
    public async Task RetentionJob_ShouldPurgeOnTheInjectedClock_WhenConfiguredRetentionPasses()
    {
        await using var h = Start(new() { ["Privacy:InboxRetention"] = "7.00:00:00", ["Privacy:RetentionSweepInterval"] = "01:00:00" });
        await AddAsync(h, ("old", InboxStatus.Processed, T0), ("young", InboxStatus.Processed, T0.AddDays(3)));
        // The job sleeps an hour on the fake clock between runs: the clock moves on an hour at a time until it has run.
        h.Time.Advance(TimeSpan.FromDays(7));
        await UntilAsync(async () => { h.Time.Advance(TimeSpan.FromHours(1)); return (await KeysAsync(h)).Count == 1; });
        Assert.Equal(["young"], await KeysAsync(h));
        Assert.True(h.Time.GetUtcNow() < T0.AddDays(10), "the young message's retention has not passed yet");
        h.Time.SetUtcNow(T0.AddDays(10));
        await UntilAsync(async () => { h.Time.Advance(TimeSpan.FromHours(1)); return (await KeysAsync(h)).Count == 0; });
        Assert.Empty(await KeysAsync(h));
    }

    [Fact]
    public void Host_ShouldRefuseToStart_WhenTheRetentionIsShorterThanADay()
    {
        var e = Record.Exception(() => Start(new() { ["Privacy:InboxRetention"] = "01:00:00" }));
        var messages = new List<string>();
        for (var x = e; x is not null; x = x.InnerException) messages.Add(x.Message);
        Assert.Contains("Privacy:InboxRetention must be at least 1.00:00:00", string.Join(" | ", messages));
    }

    [Fact]
    public void Host_ShouldRefuseToStart_WhenTheSweepIntervalIsLongerThanATimerCanWait()
    {
        // A year's wait would throw inside the job and stop the whole bot; refused at start-up instead.
        var e = Record.Exception(() => Start(new() { ["Privacy:RetentionSweepInterval"] = "365.00:00:00" }));
        var messages = new List<string>();
        for (var x = e; x is not null; x = x.InnerException) messages.Add(x.Message);
        Assert.Contains("Privacy:RetentionSweepInterval must be at most 49.00:00:00", string.Join(" | ", messages));
    }

    [Fact]
    public void Redact_ShouldMaskTheWordsOnly_WhenThePayloadIsAnInboundMessage()
    {
        var m = new Inbound(InboundChannel.Kf, "wm_x", "msg-13812345678-id", InboundKind.Text, T0, Text: "电话 138-1234-5678，身份证 410102199001011234", OpenKfId: "wk1");
        var redacted = JsonSerializer.Deserialize<Inbound>(InboxRetention.Redact(JsonSerializer.Serialize(m, InboxWriter.Json)), InboxWriter.Json)!;
        Assert.Equal(m with { Text = "电话 138****5678，身份证 4101**********1234" }, redacted);
        Assert.Equal("<xml>4101**********1234</xml>", InboxRetention.Redact("<xml>410102199001011234</xml>"));
    }

    private static async Task UntilAsync(Func<Task<bool>> done)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (!await done() && System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10)) await Task.Delay(100);
    }

    /// <summary>The real app (no WeCom configured) on a fake clock and a real SQLite file.</summary>
    private static BotFactory Start(Dictionary<string, string?>? settings = null)
    {
        var f = new BotFactory(T0);
        foreach (var (k, v) in settings ?? []) f.Settings[k] = v;
        f.StartServer();
        return f;
    }

    private static async Task AddAsync(BotFactory f, params (string Key, InboxStatus Status, DateTimeOffset At)[] rows)
    {
        using var db = f.NewDb();
        foreach (var (key, status, at) in rows)
            db.Inbox.Add(new InboxMessage
            {
                DedupeKey = key, SenderId = "wm_" + key, Kind = "text", Payload = "{}", ReceivedAt = at, Status = status, Channel = InboundChannel.Kf,
                // A pending message waits for its next attempt (after a failure), so the app's inbox processor leaves it be.
                NextAttemptAt = status == InboxStatus.Pending ? at.AddYears(1) : null,
            });
        await db.SaveChangesAsync();
    }

    private static async Task<List<string>> KeysAsync(BotFactory f)
    {
        using var db = f.NewDb();
        return await db.Inbox.AsNoTracking().OrderBy(x => x.DedupeKey).Select(x => x.DedupeKey).ToListAsync();
    }
}
