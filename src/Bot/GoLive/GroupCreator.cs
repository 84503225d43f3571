using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.GoLive;

/// <summary>One roster group: created (with its chat id), already bound, or skipped with why.</summary>
public sealed record GroupOutcome(GroupBinding Group, string RegionName, string? ChatId, bool Created, string? Skipped);

/// <summary>
/// <c>wecom groups create</c>: every roster group with neither chat_id nor webhook_key becomes an app group chat
/// (<c>appchat/create</c>) with its members and an owner from the roster, and its chat_id is written back. The chat id is
/// derived from the binding (<c>rrb{purpose}{region}</c>), so a run cut off between WeCom's answer and the save only binds
/// the existing chat next time (86215) instead of creating a second one.
/// </summary>
public sealed class GroupCreator(WeComApiClient api, BotDb db)
{
    public async Task<IReadOnlyList<GroupOutcome>> RunAsync(CancellationToken ct)
    {
        var regions = await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Code, ct);
        var staff = await db.Staff.AsNoTracking().Where(s => s.Active).OrderBy(s => s.UserId).ToListAsync(ct);
        var groups = await db.Groups.OrderBy(g => g.Id).ToListAsync(ct);
        var outcomes = new List<GroupOutcome>();
        foreach (var g in groups.Where(g => string.IsNullOrWhiteSpace(g.ChatId) && string.IsNullOrWhiteSpace(g.WebhookKey)))
        {
            var regionName = regions.TryGetValue(g.RegionCode, out var region) ? region.Name : g.RegionCode;
            var (members, owner) = MembersOf(g, staff, regions);
            if (members.Count < 2 || owner is null)
            {
                outcomes.Add(new GroupOutcome(g, regionName, null, false, $"名单里只有 {members.Count} 人可进这个群（至少要 2 人，且要有群主）：请先导入{Needed(g.Purpose)}"));
                continue;
            }

            var chatId = ChatIdOf(g);
            bool created;
            try
            {
                await api.SendAsync(new AppChatCreateRequest { Name = NameOf(g, regionName), Owner = owner, UserList = members, ChatId = chatId }, ct);
                created = true;
            }
            catch (WeComApiException e) when (e.ErrCode == 86215)
            {
                created = false; // made by an earlier run that did not get to save
            }
            catch (WeComApiException e)
            {
                outcomes.Add(new GroupOutcome(g, regionName, null, false, WeComProblems.Explain(e.ErrCode)));
                continue;
            }

            g.ChatId = chatId;
            await db.SaveChangesAsync(ct);
            outcomes.Add(new GroupOutcome(g, regionName, chatId, created, null));
        }

        return outcomes;
    }

    public static string ChatIdOf(GroupBinding g)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"rrb{(int)g.Purpose}{new string([.. g.RegionCode.Where(char.IsAsciiLetterOrDigit)])}");
        return id.Length <= 32 ? id : id[..32];
    }

    private static string NameOf(GroupBinding g, string regionName) => $"{regionName}{g.Purpose.Chinese()}";

    private static string Needed(GroupPurpose p) => p switch
    {
        GroupPurpose.TownshipWork => "乡镇干部、分管领导和村两委",
        GroupPurpose.CountyLeaders => "县级领导和县级办公室人员",
        _ => "县级办公室人员和乡镇分管领导",
    };

    /// <summary>
    /// Township work group: the township's officers and leads plus its villages' cadres (owner: a lead). County leaders' group:
    /// leaders and the county office (owner: the office). Bulletin group: the county office, leaders and the township leads
    /// below the region (owner: the office).
    /// </summary>
    private static (List<string> Members, string? Owner) MembersOf(GroupBinding g, List<Staff> staff, Dictionary<string, Region> regions)
    {
        bool Under(string code) => code == g.RegionCode || (regions.TryGetValue(code, out var r) && r.ParentCode is { } p && Under(p));
        IEnumerable<Staff> people = g.Purpose switch
        {
            GroupPurpose.TownshipWork => staff.Where(s =>
                (s.RegionCode == g.RegionCode && s.Role is StaffRole.TownshipOfficer or StaffRole.TownshipLead)
                || (s.Role == StaffRole.VillageCadre && regions.TryGetValue(s.RegionCode, out var v) && v.ParentCode == g.RegionCode)),
            GroupPurpose.CountyLeaders => staff.Where(s => s.RegionCode == g.RegionCode && s.Role is StaffRole.CountyLeader or StaffRole.CountyOffice),
            _ => staff.Where(s => Under(s.RegionCode) && s.Role is StaffRole.CountyOffice or StaffRole.CountyLeader or StaffRole.TownshipLead),
        };
        var list = people.ToList();
        var owner = list.FirstOrDefault(s => s.Role == StaffRole.CountyOffice) ?? list.FirstOrDefault(s => s.Role == StaffRole.TownshipLead) ?? list.FirstOrDefault();
        return ([.. list.Select(s => s.UserId).Distinct(StringComparer.OrdinalIgnoreCase)], owner?.UserId);
    }
}
