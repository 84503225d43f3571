using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Conversations;

public sealed class FarmerReportSmokeTests
{
    [Fact]
    public async Task GuidedForm_ShouldCreateCaseAndCardVillage_WhenFarmerAnswersEveryStep()
    {
        using var f = new BotFactory();
        _ = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var chat = new ChatDriver(f);
        const string farmer = "wm_farmer1";
        await chat.SendAsync(farmer, "申报", InboundChannel.Kf, "kf1");
        Assert.Contains("身份证号", chat.LastTextTo(farmer));
        await chat.SendAsync(farmer, "53010119800101001X", InboundChannel.Kf, "kf1");
        Assert.Contains("校验位", chat.TextsTo(farmer)[^2]);
        await chat.SendAsync(farmer, TestRoster.IdUnknown, InboundChannel.Kf, "kf1");
        Assert.Contains("姓名", chat.LastTextTo(farmer));
        await chat.SendAsync(farmer, "刘一", InboundChannel.Kf, "kf1");
        Assert.Contains("手机号", chat.LastTextTo(farmer));
        await chat.SendAsync(farmer, "138 0000 9999", InboundChannel.Kf, "kf1");
        // Not on the roster: the one answer that reveals nothing, and the form goes on.
        Assert.Contains("信息核对不上", chat.TextsTo(farmer)[^2]);
        await chat.SendAsync(farmer, "李树", InboundChannel.Kf, "kf1");
        Assert.Contains("哪种困难", chat.LastTextTo(farmer));
        await chat.SendAsync(farmer, "1 3", InboundChannel.Kf, "kf1");
        await chat.SendAsync(farmer, "孩子上大学，丈夫住院花了很多钱", InboundChannel.Kf, "kf1");
        Assert.Contains("因病、因学", chat.LastTextTo(farmer));
        await chat.SendAsync(farmer, "确认", InboundChannel.Kf, "kf1");
        var receipt = chat.LastTextTo(farmer);
        Assert.Contains("YL-2026-000001", receipt);
        Assert.Contains("信息比对：2个工作日内", receipt);
        var cards = chat.CardsTo("gm_a1");
        Assert.Single(cards);
        Assert.Contains(cards[0].Buttons, b => b.Key == "accept");
        Assert.DoesNotContain(TestRoster.IdUnknown, string.Join("", cards[0].Fields.Select(x => x.Value)));
    }
}
