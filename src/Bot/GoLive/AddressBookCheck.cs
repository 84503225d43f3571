using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.GoLive;

/// <summary>What WeCom's address book says about one roster person who cannot receive messages.</summary>
public sealed record RosterGap(Staff Staff, string Why);

/// <summary>The roster compared with the members the app may see.</summary>
public sealed record AddressBookReport(
    int VisibleMembers,
    int RosterPeople,
    IReadOnlyList<RosterGap> Missing,
    IReadOnlyList<RosterGap> OutOfRange,
    IReadOnlyList<RosterGap> Inactive,
    IReadOnlyList<WeComMember> WithoutRole)
{
    public bool RosterCovered => Missing.Count == 0 && OutOfRange.Count == 0 && Inactive.Count == 0;
}

/// <summary>
/// <c>wecom sync</c>: reads the departments and members the app may see (department/list, user/list) and lists roster
/// people who are missing, inactive or outside the visible range (user/get tells which), and visible members in no roster row.
/// </summary>
public sealed class AddressBookCheck(WeComApiClient api, BotDb db)
{
    public async Task<AddressBookReport> RunAsync(CancellationToken ct)
    {
        var departments = (await api.SendAsync(new DepartmentListRequest(), ct)).Departments;
        var ids = departments.Select(d => d.Id).ToHashSet();
        var members = new Dictionary<string, WeComMember>(StringComparer.OrdinalIgnoreCase);
        // Top departments of what the app sees; fetch_child brings everything below them.
        foreach (var top in departments.Where(d => !ids.Contains(d.ParentId)))
            foreach (var m in (await api.SendAsync(new UserListRequest(top.Id), ct)).Members)
                members.TryAdd(m.UserId, m);

        var roster = await db.Staff.AsNoTracking().Where(s => s.Active).OrderBy(s => s.UserId).ToListAsync(ct);
        List<RosterGap> missing = [], outOfRange = [], inactive = [];
        foreach (var s in roster)
        {
            if (members.TryGetValue(s.UserId, out var m))
            {
                if (!m.IsActive) inactive.Add(new RosterGap(s, StatusText(m.Status)));
                continue;
            }

            try
            {
                var one = await api.SendAsync(new UserGetRequest(s.UserId), ct);
                if (one.Status != 1) inactive.Add(new RosterGap(s, StatusText(one.Status)));
                else outOfRange.Add(new RosterGap(s, "所在部门不在应用可见范围内"));
            }
            catch (WeComApiException e) when (e.ErrCode == 60011)
            {
                outOfRange.Add(new RosterGap(s, "不在应用可见范围内"));
            }
            catch (WeComApiException e) when (e.ErrCode is 60111 or 46004)
            {
                missing.Add(new RosterGap(s, "企业微信通讯录里没有这个账号"));
            }
        }

        var known = roster.Select(s => s.UserId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var withoutRole = members.Values.Where(m => !known.Contains(m.UserId)).OrderBy(m => m.UserId, StringComparer.Ordinal).ToList();
        return new AddressBookReport(members.Count, roster.Count, missing, outOfRange, inactive, withoutRole);
    }

    private static string StatusText(int status) => status switch
    {
        2 => "账号已禁用",
        4 => "账号未激活（还没有登录过企业微信）",
        5 => "已退出企业",
        _ => $"账号状态 {status}",
    };

    public static async Task PrintAsync(AddressBookReport r, TextWriter o)
    {
        await o.WriteLineAsync($"通讯录核对：应用可见成员 {r.VisibleMembers} 人，名单在岗人员 {r.RosterPeople} 人");
        await Section("名单里有、企业微信里没有（请在管理后台添加成员，或改正名单里的账号）", r.Missing);
        await Section("不在应用可见范围（管理后台 → 应用管理 → 本应用 → 可见范围）", r.OutOfRange);
        await Section("未激活或已禁用（请本人登录企业微信，或在管理后台启用）", r.Inactive);
        if (r.WithoutRole.Count > 0)
        {
            await o.WriteLineAsync($"企业微信里有、名单里没有角色的成员（{r.WithoutRole.Count}）：");
            foreach (var m in r.WithoutRole) await o.WriteLineAsync($"  {m.UserId} {m.Name}");
        }
        if (r.RosterCovered) await o.WriteLineAsync("名单上的人都能收到消息。");

        async Task Section(string title, IReadOnlyList<RosterGap> gaps)
        {
            if (gaps.Count == 0) return;
            await o.WriteLineAsync($"{title}（{gaps.Count}）：");
            foreach (var g in gaps) await o.WriteLineAsync($"  {g.Staff.UserId} {g.Staff.Name}（{g.Staff.Role.Chinese()}，{g.Staff.RegionCode}）：{g.Why}");
        }
    }
}
