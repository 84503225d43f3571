using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using RapidResponse.Bench;
using RapidResponse.Bot.WeCom.Crypto;

namespace RapidResponse.Bot.Tests.Reliability;

/// <summary>The bot as a real process, killed with SIGKILL in the middle of a burst and restarted on the same SQLite file.</summary>
[Trait("Category", "Long")]
public sealed class CrashRecoveryTests
{
    private static readonly WeComCrypto Crypto = WeComCrypto.Create(BotProcess.Token, BotProcess.AesKey, BotProcess.CorpId).Value;

    [Fact]
    public async Task AcknowledgedCallbacks_ShouldBeStoredAndAnsweredExactlyOnce_WhenTheProcessIsKilledDuringABurstAndRestarted()
    {
        const int total = 1000;
        var bot = await BotProcess.StartAsync(extra: new Dictionary<string, string> { ["Scheduler__Enabled"] = "false" });
        var dir = bot.Directory;
        var acked = new bool[total];
        var ackedCount = 0;
        var next = -1;
        using var http = new HttpClient { BaseAddress = bot.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var killer = Task.Run(async () =>
        {
            while (Volatile.Read(ref ackedCount) < 300) await Task.Delay(1);
            bot.Kill();
        });
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var (query, body) = Signed($"villager_{i}", 9_100_000 + i);
                try
                {
                    using var r = await http.PostAsync("/wecom/callback" + query, new StringContent(body, Encoding.UTF8, "text/xml"));
                    if (r.StatusCode == HttpStatusCode.OK) { acked[i] = true; Interlocked.Increment(ref ackedCount); }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            }
        }));
        await killer;
        await bot.DisposeAsync();
        Assert.InRange(ackedCount, 300, total - 1); // the kill did land inside the burst

        await using var again = await BotProcess.StartAsync(dir, new Dictionary<string, string> { ["Scheduler__Enabled"] = "false" });
        var db = $"Data Source={Path.Combine(dir, "bot.db")};Mode=ReadOnly;Pooling=False";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Count(db, "SELECT COUNT(*) FROM Inbox WHERE Status = 0") > 0 && DateTime.UtcNow < deadline) await Task.Delay(100);

        var inbox = PerSender(db, "SELECT SenderId, COUNT(*) FROM Inbox GROUP BY SenderId");
        var replies = PerSender(db, "SELECT Recipient, COUNT(*) FROM Outbox GROUP BY Recipient");
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM Inbox WHERE Status <> 1"));
        for (var i = 0; i < total; i++)
        {
            var who = $"villager_{i}";
            var stored = inbox.GetValueOrDefault(who);
            if (acked[i]) Assert.True(stored == 1, $"{who} acknowledged but stored {stored} times");
            else Assert.InRange(stored, 0, 1); // stored and then killed before the answer went out: kept, once
            Assert.True(replies.GetValueOrDefault(who) == stored, $"{who}: {stored} stored, {replies.GetValueOrDefault(who)} replies");
        }
    }

    private static (string Query, string Body) Signed(string from, long msgId)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        var plain = $"<xml><ToUserName><![CDATA[{BotProcess.CorpId}]]></ToUserName><FromUserName><![CDATA[{from}]]></FromUserName><CreateTime>{ts}</CreateTime>"
                    + $"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[进度]]></Content><MsgId>{msgId}</MsgId><AgentID>1000002</AgentID></xml>";
        var encrypt = Crypto.Encrypt(plain);
        var nonce = "n" + msgId;
        return ($"?msg_signature={Crypto.Sign(ts, nonce, encrypt)}&timestamp={ts}&nonce={nonce}",
            $"<xml><ToUserName><![CDATA[{BotProcess.CorpId}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>");
    }

    private static long Count(string cs, string sql)
    {
        using var c = new SqliteConnection(cs);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    private static Dictionary<string, long> PerSender(string cs, string sql)
    {
        using var c = new SqliteConnection(cs);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var d = new Dictionary<string, long>();
        while (r.Read()) d[r.GetString(0)] = r.GetInt64(1);
        return d;
    }
}
