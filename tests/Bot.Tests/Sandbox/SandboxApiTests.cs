using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Messaging;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Sandbox;

/// <summary>The sandbox's JSON API over real HTTP on Kestrel: the same flow the page plays, scripted.</summary>
public sealed class SandboxApiTests
{
    private const string Farmer = "wm_demo_farmer_1";

    private static string Texts(JsonElement send) =>
        string.Join("\n", send.GetProperty("replies").EnumerateArray().Select(r => r.GetProperty("rendered").GetProperty("text").GetString()));

    private static JsonElement LastCard(JsonElement messages, string titleStart) =>
        messages.EnumerateArray().Last(m => m.GetProperty("kind").GetString() == "card"
            && m.GetProperty("rendered").GetProperty("title").GetString()!.StartsWith(titleStart, StringComparison.Ordinal));

    [Fact]
    public async Task VillageLink_ShouldOpenTheChatAsANewFarmerOfThatVillage_WhoIsNotAskedTheVillage()
    {
        await using var host = await SandboxApp.StartAsync(SandboxApp.Monday);
        var villages = await host.GetAsync("/sandbox/villages");
        Assert.Contains(villages.EnumerateArray(), v => v.GetProperty("code").GetString() == "990101001003" && v.GetProperty("name").GetString() == "柳溪村");

        var entered = await host.PostAsync("/sandbox/enter", new { village = "990101001003" });

        var from = entered.GetProperty("from").GetString()!;
        Assert.StartsWith("wm_entry_990101001003_", from);
        Assert.True(entered.GetProperty("processed").GetBoolean());
        Assert.NotEmpty(entered.GetProperty("replies").EnumerateArray()); // the welcome, through the entry's welcome code
        var personas = await host.GetAsync("/sandbox/personas");
        Assert.Contains(personas.EnumerateArray(), p => p.GetProperty("id").GetString() == from && p.GetProperty("region").GetString() == "柳溪村");
        var asked = new List<string>();
        foreach (var text in new[] { "申报", "110101199003077774", "刘一", "13800009999" })
            asked.Add(Texts(await host.PostAsync("/sandbox/send", new { from, text })));
        Assert.Contains("哪种困难", asked[^1]);
        Assert.DoesNotContain(asked, t => t.Contains("所在的村"));
        foreach (var text in new[] { "1", "家里老人住院，花了很多钱", "确认" }) await host.PostAsync("/sandbox/send", new { from, text });

        // A photo from the page: WeCom holds it, the bot fetches it with media/get and attaches it to the new case.
        var photo = await host.PostAsync("/sandbox/send-media", new { from, type = "image", fileName = "票据.png", base64 = Convert.ToBase64String(RapidResponse.Bot.Tests.Evidence.Media.Png(12)) });
        Assert.True(photo.GetProperty("processed").GetBoolean());
        // The answer comes after the download job; the response waits for it only up to Sandbox:SendWait, so look in the chat.
        var answer = Texts(photo);
        for (var deadline = DateTime.UtcNow.AddSeconds(20); !answer.Contains("已收到照片") && DateTime.UtcNow < deadline; await Task.Delay(100))
            answer = string.Join("\n", (await host.GetAsync($"/sandbox/messages?to={from}")).EnumerateArray()
                .Select(x => x.GetProperty("rendered").TryGetProperty("text", out var t) ? t.GetString() : null));
        Assert.Contains("已收到照片，已附在 YL-2026-", answer);
        var bad = await host.PostAsync("/sandbox/enter", new { village = "123" }, 400);
        Assert.Contains("没有代码为“123”的村", bad.GetProperty("error").GetString());
    }

