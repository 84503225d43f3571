using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using static RapidResponse.Bot.Tests.Scheduler.Seed;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>The ladder of 告知农户结果 tasks on the real Quartz sweep: the due-morning reminder, then the township group at breach.</summary>
[Collection(SchedulerHost.Collection)]
public sealed class FarmerNoticeSweepTests
{
    [Fact]
    public async Task Sweep_ShouldRemindEachCadreOnTheDueDayAndEscalateIntoTheirTownshipsGroup_WhenSeveralNoticesAreDue()
    {
        await using var h = await SchedulerHost.StartAsync(SchedulerHost.NewDirectory(), Bj(10, 12, 9));
        await RosterAsync(h);
        var inT1 = await OpenCaseAsync(h, V1);
        var inT2 = await OpenCaseAsync(h, V2);
        var later = await OpenCaseAsync(h, V1);
        long a, b, c;
        await using (var scope = h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            FarmerNotice Notice(string number, string assignee, DateTimeOffset due) => new()
            {
                CaseId = db.Cases.Single(x => x.Number == number).Id, CaseNumber = number, TaskId = "FN-" + number, AssigneeId = assignee,
                Outcome = "经核实认定：符合监测帮扶条件", CreatedAt = Bj(10, 12, 9), DueAt = due,
            };
            var notices = new[] { Notice(inT1, "gm1", Bj(10, 13, 18)), Notice(inT2, "gm2", Bj(10, 13, 18)), Notice(later, "vc1", Bj(10, 20, 18)) };
            db.FarmerNotices.AddRange(notices);
            await db.SaveChangesAsync();
            (a, b, c) = (notices[0].Id, notices[1].Id, notices[2].Id);
        }

        async Task<List<OutboxMessage>> RowsAsync() => [.. (await h.OutboxAsync()).Where(o => o.DedupeKey!.StartsWith("farmer-notice:"))];

        // The due day's morning: a reminder to each cadre whose notice is due today, none for the one due next week.
        await h.SweepAtAsync(Bj(10, 13, 9, 30));
        var nags = await RowsAsync();
        Assert.Equal([$"farmer-notice:{a}:nag", $"farmer-notice:{b}:nag"], nags.Select(o => o.DedupeKey).Order());
        Assert.Equal(["gm1", "gm2"], nags.Select(o => o.Recipient).Order());
        Assert.All(nags, o => Assert.Equal(OutboundChannel.AppUser, o.Channel));

        // Past due: the notice in 诺邓镇 goes to its work group with the cadre and the township lead @-mentioned; 功果桥镇 has
        // no work group, so nothing is posted there, but neither notice is escalated twice.
        await h.SweepAtAsync(Bj(10, 14, 9, 30));
        await h.SweepAtAsync(Bj(10, 14, 10, 30));
        var overdue = Assert.Single(await RowsAsync(), o => o.DedupeKey!.EndsWith(":overdue"));
        Assert.Equal(($"farmer-notice:{a}:overdue", OutboundChannel.AppChat, "chat-t1"), (overdue.DedupeKey, overdue.Channel, overdue.Recipient));
        var body = OutboundPayload.Deserialize<TextBody>(overdue.Payload);
        Assert.Equal(["gm1", "tl1"], body.Mentions);
        Assert.Contains(inT1, body.Content);
        await using (var scope = h.Scope())
        {
            var rows = await scope.ServiceProvider.GetRequiredService<BotDb>().FarmerNotices.AsNoTracking().OrderBy(n => n.Id).ToListAsync();
            Assert.Equal([true, true, false], rows.Select(n => n.EscalatedAt is not null));
        }
        Assert.Equal(3, (await RowsAsync()).Count);
        Assert.DoesNotContain(await RowsAsync(), o => o.DedupeKey == $"farmer-notice:{c}:nag");
    }
}
