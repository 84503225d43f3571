using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;

namespace RapidResponse.Bot.Tests.Cases;

/// <summary>
/// 丰都 第五步 限时清零 over the encrypted callback: the cadre reporting the problem chooses its class in the alert form (一般 by
/// default), and the class sets the case's clearance deadline, counted from the report.
/// </summary>
public sealed class ProblemClearanceTests
{
    private static readonly DateTimeOffset Monday = new(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));

    public static TheoryData<string, ProblemClass, DateOnly, long> Classes()
    {
        var d = new TheoryData<string, ProblemClass, DateOnly, long>();
        (string Answer, ProblemClass Class, DateOnly Due)[] rows =
        [
            ("1", ProblemClass.General, new DateOnly(2026, 10, 27)),       // 一般性问题在15日内
            ("疑难", ProblemClass.Difficult, new DateOnly(2027, 4, 12)),   // 疑难问题半年内
            ("3", ProblemClass.Special, new DateOnly(2027, 10, 12)),      // 特殊问题一年内
        ];
        foreach (var (answer, cls, due) in rows)
            foreach (var ticks in new long[] { -1, 0, 1 })
                d.Add(answer, cls, due, ticks);
        return d;
    }

    private static async Task<string> FileAlertAsync(BotFactory f, HttpClient http, ChatDriver chat, string? classAnswer)
    {
        var gm = new WeComUser(f, http, "gm_a1");
        foreach (var text in new[] { "预警", "H-A1-001", "是", "住房安全", "房屋墙体开裂，雨季漏雨严重", "一般" }) await gm.SayAsync(text);
        Assert.Contains("这个问题属于哪一类？按规定，问题要在时限内解决并销号：一般性问题15天内、疑难问题6个月内、特殊问题12个月内", chat.LastTextTo("gm_a1"));
        Assert.Contains("不清楚的回复“1”，按一般性问题办理", chat.LastTextTo("gm_a1"));
        if (classAnswer is not null) await gm.SayAsync(classAnswer);
        await gm.SayAsync("确认");
        return "FD-2026-000001";
    }

    [Theory]
    [MemberData(nameof(Classes))]
    public async Task ProblemClearance_ShouldBeDueByTheClassChosenAtTheReport_OnTimeAtItAndLateOneTickAfter_FD第五步(string answer, ProblemClass cls, DateOnly dueDay, long ticks)
    {
        // “原则上一般性问题在15日内、疑难问题半年内、特殊问题一年内完成销号”.
        var f = new BotFactory(Monday).WithWeCom();
        f.Settings["Timeline:Profile"] = "fengdu";
        var http = f.CreateClient();
        using var _ = f;
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var chat = new ChatDriver(f);
        var number = await FileAlertAsync(f, http, chat, answer);

        var c = await CaseWalker.LoadAsync(f, number);
        Assert.Equal(cls, c.ProblemClass);
        Assert.Contains(chat.CardsTo(c.CurrentStage!.Assignments[0].AssigneeId).Last().Fields, x => x.Label == "问题类别" && x.Value.StartsWith(cls.ToChinese()));
        await CaseWalker.WalkToAsync(f, number, StageKind.ProblemClearance);
        var stage = (await CaseWalker.LoadAsync(f, number)).CurrentStage!;
        var due = ChinaTime.EndOfDay(dueDay);
        Assert.Equal(due, stage.DueAt);   // counted from the report on 10-12, not from the stage's start
        var holder = stage.Assignments.First(a => a.IsOpen).AssigneeId;
        Assert.Equal("to_a", holder);     // the township clears (销号)

        f.Time.SetUtcNow(due.AddTicks(ticks));
        Assert.Equal("已销号", await new WeComUser(f, http, holder).ClickAsync(await CaseWalker.TaskOfAsync(f, number, holder), CardKeys.Cleared));
        c = await CaseWalker.LoadAsync(f, number);
        Assert.Equal(ticks > 0, c.Stages.Single(s => s.Id == stage.Id).CompletedLate);
        Assert.Equal(StageKind.Tracking, c.CurrentStage!.Kind);   // monthly tracking follows the clearance
    }

    [Fact]
    public async Task ProblemClass_ShouldDefaultToGeneral_AndExplainABadAnswer_FD第五步()
    {
        var f = new BotFactory(Monday).WithWeCom();
        f.Settings["Timeline:Profile"] = "fengdu";
        var http = f.CreateClient();
        using var _ = f;
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var chat = new ChatDriver(f);
        var gm = new WeComUser(f, http, "gm_a1");
        foreach (var text in new[] { "预警", "H-A1-001", "是", "住房安全", "房屋墙体开裂，雨季漏雨严重", "一般" }) await gm.SayAsync(text);
        // Not understood: what was wrong and what to send; the answers already given stay.
        await gm.SayAsync("很麻烦");
        Assert.Contains("没有看懂“很麻烦”是哪一类问题，请回复序号1、2或3", string.Join("\n", chat.TextsTo("gm_a1").TakeLast(2)));
        await gm.SayAsync("不清楚");
        Assert.Contains("问题类别：一般性问题", chat.LastTextTo("gm_a1"));
        Assert.Contains("情况：房屋墙体开裂，雨季漏雨严重", chat.LastTextTo("gm_a1"));
        await gm.SayAsync("确认");
        var c = await CaseWalker.LoadAsync(f, "FD-2026-000001");
        Assert.Equal(ProblemClass.General, c.ProblemClass);

        // A farmer's own report is not asked: 一般性问题 (15 days), the township sees the class on its cards.
        await CaseWalker.WalkToAsync(f, c.Number, StageKind.ProblemClearance);
        Assert.Equal(ChinaTime.EndOfDay(new DateOnly(2026, 10, 27)), (await CaseWalker.LoadAsync(f, c.Number)).CurrentStage!.DueAt);
        var farmer = await CaseWalker.LoadAsync(f, await CaseWalker.OpenAtAsync(f, StageKind.ProblemClearance, householdNo: "H-A1-002"));
        Assert.Equal((ProblemClass.General, ChinaTime.EndOfDay(new DateOnly(2026, 10, 27))), (farmer.ProblemClass, farmer.CurrentStage!.DueAt!.Value));
        Assert.Contains(chat.CardsTo("to_a").Last().Fields, x => x.Label == "问题类别" && x.Value == "一般性问题（15天内销号）");
    }
}