    [Fact]
    public async Task FarmerReport_ShouldReachCadreCardAndMoveClock_WhenPlayedOverHttp()
    {
        await using var host = await SandboxApp.StartAsync(SandboxApp.Monday);

        // The demo county is loaded; personas and groups come from it.
        var personas = await host.GetAsync("/sandbox/personas");
        Assert.Contains(personas.EnumerateArray(), p => p.GetProperty("id").GetString() == Farmer && p.GetProperty("channel").GetString() == "kf");
        Assert.Contains(personas.EnumerateArray(), p => p.GetProperty("id").GetString() == "gm_lishu" && p.GetProperty("roleName").GetString() == "网格监测员");
        var groups = await host.GetAsync("/sandbox/groups");
        Assert.Contains(groups.EnumerateArray(), g => g.GetProperty("to").GetString() == "demo-township-1" && g.GetProperty("name").GetString() == "东岭镇乡镇工作群");

        var report = await host.PostAsync("/sandbox/send", new { from = Farmer, text = "申报\n姓名：王乙子\n身份证号：990101198904220012\n村：桃园村\n困难类型：因病\n情况说明：丈夫住院，自付医疗费三万元\n联系电话：13800000001" });
        Assert.True(report.GetProperty("processed").GetBoolean());
        Assert.Contains("请核对", Texts(report));
        var receipt = await host.PostAsync("/sandbox/send", new { from = Farmer, text = "确认" });
        Assert.Contains("YL-2026-000001", Texts(receipt));

        // The farmer's reply is exactly the kf/send_msg body WeCom would get.
        var kf = receipt.GetProperty("replies")[0].GetProperty("weCom");
        Assert.Equal(Farmer, kf.GetProperty("touser").GetString());
        Assert.Equal("wk_sandbox", kf.GetProperty("open_kfid").GetString());
        Assert.Equal("text", kf.GetProperty("msgtype").GetString());

        // The grid monitor of 桃园村 holds the intake card: a message/send template_card with task_id and buttons.
        var inbox = await host.GetAsync("/sandbox/messages?to=gm_lishu");
        var card = LastCard(inbox, "受理");
        var wecom = card.GetProperty("weCom");
        Assert.Equal("template_card", wecom.GetProperty("msgtype").GetString());
        Assert.Equal("button_interaction", wecom.GetProperty("template_card").GetProperty("card_type").GetString());
        var taskId = wecom.GetProperty("template_card").GetProperty("task_id").GetString()!;
        Assert.Contains(card.GetProperty("rendered").GetProperty("buttons").EnumerateArray(), b => b.GetProperty("text").GetString() == "受理");
        Assert.DoesNotContain("990101198904220012", card.GetRawText());

        var click = await host.PostAsync("/sandbox/click", new { from = "gm_lishu", taskId, key = "accept" });
        Assert.Equal("已受理", click.GetProperty("label").GetString());
        // The passive reply greys it at once; the card update then names who did it (every holder ends on the final state).
        // The click's answer waits for the outbox only up to Sandbox:SendWait, so on a loaded machine the update may land after it.
        string? replacedBy = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            replacedBy = LastCard(await host.GetAsync("/sandbox/messages?to=gm_lishu"), "受理").GetProperty("rendered").GetProperty("replacedBy").GetString();
            if (replacedBy == "已受理（李树）") break;
        }
        Assert.Equal("已受理（李树）", replacedBy);
        // Comparison cards went to the departments matched to 因病.
        foreach (var dept in new[] { "dp_chenshi", "dp_yangsong" })
            Assert.Equal("template_card", LastCard(await host.GetAsync($"/sandbox/messages?to={dept}"), "信息比对").GetProperty("weCom").GetProperty("msgtype").GetString());
        using (var db = host.NewDb())
        {
            Assert.False(await db.Outbox.AnyAsync(o => o.Status == OutboxStatus.Pending));
            Assert.True(await db.SandboxMailbox.AnyAsync(m => m.WeComJson.Contains("信息比对")));
        }

        // The farmer's chat shows both sides in order.
        var chat = await host.GetAsync($"/sandbox/chat?with={Farmer}");
        Assert.Equal("in", chat[0].GetProperty("dir").GetString());
        Assert.Equal(TimeSpan.FromHours(8), chat[0].GetProperty("at").GetDateTimeOffset().Offset);
        Assert.Contains(chat.EnumerateArray(), l => l.GetProperty("dir").GetString() == "out");

