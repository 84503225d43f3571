using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace RapidResponse.Bot.Tests.Admin;

/// <summary>GET /health/ready names a channel stopped on a configuration fault, its code and what to fix; empty again once it resumes.</summary>
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

        var mapping = Guid.NewGuid();
        f.WeComApi!.Given(Request.Create().WithPath("/cgi-bin/message/send").UsingPost()).WithGuid(mapping).AtPriority(1)
            .RespondWith(Response.Create().WithBodyAsJson(new { errcode = 60020, errmsg = "not allow to access from your ip, from ip: 1.2.3.4" }));
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

        // Fixed: the probe five minutes on goes through and the circuit is gone.
        f.WeComApi.DeleteMapping(mapping);
        f.Time.Advance(TimeSpan.FromMinutes(5));
        deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await Task.Delay(50);
            ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        }
        while (ready.GetProperty("circuits").GetArrayLength() > 0 && DateTime.UtcNow < deadline);
        Assert.Equal(0, ready.GetProperty("circuits").GetArrayLength());
        await using var check = f.NewDb();
        Assert.Equal(0, await check.Outbox.CountAsync(o => o.Status == OutboxStatus.Dead));
    }
}
