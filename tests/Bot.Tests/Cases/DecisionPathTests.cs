using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;

namespace RapidResponse.Bot.Tests.Cases;

/// <summary>
/// 云龙 预警机制 二(七)(八), over the encrypted callback: 民主评议 → 村“两委”决定并公示5天 → 乡镇审定并公示5天 → 县级确定并公告;
/// the farmer hears the decision only at the county's confirmation, and the one-month assistance clock starts there.
/// </summary>
public sealed class DecisionPathTests
{
    private static DateTimeOffset Bj(int y, int mo, int d, int h = 10, int mi = 0) => new(y, mo, d, h, mi, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Notices_ShouldRunFiveCalendarDaysEachAcrossNationalDay_YL预警机制二八()
    {
        // “在村民小组内公开场所公示5天,公示结束上报乡镇审定并公示5天” — 5天, not 5个工作日 (三(二) says 工作日 where it means them):
        // a notice posted on 09-29 runs 09-30 … 10-04 through the holiday.
        using var f = new BotFactory(Bj(2026, 9, 29)).WithWeCom();
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var chat = new ChatDriver(f);
        var number = await CaseWalker.OpenAtAsync(f, StageKind.Appraisal);
        var village = new WeComUser(f, http, "gm_a1");
        Assert.StartsWith("民主评议任务", chat.CardsTo("gm_a1").Last().Title);
        Assert.Equal("符合条件", await village.ClickAsync(chat.CardsTo("gm_a1").Last().TaskId, "qualifies"));

        var notice = chat.CardsTo("gm_a1").Last();
        Assert.StartsWith("村级公示任务", notice.Title);
        Assert.Contains(notice.Fields, x => x.Label == "公示期" && x.Value == "10月4日（星期日）24时期满（5天）");
        var ends = ChinaTime.EndOfDay(new DateOnly(2026, 10, 4));
        f.Time.SetUtcNow(ends.AddTicks(-1));
        Assert.Null(await village.ClickAsync(notice.TaskId, "notice_done"));   // no passive reply: the card keeps its buttons, the chat says why
        Assert.Contains("公示期未满：公示到2026-10-04 23:59结束", chat.LastTextTo("gm_a1"));
        await village.SayAsync($"案件 {number}");
        Assert.Contains("- 村级公示：公示至10月4日（星期日）24时，办理中", chat.LastTextTo("gm_a1"));
        f.Time.SetUtcNow(ends);
        Assert.Equal("公示期满，已上报", await village.ClickAsync(notice.TaskId, "notice_done"));

        // The township's notice: posted at the last tick of 10-04, it runs 10-05 … 10-09, still inside the holiday.
        var township = new WeComUser(f, http, "to_a");
        var review = chat.CardsTo("to_a").Last();
        Assert.StartsWith("乡镇审定公示任务", review.Title);
        Assert.Contains(review.Fields, x => x.Label == "公示期" && x.Value == "10月9日（星期五）24时期满（5天）");
        f.Time.SetUtcNow(ChinaTime.EndOfDay(new DateOnly(2026, 10, 9)).AddTicks(-1));
        Assert.Null(await township.ClickAsync(review.TaskId, "notice_done"));   // no passive reply: the card keeps its buttons, the chat says why
        f.Time.SetUtcNow(Bj(2026, 10, 10, 9));   // the adjusted working Saturday
        Assert.Equal("公示期满，已上报", await township.ClickAsync(review.TaskId, "notice_done"));

        // No decision has reached the farmer yet: it comes with the county's confirmation, which starts the one-month clock.
        Assert.DoesNotContain(chat.TextsTo("villager_zhang"), t => t.Contains("认定"));
        var county = new WeComUser(f, http, "co_1");
        f.Time.SetUtcNow(Bj(2026, 10, 10, 10));
        Assert.Equal("已认定符合", await county.ClickAsync(chat.CardsTo("co_1").Last(c => c.Title.StartsWith("县级确定")).TaskId, "qualifies"));
        Assert.Contains("已经核实认定：您家符合监测帮扶条件", chat.LastTextTo("villager_zhang"));
        Assert.Contains("1个月内", chat.LastTextTo("villager_zhang"));
        var c = await CaseWalker.LoadAsync(f, number);
        var assistance = c.CurrentStage!;
        Assert.Equal((StageKind.AssistanceStart, Bj(2026, 10, 10, 10)), (assistance.Kind, assistance.StartedAt));
        Assert.Equal(ChinaTime.EndOfDay(new DateOnly(2026, 11, 10)), assistance.DueAt);   // 快速反应机制 三(四): 1个月 from the county's listing
        Assert.Equal(Bj(2026, 10, 10, 10), c.DecidedAt);
        Assert.All(c.Stages.Where(s => s.Kind is StageKind.VillageNotice or StageKind.TownshipNotice), s => Assert.Null(s.DueAt));
    }

    [Fact]
    public async Task HouseholdCheck_ShouldTellTheFarmerItIsProgressNotADecision_YL预警机制二七()
    {
        using var f = new BotFactory(Bj(2026, 10, 12)).WithWeCom();
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var chat = new ChatDriver(f);
        await CaseWalker.OpenAtAsync(f, StageKind.HouseholdCheck);
        var check = chat.CardsTo("vc_a1").Last();
        Assert.StartsWith("入户核查任务", check.Title);
        await new WeComUser(f, http, "vc_a1").ClickAsync(check.TaskId, "qualifies");
        var told = chat.LastTextTo("villager_zhang");
        Assert.Contains("村里入户核查符合条件。这还不是最后结果", told);
        Assert.Contains("民主评议", told);
        Assert.DoesNotContain("认定", told);
        Assert.StartsWith("民主评议任务", chat.CardsTo("gm_a1").Last().Title);
    }
}
