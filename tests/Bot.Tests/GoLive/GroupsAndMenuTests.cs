using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Tests.GoLive;

/// <summary>Issue 14 items 2 and 3: <c>wecom groups create</c> (appchat/create) and <c>wecom menu</c> (menu/create).</summary>
public sealed class GroupsAndMenuTests
{
    [Fact]
    public async Task GroupsCreate_ShouldCreateEachUnboundGroupOnce_AndLeaveRobotGroupsAlone()
    {
        using var f = GoLiveHost.Start();
        using (var db = f.NewDb())
        {
            foreach (var g in db.Groups.Where(g => g.ChatId != null)) g.ChatId = null; // 河口乡 work group, county leaders' group
            await db.SaveChangesAsync();
        }
        var sim = f.WeCom!.Simulator;

        var (code, output, _) = await GoLiveHost.RunAsync(f, "wecom", "groups", "create");

        Assert.Equal(0, code);
        Assert.Contains("新建群聊 2 个。", output);
        var township = sim.Chats.Single(c => c.Name == "河口乡乡镇工作群");
        Assert.Equal("tl_b", township.Owner);
        Assert.Equal(["tl_b", "to_b", "vc_b1"], township.Members.Order());
        var leaders = sim.Chats.Single(c => c.Name == "示范县县领导群");
        Assert.Equal("co_1", leaders.Owner);
        Assert.Equal(["cl_1", "co_1"], leaders.Members.Order());
        using (var db = f.NewDb())
        {
            var groups = await db.Groups.AsNoTracking().ToListAsync();
            Assert.Equal(township.ChatId, groups.Single(g => g.RegionCode == TestRoster.TownB && g.Purpose == GroupPurpose.TownshipWork).ChatId);
            Assert.Equal(leaders.ChatId, groups.Single(g => g.Purpose == GroupPurpose.CountyLeaders).ChatId);
            var robot = groups.Single(g => g.RegionCode == TestRoster.TownA && g.Purpose == GroupPurpose.TownshipWork);
            Assert.Equal(("hook-town-a", null), (robot.WebhookKey, robot.ChatId));
        }

        var again = await GoLiveHost.RunAsync(f, "wecom", "groups", "create");

        Assert.Equal(0, again.Code);
        Assert.Contains("没有要建的群", again.Output);
        Assert.Equal(2, sim.CallsTo("/cgi-bin/appchat/create").Count);
        Assert.Equal(2, sim.Chats.Count);
    }

    [Fact]
    public async Task GroupsCreate_ShouldBindTheChatMadeBefore_WhenAnEarlierRunDidNotSaveIt()
    {
        using var f = GoLiveHost.Start();
        using (var db = f.NewDb())
        {
            var g = db.Groups.Single(g => g.Purpose == GroupPurpose.CountyLeaders);
            g.ChatId = null;
            await db.SaveChangesAsync();
            f.WeCom!.Simulator.AddChat(RapidResponse.Bot.GoLive.GroupCreator.ChatIdOf(g), "示范县县领导群", "co_1", "cl_1");
        }

        var (code, output, _) = await GoLiveHost.RunAsync(f, "wecom", "groups", "create");

        Assert.Equal(0, code);
        Assert.Contains("已绑定：示范县县领导群（此前已建", output);
        Assert.Single(f.WeCom!.Simulator.Chats);
        using var check = f.NewDb();
        Assert.NotNull(check.Groups.Single(g => g.Purpose == GroupPurpose.CountyLeaders).ChatId);
    }

    [Fact]
    public async Task Menu_ShouldSetTheKeysTheConversationEngineHandles()
    {
        using var f = GoLiveHost.Start();

        var (code, output, _) = await GoLiveHost.RunAsync(f, "wecom", "menu");

        Assert.Equal(0, code);
        Assert.Contains("菜单已设置", output);
        var call = f.WeCom!.Simulator.CallsTo("/cgi-bin/menu/create").Single();
        Assert.False(call.Refused, call.ErrMsg);
        Assert.Equal("1000002", call.Query["agentid"]);
        var expected = JsonNode.Parse("""
            {"button":[
              {"name":"我的任务","type":"click","key":"my_tasks"},
              {"name":"申报","type":"click","key":"report"},
              {"name":"更多","sub_button":[
                {"name":"预警","type":"click","key":"alert"},
                {"name":"进度","type":"click","key":"progress"},
                {"name":"帮助","type":"click","key":"help"}]}]}
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(call.RequestBody)), call.RequestBody);
        Assert.All(AppMenu.Entries, e => Assert.Equal(e.Text, AppMenu.TextOf(e.Key)));
    }
}
