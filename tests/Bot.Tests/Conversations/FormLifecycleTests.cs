using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Conversations;

public sealed class FormLifecycleTests
{
    [Fact]
    public async Task IdleForm_ShouldExpireWithNotice_WhenNoAnswerForTheConfiguredTime()
    {
        using var f = new BotFactory();
        f.Settings["Conversations:FormIdleTimeout"] = "00:10:00";
        _ = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var chat = new ChatDriver(f);
        await chat.SendAsync("wm_x", "申报", InboundChannel.Kf, "kf1");
        await chat.SendAsync("wm_x", TestRoster.IdUnknown, InboundChannel.Kf, "kf1");
        f.Time.Advance(TimeSpan.FromMinutes(9));
        await Task.Delay(400);
        Assert.DoesNotContain("作废", chat.LastTextTo("wm_x"));
        f.Time.Advance(TimeSpan.FromMinutes(2));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!chat.LastTextTo("wm_x").Contains("作废") && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Contains("10分钟没有回复，已自动作废", chat.LastTextTo("wm_x"));
        // The next message starts afresh instead of continuing the discarded form.
        await chat.SendAsync("wm_x", "刘一", InboundChannel.Kf, "kf1");
        Assert.Contains("申报", chat.LastTextTo("wm_x"));
    }

    [Fact]
    public async Task Messages_ShouldBeHandledInOrder_WhenOnePersonSendsManyAtOnce()
    {
        using var f = new BotFactory();
        _ = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var writer = new ChatDriver(f);
        var steps = new[] { "申报", TestRoster.IdUnknown, "刘一", "13800009999", "李树村", "1", "丈夫住院花费很大" };
        var inbox = f.Services.GetService(typeof(RapidResponse.Bot.Inbox.InboxWriter)) as RapidResponse.Bot.Inbox.InboxWriter;
        for (var i = 0; i < steps.Length; i++)
            await inbox!.AcceptAsync(new(InboundChannel.Kf, "wm_y", $"m{i}", RapidResponse.Bot.Conversations.InboundKind.Text, f.Time.GetUtcNow(), Text: steps[i], OpenKfId: "kf1"), $"order-{i}");
        await writer.WaitIdleAsync();
        Assert.Contains("请核对", writer.LastTextTo("wm_y"));
        Assert.Contains("刘一", writer.LastTextTo("wm_y"));
    }

    [Theory]
    [InlineData(1, "还剩1分钟")]
    [InlineData(0, "还剩不到1分钟")]
    [InlineData(60 * 24 * 7, "还剩7天")]
    [InlineData(-90, "已逾期1小时30分钟")]
    [InlineData(60 * 24 * 2 + 30, "还剩2天30分钟")]
    public void Remaining_ShouldSayItInChinese(int minutesLeft, string expected)
    {
        var now = new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));
        Assert.Equal(expected, TaskCards.Remaining(now.AddMinutes(minutesLeft), now));
    }
}
