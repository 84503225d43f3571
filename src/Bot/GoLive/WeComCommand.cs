using Microsoft.Extensions.Options;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.WeCom;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.GoLive;

/// <summary>
/// Command line: <c>wecom sync | groups create | menu | kf-links --out DIR | doctor</c> — the tools that take a county from
/// the WeCom admin console to its first task card. Exit code 0 on success, 1 when something needs fixing, 2 on a usage error.
/// </summary>
public static class WeComCommand
{
    public const string Usage =
        """
        用法 / usage:
          dotnet run --project src/Bot -- wecom sync                 核对通讯录与人员名单
          dotnet run --project src/Bot -- wecom groups create        为名单里没有 chat_id 和 webhook_key 的群创建应用群聊
          dotnet run --project src/Bot -- wecom menu                 设置应用菜单
          dotnet run --project src/Bot -- wecom kf-links --out <目录>  每个村一个微信客服入口：二维码海报和 index.html
          dotnet run --project src/Bot -- wecom doctor               检查配置，逐项给出修正办法
        """;

    public static Task<int> RunAsync(IServiceProvider services, string[] args) => RunAsync(services, args, Console.Out, Console.Error);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        if (services.GetService<WeComApiClient>() is null)
        {
            await error.WriteLineAsync("还没有配置企业微信：请先填写 WeCom:CorpId、WeCom:AgentId、WeCom:Secret（见 appsettings.sample.json 和 README“上线”一节）。");
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        try
        {
            switch (args)
            {
                case ["wecom", "sync"]:
                    var report = await new AddressBookCheck(sp.GetRequiredService<WeComApiClient>(), sp.GetRequiredService<BotDb>()).RunAsync(ct);
                    await AddressBookCheck.PrintAsync(report, output);
                    return report.RosterCovered ? 0 : 1;
                case ["wecom", "groups", "create"]:
                    return await GroupsAsync(sp, output, ct);
                case ["wecom", "menu"]:
                    return await MenuAsync(sp, output, ct);
                case ["wecom", "kf-links", "--out", var dir]:
                    return await KfLinks.RunAsync(sp, Hosting.CommandLinePaths.Resolve(dir), output, ct);
                case ["wecom", "doctor"]:
                    return await Doctor.RunAsync(sp, output, ct);
                default:
                    await error.WriteLineAsync(Usage);
                    return 2;
            }
        }
        catch (WeComApiException e)
        {
            await error.WriteLineAsync($"企业微信拒绝了 {e.ApiPath}：{WeComProblems.Explain(e.ErrCode)}（{e.ErrCode}）。可运行 wecom doctor 逐项检查。");
            return 1;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"连不上企业微信（{e.Message}）：请检查网络和 WeCom:ApiBaseUrl。");
            return 1;
        }
    }

    private static async Task<int> GroupsAsync(IServiceProvider sp, TextWriter output, CancellationToken ct)
    {
        var outcomes = await new GroupCreator(sp.GetRequiredService<WeComApiClient>(), sp.GetRequiredService<BotDb>()).RunAsync(ct);
        foreach (var o in outcomes)
        {
            var what = $"{o.RegionName}{o.Group.Purpose.Chinese()}";
            await output.WriteLineAsync(o.Skipped is not null ? $"  未建：{what}：{o.Skipped}"
                : o.Created ? $"  已建：{what}（chat_id {o.ChatId}）" : $"  已绑定：{what}（此前已建，chat_id {o.ChatId}）");
        }
        var created = outcomes.Count(o => o.Created);
        await output.WriteLineAsync(outcomes.Count == 0 ? "没有要建的群：名单里每个群都已有 chat_id 或 webhook_key。" : $"新建群聊 {created} 个。");
        return outcomes.Any(o => o.Skipped is not null) ? 1 : 0;
    }

    /// <summary>The menu layout from <see cref="AppMenu"/>: entries without a parent are buttons, the rest are grouped under theirs.</summary>
    public static MenuCreateRequest MenuRequest()
    {
        var buttons = new List<MenuButton>();
        foreach (var e in AppMenu.Entries)
        {
            if (e.Under is null) buttons.Add(MenuButton.Click(e.Text, e.Key));
            else if (buttons.FindIndex(b => b.Name == e.Under && b.Type is null) is var i and >= 0)
                buttons[i] = buttons[i] with { SubButtons = [.. buttons[i].SubButtons!, MenuButton.Click(e.Text, e.Key)] };
            else buttons.Add(new MenuButton(e.Under, SubButtons: [MenuButton.Click(e.Text, e.Key)]));
        }
        return new MenuCreateRequest { Buttons = buttons };
    }

    private static async Task<int> MenuAsync(IServiceProvider sp, TextWriter output, CancellationToken ct)
    {
        var request = MenuRequest();
        await sp.GetRequiredService<WeComApiClient>().SendAsync(request, ct);
        var agent = sp.GetRequiredService<IOptions<WeComOptions>>().Value.AgentId;
        await output.WriteLineAsync($"应用 {agent} 的菜单已设置：" + string.Join("  ", request.Buttons.Select(b =>
            b.SubButtons is null ? b.Name : $"{b.Name}（{string.Join("、", b.SubButtons.Select(s => s.Name))}）")));
        return 0;
    }
}
