using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.WeCom;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.GoLive;

/// <summary>One line of the doctor's checklist: passed, or the problem and the fix.</summary>
public sealed record DoctorCheck(string Name, bool Passed, string? Fix = null);

/// <summary>
/// <c>wecom doctor</c>: checks a configuration against WeCom — the app and 微信客服 secrets get tokens, this server's IP
/// is trusted (60020), the app's visible range covers the roster, the configured open_kfid accounts exist and may be
/// managed (kf/account/list), every roster group has a chat — and prints a checklist in Chinese with the fix for each
/// failure. Exit code 0 only when every check passes.
/// </summary>
public static class Doctor
{
    public static async Task<int> RunAsync(IServiceProvider sp, TextWriter output, CancellationToken ct)
    {
        var checks = await CheckAsync(sp, ct);
        await output.WriteLineAsync("企业微信配置检查：");
        foreach (var c in checks)
            await output.WriteLineAsync(c.Passed ? $"  ✔ {c.Name}" : $"  ✘ {c.Name}\n      解决：{c.Fix}");
        var failed = checks.Count(c => !c.Passed);
        await output.WriteLineAsync(failed == 0 ? "全部通过，可以上线。" : $"{failed} 项未通过，按上面的办法改好后再运行 wecom doctor。");
        return failed == 0 ? 0 : 1;
    }

    public static async Task<IReadOnlyList<DoctorCheck>> CheckAsync(IServiceProvider sp, CancellationToken ct)
    {
        var api = sp.GetRequiredService<WeComApiClient>();
        var db = sp.GetRequiredService<BotDb>();
        var o = sp.GetRequiredService<IOptions<WeComOptions>>().Value;
        var checks = new List<DoctorCheck>();

        var ip = new DoctorCheck("本服务器IP在企业可信IP中", true);
        var app = await TokenAsync(api, WeComCredential.AppToken, "应用 Secret（WeCom:Secret）能取得 access_token");
        var kfName = o.Kf.Secret.Length > 0 ? "微信客服 Secret（WeCom:Kf:Secret）能取得 access_token" : "微信客服用应用 Secret 取 access_token（未配置 WeCom:Kf:Secret）";
        var kf = await TokenAsync(api, WeComCredential.KfToken, kfName);
        checks.Add(app);
        checks.Add(kf);
        checks.Add(ip);
        var canCall = app.Passed;

        if (!canCall)
        {
            checks.Add(new DoctorCheck("应用可见范围覆盖名单上的人", false, "先解决上面取不到 access_token 的问题"));
        }
        else
        {
            try
            {
                var r = await new AddressBookCheck(api, db).RunAsync(ct);
                var gaps = r.Missing.Concat(r.OutOfRange).Concat(r.Inactive).ToList();
                checks.Add(gaps.Count == 0 ? new DoctorCheck($"应用可见范围覆盖名单上的 {r.RosterPeople} 人", true)
                    : new DoctorCheck($"应用可见范围覆盖名单上的人（{gaps.Count} 人不能收到消息：{string.Join("、", gaps.Take(5).Select(g => g.Staff.UserId))}{(gaps.Count > 5 ? "…" : "")}）",
                        false, "运行 wecom sync 看每个人的原因；在管理后台 → 应用管理 → 本应用 → 可见范围 中加入他们所在的部门，或改正名单"));
            }
            catch (WeComApiException e)
            {
                checks.Add(new DoctorCheck("应用可见范围覆盖名单上的人", false, WeComProblems.Explain(e.ErrCode)));
            }
        }

        if (o.Kf.OpenKfIds.Count == 0)
        {
            checks.Add(new DoctorCheck("配置了微信客服账号（WeCom:Kf:OpenKfIds）", false,
                "在微信客服后台创建客服账号，把它的 open_kfid（wk 开头）填入 WeCom:Kf:OpenKfIds，例如 [\"wkAJ2GCAAAxxxx\"]"));
        }
        else if (!kf.Passed)
        {
            checks.Add(new DoctorCheck("微信客服账号存在且本应用可管理", false, "先解决上面取不到微信客服 access_token 的问题"));
        }
        else
        {
            try
            {
                var accounts = (await api.SendAsync(new KfAccountListRequest(), ct)).Accounts;
                foreach (var id in o.Kf.OpenKfIds)
                {
                    var a = accounts.FirstOrDefault(x => x.OpenKfId == id);
                    checks.Add(a is null ? new DoctorCheck($"微信客服账号 {id} 存在", false, "open_kfid 不对，或该账号不在本 Secret 可管理的范围：在微信客服后台核对账号，并在“API”中把它授权给本应用")
                        : !a.ManagePrivilege ? new DoctorCheck($"微信客服账号 {id} 可由本应用管理", false, "在微信客服后台 → API → 把该客服账号的接待授权给本应用")
                        : new DoctorCheck($"微信客服账号 {id}（{a.Name}）存在且可管理", true));
                }
            }
            catch (WeComApiException e)
            {
                checks.Add(new DoctorCheck("微信客服账号存在且本应用可管理", false, WeComProblems.Explain(e.ErrCode)));
            }
        }

        var groups = await db.Groups.AsNoTracking().ToListAsync(ct);
        var unbound = groups.Where(g => string.IsNullOrWhiteSpace(g.ChatId) && string.IsNullOrWhiteSpace(g.WebhookKey)).ToList();
        checks.Add(groups.Count == 0 ? new DoctorCheck("名单里有群（乡镇工作群、县领导群、通报群）", false, "导入 groups 名单（见 samples/groups.csv），再运行 wecom groups create")
            : unbound.Count == 0 ? new DoctorCheck($"名单里的 {groups.Count} 个群都有 chat_id 或 webhook_key", true)
            : new DoctorCheck($"名单里的群都有 chat_id（{unbound.Count} 个还没有：{string.Join("、", unbound.Select(g => $"{g.RegionCode} {g.Purpose.Chinese()}"))}）", false, "运行 wecom groups create"));
        return checks;

        async Task<DoctorCheck> TokenAsync(WeComApiClient client, WeComCredential credential, string name)
        {
            try
            {
                await client.CheckTokenAsync(credential, ct);
                return new DoctorCheck(name, true);
            }
            catch (WeComApiException e) when (e.ErrCode == 60020)
            {
                ip = new DoctorCheck("本服务器IP在企业可信IP中", false, WeComProblems.Explain(60020));
                return new DoctorCheck(name, false, "先解决IP不在企业可信IP中的问题（见下）");
            }
            catch (WeComApiException e)
            {
                return new DoctorCheck(name, false, credential == WeComCredential.KfToken && o.Kf.Secret.Length > 0
                    ? "微信客服 Secret 不对：在微信客服后台 → API → 复制 Secret，填入 WeCom:Kf:Secret" : WeComProblems.Explain(e.ErrCode));
            }
            catch (HttpRequestException e)
            {
                return new DoctorCheck(name, false, $"连不上企业微信（{e.Message}）：检查网络和 WeCom:ApiBaseUrl");
            }
        }
    }
}
