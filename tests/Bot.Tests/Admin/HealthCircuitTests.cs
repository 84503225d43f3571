using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Admin;

/// <summary>
/// GET /health/ready names a channel stopped on a configuration fault, its code and what to fix; empty again once it resumes.
/// The whole bot against the rule-keeping fake WeCom, whose IP whitelist the test switches off for ten minutes (fake clock).
/// </summary>
public sealed class HealthCircuitTests
{
    [Fact]
    public async Task HealthReady_ShouldShowTheOpenCircuitWithCodeAndFix_WhenWeComAnswers60020()
    {
        using var f = new BotFactory().WithWeCom();
        var client = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal(0, ready.GetProperty("circuits").GetArrayLength());

        // The rule-keeper: the server's IP is not in 企业可信IP, so every call with a token (gettoken too) answers 60020.
        f.WeCom!.Simulator.Settings.TrustedIp = false;
        await using (var db = f.NewDb())
        {
            db.Outbox.Add(new OutboxMessage
            {
                Channel = OutboundChannel.AppUser, Recipient = "gm_a1", Kind = OutboundKind.Text, Payload = OutboundPayload.Serialize(new TextBody("测试")),
                CreatedAt = f.Time.GetUtcNow(), NotBefore = f.Time.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement circuits;
        do
        {
            await Task.Delay(50);
            var r = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode); // a stopped channel needs an operator, not a restart
            ready = await r.Content.ReadFromJsonAsync<JsonElement>();
            circuits = ready.GetProperty("circuits");
        }
        while (circuits.GetArrayLength() == 0 && DateTime.UtcNow < deadline);

        var c = Assert.Single(circuits.EnumerateArray());
        Assert.Equal("ready-with-warnings", ready.GetProperty("status").GetString());
        Assert.Equal("60020", c.GetProperty("code").GetString());
        Assert.Contains("企业可信IP", c.GetProperty("fix").GetString());
        Assert.Contains("应用消息", c.GetProperty("channel").GetString());
        Assert.Equal(f.Time.GetUtcNow().AddMinutes(5), c.GetProperty("nextProbeAt").GetDateTimeOffset());

        // Ten minutes of 60020: the probes at 5 and 10 minutes are refused, the circuit stays, nothing dies, no second alert.
        var t0 = f.Time.GetUtcNow();
        for (var probe = 1; probe <= 2; probe++)
        {
            f.Time.Advance(TimeSpan.FromMinutes(5));
            var next = t0.AddMinutes(5 * (probe + 1));
            deadline = DateTime.UtcNow.AddSeconds(20);
            do
            {
                await Task.Delay(50);
                ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
            }
            while (ready.GetProperty("circuits")[0].GetProperty("nextProbeAt").GetDateTimeOffset() != next && DateTime.UtcNow < deadline);
            Assert.Equal(next, ready.GetProperty("circuits")[0].GetProperty("nextProbeAt").GetDateTimeOffset());
        }

        await using (var db = f.NewDb())
        {
            Assert.Equal(0, await db.Outbox.CountAsync(o => o.Status == OutboxStatus.Dead));
            Assert.Equal(1, await db.Outbox.CountAsync(o => o.DedupeKey != null && o.DedupeKey.StartsWith("alert:outbox:")));
        }

        // Fixed: the probe five minutes on goes through and the circuit is gone.
        f.WeCom.Simulator.Settings.TrustedIp = true;
        f.Time.Advance(TimeSpan.FromMinutes(5));
        deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await Task.Delay(50);
            ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        }
        while (ready.GetProperty("circuits").GetArrayLength() > 0 && DateTime.UtcNow < deadline);
        Assert.Equal(0, ready.GetProperty("circuits").GetArrayLength());
        deadline = DateTime.UtcNow.AddSeconds(20);
        await using var check = f.NewDb();
        while (await check.Outbox.AnyAsync(o => o.Status != OutboxStatus.Sent) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(0, await check.Outbox.CountAsync(o => o.Status != OutboxStatus.Sent)); // the message and the alert
        Assert.Contains(f.WeCom.Simulator.Exchanges, e => e.Path == "/cgi-bin/message/send" && e.ErrCode == 0 && e.RequestBody.Contains("gm_a1"));
    }
}
