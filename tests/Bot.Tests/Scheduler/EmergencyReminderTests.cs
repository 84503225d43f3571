using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using static RapidResponse.Bot.Tests.Scheduler.Seed;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>
/// 方城: an emergency report is due within 48 hours. The sweep on the real scheduler reminds the intake assignee and the county
/// office at 24 h and 44 h while the case is not accepted; quiet hours (21:00–07:30) hold a reminder, weekends do not.
/// </summary>
[Collection(SchedulerHost.Collection)]
public sealed class EmergencyReminderTests
{
    private sealed record Row(string At, string Case, string Hours, string To, string Text);

    private static async Task<List<Row>> RowsAsync(SchedulerHost h)
    {
        await using var scope = h.Scope();
        var numbers = await scope.ServiceProvider.GetRequiredService<BotDb>().Cases.AsNoTracking().ToDictionaryAsync(c => c.Id.ToString(), c => c.Number);
        return [.. (await h.OutboxAsync()).Where(o => o.DedupeKey!.StartsWith("emergency:")).Select(o =>
        {
            var k = o.DedupeKey!.Split(':');
            return new Row(ChinaTime.ToLocal(o.CreatedAt).ToString("MM-dd HH:mm"), numbers[k[1]], k[2], o.Recipient, OutboundPayload.Deserialize<TextBody>(o.Payload).Content);
        })];
    }

    private static string Keys(IEnumerable<Row> rows) => string.Join(" | ", rows.Select(r => $"{r.At} {r.Case[^3..]} {r.Hours}h {r.To}"));

    [Fact]
    public async Task Sweep_ShouldRemindAt24And44HoursUntilAccepted_WhenQuietHoursHoldAndWeekendsDoNot()
    {
        var dir = SchedulerHost.NewDirectory();
        string a, b, c;
        // Friday 10-16 22:30: emergency A (天池村, grid monitor gm1) and B (旧州村, gm2); Saturday 02:00: emergency C (天池村).
        await using (var h = await SchedulerHost.StartAsync(dir, Bj(10, 16, 22, 30)))
        {
            await RosterAsync(h);
            a = await OpenCaseAsync(h, V1, "其他", Channel.Emergency);
            b = await OpenCaseAsync(h, V2, "其他", Channel.Emergency);
            await h.SweepAtAsync(Bj(10, 17, 2));
            c = await OpenCaseAsync(h, V1, "其他", Channel.Emergency);
            // B is accepted on Saturday morning: no reminder for it, ever.
            await h.SweepAtAsync(Bj(10, 17, 10));
            await CompleteAsync(h, b, "gm2");

            // A's 24 h falls at Saturday 22:30, in quiet hours; C's at Sunday 02:00, too. Both go at 07:30 on Sunday.
            await h.SweepAtAsync(Bj(10, 17, 22, 29));
            await h.SweepAtAsync(Bj(10, 17, 22, 30));
            await h.SweepAtAsync(Bj(10, 18, 7, 29));
            Assert.Empty(await RowsAsync(h));
            await h.SweepAtAsync(Bj(10, 18, 7, 30));
            await h.SweepAtAsync(Bj(10, 18, 7, 31));
            var rows = await RowsAsync(h);
            Assert.Equal($"10-18 07:30 {a[^3..]} 24h co1 | 10-18 07:30 {a[^3..]} 24h gm1 | 10-18 07:30 {c[^3..]} 24h co1 | 10-18 07:30 {c[^3..]} 24h gm1",
                Keys(rows.OrderBy(r => r.Case).ThenBy(r => r.To)));
            var textA = rows.First(r => r.Case == a).Text;
            Assert.Contains($"案件 {a}（诺邓镇天池村）报告已33小时，仍未受理", textA);
            Assert.Contains("截止 10月18日（星期日）22:30前，还剩约15小时", textA);
        }

        // A restart on Sunday noon repeats nothing.
        await using (var h = await SchedulerHost.StartAsync(dir, Bj(10, 18, 12)))
        {
            await h.SweepAtAsync(Bj(10, 18, 12, 1));
            Assert.Equal(4, (await RowsAsync(h)).Count);

            // A's 44 h at Sunday 18:30.
            await h.SweepAtAsync(Bj(10, 18, 18, 29));
            Assert.Equal(4, (await RowsAsync(h)).Count);
            await h.SweepAtAsync(Bj(10, 18, 18, 30));
            var a44 = (await RowsAsync(h)).Skip(4).ToList();
            Assert.Equal($"10-18 18:30 {a[^3..]} 44h gm1 | 10-18 18:30 {a[^3..]} 44h co1", Keys(a44));
            Assert.Contains("报告已44小时", a44[0].Text);
            Assert.Contains("还剩约4小时", a44[0].Text);

            // C's 44 h falls at Sunday 22:00 (quiet): held to Monday 07:30, past its 48 hours (Monday 02:00) — it still goes, saying so.
            await h.SweepAtAsync(Bj(10, 18, 22));
            await h.SweepAtAsync(Bj(10, 19, 2, 1));
            Assert.Equal(6, (await RowsAsync(h)).Count);
            await h.SweepAtAsync(Bj(10, 19, 7, 30));
            var c44 = (await RowsAsync(h)).Skip(6).ToList();
            Assert.Equal($"10-19 07:30 {c[^3..]} 44h gm1 | 10-19 07:30 {c[^3..]} 44h co1", Keys(c44));
            Assert.Contains("报告已53小时", c44[0].Text);
            Assert.Contains("已超过时限（截止 10月19日（星期一）02:00前）", c44[0].Text);

            await h.SweepAtAsync(Bj(10, 19, 9));
            await h.SweepAtAsync(Bj(10, 20, 9));
            var all = await RowsAsync(h);
            Assert.Equal(8, all.Count);
            Assert.DoesNotContain(all, r => r.Case == b);
            Assert.All(all, r => Assert.DoesNotContain("13900001111", r.Text));
        }
    }
}
