using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using static RapidResponse.Bot.Tests.Scheduler.Seed;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>The “公示期满” reminder of a notice stage on the real Quartz sweep: once, at the first working-hours opening after the notice.</summary>
[Collection(SchedulerRuns.Collection)]
public sealed class NoticeReminderTests
{
    [Fact]
    public async Task Sweep_ShouldRemindTheVillageOnceAfterTheNoticeEndsAcrossNationalDay_YL预警机制二八()
    {
        // 云龙 预警机制 二(八) “公示5天,公示结束上报乡镇”: posted 09-29, the notice ends with 10-04 (inside the holiday); the village is
        // reminded to pass it on at 08:30 on 10-08, the first working morning, not on a holiday.
        await using var h = await SchedulerRuns.StartAsync(SchedulerRuns.NewDirectory(), Bj(9, 29, 10));
        await RosterAsync(h);
        var number = await OpenCaseAsync(h);
        await CompleteAsync(h, number, "gm1");
        foreach (var d in new[] { "JT", "MZ" }) await CompleteAsync(h, number, d, TaskResult.NoAnomaly);
        await CompleteAsync(h, number, "to1");
        await CompleteAsync(h, number, "gm1", TaskResult.Qualifies);
        await CompleteAsync(h, number, "gm1", TaskResult.Qualifies);   // 民主评议
        await using (var scope = h.Scope())
        {
            var stage = await scope.ServiceProvider.GetRequiredService<BotDb>().Stages.AsNoTracking().Include(s => s.Steps)
                .SingleAsync(s => s.CompletedAt == null);
            Assert.Equal((StageKind.VillageNotice, null), (stage.Kind, stage.DueAt));
            Assert.Equal([(LadderStepKind.NoticeEnded, Bj(10, 8, 8, 30))], stage.Steps.Select(s => (s.Kind, s.FireAt)));
        }

        await h.SweepAtAsync(Bj(10, 5, 9));
        await h.SweepAtAsync(Bj(10, 8, 8, 29));
        Assert.DoesNotContain(await h.OutboxAsync(), o => o.DedupeKey!.StartsWith("ladder:"));
        await h.SweepAtAsync(Bj(10, 8, 8, 30));
        await h.SweepAtAsync(Bj(10, 8, 9, 30));
        var sent = Assert.Single(await h.OutboxAsync(), o => o.DedupeKey!.StartsWith("ladder:"));
        Assert.Equal((OutboundChannel.AppUser, "gm1"), (sent.Channel, sent.Recipient));
        var text = OutboundPayload.Deserialize<TextBody>(sent.Payload).Content;
        Assert.Contains("【公示期满】", text);
        Assert.Contains("村级公示", text);
        Assert.Contains("10月4日（星期日）24时", text);
        Assert.Contains(number, text);
    }
}