        // Time travel: a week ahead, then to a given instant; never back.
        var before = host.Clock().GetUtcNow();
        var week = await host.PostAsync("/sandbox/clock", new { advance = "P1W" });
        Assert.True(week.GetProperty("now").GetDateTimeOffset() >= before.AddDays(7));
        Assert.Contains("2026年10月19日", week.GetProperty("text").GetString());
        var set = await host.PostAsync("/sandbox/clock", new { now = "2026-10-21T09:00:00+08:00" });
        var target = new DateTimeOffset(2026, 10, 21, 9, 0, 0, TimeSpan.FromHours(8));
        Assert.InRange(set.GetProperty("now").GetDateTimeOffset(), target, target.AddSeconds(5));
        Assert.Equal("2026年10月21日 星期三 09:00", set.GetProperty("text").GetString());
        var back = await host.PostAsync("/sandbox/clock", new { now = "2026-10-09T09:00:00+08:00" }, 400);
        Assert.Contains("时间只能向前拨", back.GetProperty("error").GetString());
        var clock = await host.GetAsync("/sandbox/clock");
        Assert.True(clock.GetProperty("now").GetDateTimeOffset() >= new DateTimeOffset(2026, 10, 21, 9, 0, 0, TimeSpan.FromHours(8)));
    }

    [Theory]
    [InlineData("/sandbox/send", "not json", "不是有效的 JSON")]
    [InlineData("/sandbox/send", "{\"text\":\"申报\"}", "缺少 from")]
    [InlineData("/sandbox/send", "{\"from\":\"wm_demo_farmer_1\"}", "缺少 text")]
    [InlineData("/sandbox/send", "{\"from\":\"a b\",\"text\":\"x\"}", "不是有效的 userid")]
    [InlineData("/sandbox/send", "{\"from\":1,\"text\":\"x\"}", "不是有效的 JSON")]
    [InlineData("/sandbox/send", "", "不是有效的 JSON")]
    [InlineData("/sandbox/click", "{\"from\":\"gm_lishu\"}", "缺少 taskId 或 key")]
    [InlineData("/sandbox/click", "{\"from\":\"wm_demo_farmer_1\",\"taskId\":\"t\",\"key\":\"accept\"}", "不是花名册里的工作人员")]
    [InlineData("/sandbox/clock", "{}", "只填 advance")]
    [InlineData("/sandbox/clock", "{\"advance\":\"P1D\",\"now\":\"2026-10-09T09:00:00+08:00\"}", "只填 advance")]
    [InlineData("/sandbox/clock", "{\"advance\":\"1 day\"}", "不是有效的时长")]
    [InlineData("/sandbox/clock", "{\"advance\":\"-P1D\"}", "时间只能向前拨")]
    [InlineData("/sandbox/clock", "{\"advance\":\"PT0H\"}", "不是有效的时长")]
    [InlineData("/sandbox/clock", "{\"now\":\"next monday\"}", "不是有效的时刻")]
    [InlineData("/sandbox/clock", "{\"now\":\"2000-01-01T09:00:00+08:00\"}", "时间只能向前拨")]
    public async Task BadInput_ShouldBe400WithChineseMessage_WhenRequestIsWrong(string path, string body, string expected)
    {
        await using var host = await SandboxApp.StartAsync(SandboxApp.Monday);
        var r = await host.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await r.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains(expected, JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/sandbox/messages", "缺少 to")]
    [InlineData("/sandbox/messages?to=gm_lishu&after=x", "after 应为消息编号")]
    [InlineData("/sandbox/chat", "缺少 with")]
    public async Task BadQuery_ShouldBe400WithChineseMessage_WhenParameterIsMissingOrWrong(string path, string expected)
    {
        await using var host = await SandboxApp.StartAsync(SandboxApp.Monday);
        var e = await host.GetAsync(path, 400);
        Assert.Contains(expected, e.GetProperty("error").GetString());
    }
}
