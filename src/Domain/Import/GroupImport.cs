using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Import;

/// <summary>groups: region_code, purpose, chat_id, webhook_key — at most one of chat_id (app group chat) and webhook_key (group robot); neither: created by <c>wecom groups create</c>.</summary>
internal static class GroupImport
{
    private sealed record Row(int Line, string RegionCode, GroupPurpose Purpose, string? ChatId, string? WebhookKey)
    {
        public string Key => KeyOf(RegionCode, Purpose);
    }

    private static string KeyOf(string region, GroupPurpose purpose) => $"{region}|{purpose}";

    internal const string ExactlyOne =
        "chat_id 和 webhook_key 最多填一个：应用群聊填 chat_id，群机器人填 webhook_key（机器人地址中 key= 后面的部分）；两项都留空则由 wecom groups create 创建应用群聊";

    public static async Task RunAsync(ImportRun run, List<TableRow> rows)
    {
        var regions = await run.Db.Regions.AsNoTracking().Select(x => new { x.Code, x.Level }).ToDictionaryAsync(x => x.Code, x => x.Level, run.Ct);
        var valid = new List<Row>();
        foreach (var r in rows)
        {
            var problems = new List<string>();
            var region = run.Cell(r, "region_code");
            var purposeText = run.Cell(r, "purpose");
            var chat = run.Cell(r, "chat_id");
            var webhook = WebhookKey(run.Cell(r, "webhook_key"));
            var level = RegionLevel.County;
            if (region.Length == 0) problems.Add("区域代码（region_code）不能为空");
            else if (!regions.TryGetValue(region, out level)) problems.Add($"区域代码 {region} 不存在：请先导入区域（regions）");
            var hasPurpose = RosterValues.TryPurpose(purposeText, out var purpose);
            if (!hasPurpose)
                problems.Add(purposeText.Length == 0 ? $"群用途不能为空，可填 {RosterValues.PurposeChoices}" : $"群用途“{purposeText}”不认识，可填 {RosterValues.PurposeChoices}");
            else if (regions.ContainsKey(region) && LevelFits(purpose, level) is { } misfit) problems.Add(misfit);
            // Both empty: an app group chat that `wecom groups create` creates and writes back (issue 14).
            if (chat.Length > 0 && webhook.Length > 0)
                problems.Add(ExactlyOne);
            if (hasPurpose && region.Length > 0 && run.SeenBefore("key", KeyOf(region, purpose), r.Line) is { } first)
                problems.Add($"区域 {region} 的{purpose.Chinese()}与第{first}行重复");
            if (problems.Count > 0) run.Reject(r.Line, problems);
            else valid.Add(new Row(r.Line, region, purpose, chat.Length == 0 ? null : chat, webhook.Length == 0 ? null : webhook));
        }

        await run.UpsertAsync(valid, x => x.Key,
            keys =>
            {
                var codes = keys.Select(k => k[..k.LastIndexOf('|')]).Distinct().ToList();
                return run.Db.Groups.Where(x => codes.Contains(x.RegionCode));
            },
            x => KeyOf(x.RegionCode, x.Purpose),
            x => new GroupBinding { RegionCode = x.RegionCode, Purpose = x.Purpose, ChatId = x.ChatId, WebhookKey = x.WebhookKey },
            (e, x) =>
            {
                // A row with neither keeps the chat that `wecom groups create` made for it.
                if (x.ChatId is null && x.WebhookKey is null) return false;
                if (e.ChatId == x.ChatId && e.WebhookKey == x.WebhookKey) return false;
                (e.ChatId, e.WebhookKey) = (x.ChatId, x.WebhookKey);
                return true;
            });
    }

    /// <summary>A township work group belongs to a township, the county leaders' group to the county; bulletins go to either.</summary>
    private static string? LevelFits(GroupPurpose purpose, RegionLevel level) => purpose switch
    {
        GroupPurpose.TownshipWork when level != RegionLevel.Township => $"乡镇工作群只能绑定到乡镇，而这个区域是{level.Chinese()}",
        GroupPurpose.CountyLeaders when level != RegionLevel.County => $"县领导群只能绑定到县，而这个区域是{level.Chinese()}",
        GroupPurpose.Bulletin when level == RegionLevel.Village => "通报群只能绑定到县或乡镇",
        _ => null,
    };

    /// <summary>Accepts the bare key or the whole robot address (…/webhook/send?key=XXXX).</summary>
    private static string WebhookKey(string text)
    {
        var i = text.IndexOf("key=", StringComparison.OrdinalIgnoreCase);
        if (i < 0 || !text.Contains('?')) return text;
        var key = text[(i + 4)..];
        var amp = key.IndexOf('&');
        return amp < 0 ? key : key[..amp];
    }
}
