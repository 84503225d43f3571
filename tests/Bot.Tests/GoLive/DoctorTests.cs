namespace RapidResponse.Bot.Tests.GoLive;

/// <summary>Issue 14 item 6: <c>wecom doctor</c> — a checklist in Chinese with a fix per failure; exit 0 only when all pass.</summary>
public sealed class DoctorTests
{
    [Fact]
    public async Task Doctor_ShouldExit0_WhenEveryCheckPasses()
    {
        using var f = GoLiveHost.Start();

        var (code, output, _) = await GoLiveHost.RunAsync(f, "wecom", "doctor");

        Assert.True(code == 0, output);
        Assert.Contains("  ✔ 应用 Secret（WeCom:Secret）能取得 access_token", output);
        Assert.Contains("  ✔ 微信客服 Secret（WeCom:Kf:Secret）能取得 access_token", output);
        Assert.Contains("  ✔ 本服务器IP在企业可信IP中", output);
        Assert.Contains("  ✔ 应用可见范围覆盖名单上的 15 人", output);
        Assert.Contains("  ✔ 微信客服账号 wkvillageentry", output);
        Assert.Contains("  ✔ 名单里的 4 个群都有 chat_id 或 webhook_key", output);
        Assert.Contains("全部通过", output);
        Assert.DoesNotContain("✘", output);
    }

    [Fact]
    public async Task Doctor_ShouldFailWithTheFix_WhenTheAppSecretIsWrong()
    {
        using var f = GoLiveHost.Start(f => f.Settings["WeCom:Secret"] = "not-the-app-secret");

        var (code, output, _) = await GoLiveHost.RunAsync(f, "wecom", "doctor");

        Assert.Equal(1, code);
        Assert.Contains("  ✘ 应用 Secret（WeCom:Secret）能取得 access_token" + Environment.NewLine
            + "      解决：Secret 不对：请在管理后台复制应用的 Secret，填入 WeCom:Secret", output);
        Assert.Contains("  ✔ 微信客服 Secret（WeCom:Kf:Secret）能取得 access_token", output);
        Assert.Contains("  ✔ 本服务器IP在企业可信IP中", output);
        Assert.Contains("未通过", output);
    }

    [Fact]
    public async Task Doctor_ShouldFailWithTheFix_WhenThisServersIpIsNotTrusted()
    {
        using var f = GoLiveHost.Start();
        f.WeCom!.Simulator.Settings.TrustedIp = false;

        var (code, output, _) = await GoLiveHost.RunAsync(f, "wecom", "doctor");

        Assert.Equal(1, code);
        Assert.Contains("  ✘ 本服务器IP在企业可信IP中" + Environment.NewLine
            + "      解决：本服务器的IP不在企业可信IP中：请在管理后台 → 应用管理 → 本应用 → 企业可信IP 中加入本服务器的出口IP", output);
        Assert.Contains("  ✘ 应用 Secret（WeCom:Secret）能取得 access_token", output);
    }

    [Fact]
    public async Task Doctor_ShouldFail_WhenAGroupHasNoChatOrAMemberIsOutOfRange()
    {
        using var f = GoLiveHost.Start();
        using (var db = f.NewDb())
        {
            db.Groups.Add(new RapidResponse.Domain.Roster.GroupBinding { RegionCode = "530101", Purpose = RapidResponse.Domain.Roster.GroupPurpose.Bulletin });
            await db.SaveChangesAsync();
        }
        f.WeCom!.Simulator.AddPerson("gm_a1", "王网格", null, 2, RapidResponse.Bot.WeCom.Simulator.MemberStatus.OutOfRange);

        var (code, output, _) = await GoLiveHost.RunAsync(f, "wecom", "doctor");

        Assert.Equal(1, code);
        Assert.Contains("  ✘ 应用可见范围覆盖名单上的人（1 人不能收到消息：gm_a1）", output);
        Assert.Contains("  ✘ 名单里的群都有 chat_id（1 个还没有：530101 通报群）" + Environment.NewLine + "      解决：运行 wecom groups create", output);
    }
}
