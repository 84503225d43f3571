using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations.Access;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Sandbox;

/// <summary>A ready-made message a persona can send with one tap.</summary>
public sealed record QuickReply(string Label, string Text);

/// <summary>Someone to play in the sandbox: a farmer on 微信客服 or a staff member on the app.</summary>
public sealed record Persona(string Id, string Name, string Role, string RoleName, string Channel, string? Region, IReadOnlyList<QuickReply> Quick);

/// <summary>A group chat of the roster: where escalations and bulletins land.</summary>
public sealed record SandboxGroup(string To, string Channel, string Name, string Purpose, string RegionCode);

/// <summary>Who can be played and which group chats can be read, from the loaded roster.</summary>
public sealed class SandboxRoster(BotDb db)
{
    public const int Farmers = 3;

    /// <summary>The sandbox's farmer ids: 微信客服 external userids of the first households of the first villages.</summary>
    public static string FarmerId(int n) => $"wm_demo_farmer_{n}";

    public async Task<List<Persona>> PersonasAsync(CancellationToken ct = default)
    {
        var regions = await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Code, r => r.Name, ct);
        var list = new List<Persona>();
        var n = 0;
        foreach (var h in await FarmerHouseholdsAsync(ct))
        {
            var village = regions.GetValueOrDefault(h.VillageCode, h.VillageCode);
            list.Add(new Persona(FarmerId(++n), $"{h.HeadName}（{village}）", "farmer", "农户", "kf", village,
            [
                new("申报", "申报"),
                new("一次填完申报", OneShotReport(h, village)),
                new("确认", "确认"),
                new("进度", "进度"),
            ]));
        }
        // Farmers who came in through a village's link (/sandbox/enter): new to the bot, their village known from the link.
        var entries = await db.KeyValues.AsNoTracking().Where(x => x.Key.StartsWith(SandboxChat.EntryPrefix)).OrderBy(x => x.UpdatedAt).ToListAsync(ct);
        foreach (var e in entries)
        {
            var village = regions.GetValueOrDefault(e.Value, e.Value);
            list.Add(new Persona(e.Key[SandboxChat.EntryPrefix.Length..], $"扫码农户（{village}）", "farmer", "农户", "kf", village,
                [new("申报", "申报"), new("确认", "确认"), new("进度", "进度")]));
        }
        var staff = await db.Staff.AsNoTracking().Where(s => s.Active).ToListAsync(ct);
        foreach (var s in staff.OrderBy(s => Rank(s.Role)).ThenBy(s => s.RegionCode).ThenBy(s => s.UserId))
        {
            var quick = new List<QuickReply> { new("我的任务", "我的任务"), new("帮助", "帮助") };
            if (s.Role is StaffRole.GridMonitor or StaffRole.VillageCadre or StaffRole.WorkTeam) quick.Add(new("预警", "预警"));
            list.Add(new Persona(s.UserId, s.Name, s.Role.ToString(), Jurisdiction.RoleName(s.Role), "app", regions.GetValueOrDefault(s.RegionCode, s.RegionCode), quick));
        }
        return list;
    }

    /// <summary>The villages whose 微信客服 link the page offers (/sandbox/enter), with their township.</summary>
    public async Task<List<VillageEntry>> VillagesAsync(CancellationToken ct = default)
    {
        var regions = await db.Regions.AsNoTracking().ToListAsync(ct);
        var names = regions.ToDictionary(r => r.Code, r => r.Name);
        return [.. regions.Where(r => r.Level == RegionLevel.Village).OrderBy(r => r.Code, StringComparer.Ordinal)
            .Select(r => new VillageEntry(r.Code, r.Name, r.ParentCode is { } p ? names.GetValueOrDefault(p, p) : ""))];
    }

    public async Task<List<SandboxGroup>> GroupsAsync(CancellationToken ct = default)
    {
        var regions = await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Code, r => r.Name, ct);
        var groups = await db.Groups.AsNoTracking().OrderBy(g => g.Purpose).ThenBy(g => g.RegionCode).ToListAsync(ct);
        return groups.Where(g => (g.ChatId ?? g.WebhookKey) is not null).Select(g => new SandboxGroup(
            g.ChatId ?? g.WebhookKey!,
            g.ChatId is not null ? "appchat" : "webhook",
            $"{regions.GetValueOrDefault(g.RegionCode, g.RegionCode)}{PurposeName(g.Purpose)}",
            PurposeName(g.Purpose),
            g.RegionCode)).ToList();
    }

    public static string PurposeName(GroupPurpose p) => p switch
    {
        GroupPurpose.TownshipWork => "乡镇工作群",
        GroupPurpose.CountyLeaders => "县领导群",
        _ => "通报群",
    };

    /// <summary>The households the sandbox farmers stand for: the first household of each of the first villages.</summary>
    public async Task<List<Household>> FarmerHouseholdsAsync(CancellationToken ct = default) =>
        (await db.Households.AsNoTracking().OrderBy(h => h.HouseholdNo).ToListAsync(ct))
            .GroupBy(h => h.VillageCode).Select(g => g.First()).Take(Farmers).ToList();

    /// <summary>The whole report in one message (ReportFlow's one-shot form); the ID number is the fictional county's.</summary>
    public static string OneShotReport(Household h, string village) =>
        $"申报\n姓名：{h.HeadName}\n身份证号：{h.IdNumber}\n村：{village}\n困难类型：因病\n情况说明：家人住院，自付医疗费两万多元\n联系电话：{h.Phone ?? "13800009999"}";

    private static int Rank(StaffRole r) => r switch
    {
        StaffRole.GridMonitor => 1,
        StaffRole.VillageCadre => 2,
        StaffRole.WorkTeam => 3,
        StaffRole.DepartmentOfficer => 4,
        StaffRole.TownshipOfficer => 5,
        StaffRole.TownshipLead => 6,
        StaffRole.CountyOffice => 7,
        _ => 8,
    };
}
