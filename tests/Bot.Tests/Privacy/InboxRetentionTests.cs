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
        // The job itself sleeps past this test (a year), so each purge below is the test's own call.
        await using var h = await RetentionHost.StartAsync(new() { ["Privacy:RetentionSweepInterval"] = "365.00:00:00" });
        await h.AddAsync(("processed", InboxStatus.Processed, T0), ("failed", InboxStatus.Failed, T0), ("pending", InboxStatus.Pending, T0),
            ("newer", InboxStatus.Processed, T0.AddDays(1)));
        var retention = h.Retention;

        h.Time.SetUtcNow(T0.AddDays(30).AddTicks(-1));
        Assert.Equal(0, await retention.PurgeAsync());
        h.Time.SetUtcNow(T0.AddDays(30)); // exactly 30 days: still kept
        Assert.Equal(0, await retention.PurgeAsync());
        h.Time.SetUtcNow(T0.AddDays(30).AddTicks(1));
        Assert.Equal(2, await retention.PurgeAsync());
        // A pending message is never deleted, however old: it has not been handled yet.
        Assert.Equal(["newer", "pending"], await h.KeysAsync());
    }

    [Fact]
    public async Task RetentionJob_ShouldPurgeOnTheInjectedClock_WhenConfiguredRetentionPasses()
    {
        await using var h = await RetentionHost.StartAsync(new() { ["Privacy:InboxRetention"] = "7.00:00:00", ["Privacy:RetentionSweepInterval"] = "01:00:00" });
        await h.AddAsync(("old", InboxStatus.Processed, T0), ("young", InboxStatus.Processed, T0.AddDays(3)));
        // The job sleeps an hour on the fake clock between runs: the clock moves on an hour at a time until it has run.
        h.Time.Advance(TimeSpan.FromDays(7));
        await UntilAsync(async () => { h.Time.Advance(TimeSpan.FromHours(1)); return (await h.KeysAsync()).Count == 1; });
        Assert.Equal(["young"], await h.KeysAsync());
        Assert.True(h.Time.GetUtcNow() < T0.AddDays(10), "the young message's retention has not passed yet");
        h.Time.SetUtcNow(T0.AddDays(10));
        await UntilAsync(async () => { h.Time.Advance(TimeSpan.FromHours(1)); return (await h.KeysAsync()).Count == 0; });
        Assert.Empty(await h.KeysAsync());
    }

    [Fact]
    public async Task Host_ShouldRefuseToStart_WhenTheRetentionIsShorterThanADay()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => RetentionHost.StartAsync(new() { ["Privacy:InboxRetention"] = "01:00:00" }));
        Assert.Contains("Privacy:InboxRetention must be at least 1.00:00:00", e.Message);
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

    /// <summary>The bot's database and privacy services only (no inbox processor), on a fake clock and a real SQLite file.</summary>
    private sealed class RetentionHost : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly string _dir;

        private RetentionHost(WebApplication app, string dir, FakeTimeProvider time) { _app = app; _dir = dir; Time = time; }

        public FakeTimeProvider Time { get; }
        public InboxRetention Retention => _app.Services.GetRequiredService<InboxRetention>();

        public static async Task<RetentionHost> StartAsync(Dictionary<string, string?>? settings = null)
        {
            var dir = Path.Combine(Path.GetTempPath(), "rrb-tests", "retention-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            var b = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = dir });
            b.WebHost.UseUrls("http://127.0.0.1:0"); // a free port: hosts of tests running in parallel never share one
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(dir, "bot.db")}" });
            if (settings is not null) b.Configuration.AddInMemoryCollection(settings);
            var time = new FakeTimeProvider(T0);
            b.Services.RemoveAll<TimeProvider>();
            b.Services.AddSingleton<TimeProvider>(time);
            b.AddBotDatabase();
            b.AddPrivacy();
            var app = b.Build();
            await app.Services.MigrateDatabaseAsync();
            await app.StartAsync();
            return new RetentionHost(app, dir, time);
        }

        public async Task AddAsync(params (string Key, InboxStatus Status, DateTimeOffset At)[] rows)
        {
            using var scope = _app.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            foreach (var (key, status, at) in rows)
                db.Inbox.Add(new InboxMessage { DedupeKey = key, SenderId = "wm_x", Kind = "text", Payload = "{}", ReceivedAt = at, Status = status, Channel = InboundChannel.Kf });
            await db.SaveChangesAsync();
        }

        public async Task<List<string>> KeysAsync()
        {
            using var scope = _app.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<BotDb>().Inbox.AsNoTracking().OrderBy(x => x.DedupeKey).Select(x => x.DedupeKey).ToListAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            try { Directory.Delete(_dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
