using System.Net;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bench;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.Tests.WeCom;

namespace RapidResponse.Bot.Tests.Reliability;

/// <summary>A fixed sample of the benchmark's malformed callbacks (bench/Bench/FuzzInputs.cs) against both endpoints.</summary>
public sealed class CallbackFuzzTests
{
    [Fact]
    public async Task CallbackEndpoints_ShouldRejectEveryMalformedInputWithoutWritingOrFailing_WhenFuzzedWith510Inputs()
    {
        using var f = new BotFactory().WithWeCom();
        f.Settings["WeCom:Kf:Token"] = Vectors.V3Token;
        f.Settings["WeCom:Kf:EncodingAESKey"] = Vectors.V3AesKey;
        var http = f.CreateClient();
        var inputs = FuzzInputs.Generate(seed: 42, count: 15 * FuzzInputs.KindCount, (Vectors.Token, Vectors.AesKey), (Vectors.V3Token, Vectors.V3AesKey), Vectors.CorpId).ToList();

        var tally = await FuzzRunner.RunAsync(http, inputs, connections: 8);

        var accepted = tally.ByKind.Where(k => k.Key.Status is >= 200 and < 300 or >= 500).Select(k => $"{k.Key.Kind} → {k.Key.Status} ×{k.Value}").ToList();
        Assert.True(accepted.Count == 0, "accepted or failed: " + string.Join("; ", accepted));
        Assert.Equal(inputs.Count, tally.Sent);
        Assert.Equal(0, tally.Transport);
        Assert.Contains(tally.ByKind.Keys, k => k.Kind.StartsWith("oversize", StringComparison.Ordinal) && k.Status == 413);
        using var db = f.NewDb();
        Assert.Equal(0, await db.Inbox.CountAsync());
        Assert.Equal(0, await db.Outbox.CountAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        // Still serving: an authentic message after the storm is stored.
        var ok = await new WeComUser(f, http, "villager_after").SayAsync("进度");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
