using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Import;

/// <summary>
/// households: household_no, head_name, id_number, phone, village_code, category, members, income_per_capita, contact_userid
/// (+ optional card, no_labour_capacity). Sized for a whole county (tens of thousands of rows): lookups go by batch, never by row.
/// </summary>
internal static class HouseholdImport
{
    private sealed record Row(int Line, string No, string HeadName, string IdNumber, string? Phone, string VillageCode,
        HouseholdCategory Category, CardColour? Card, int Members, decimal Income, string? ContactUserId, bool? NoLabour);

    public static async Task RunAsync(ImportRun run, List<TableRow> rows)
    {
        var regions = await run.Db.Regions.AsNoTracking().Select(x => new { x.Code, x.Level }).ToDictionaryAsync(x => x.Code, x => x.Level, run.Ct);
        var contacts = rows.Select(r => run.Cell(r, "contact_userid")).Where(x => x.Length > 0).Distinct().ToList();
        var staff = new HashSet<string>(StringComparer.Ordinal);
        foreach (var batch in contacts.Chunk(ImportRun.BatchSize))
            staff.UnionWith(await run.Db.Staff.AsNoTracking().Where(x => batch.Contains(x.UserId)).Select(x => x.UserId).ToListAsync(run.Ct));

        var valid = new List<Row>();
        foreach (var r in rows)
        {
            var problems = new List<string>();
            var row = Parse(run, r, regions, staff, problems);
            if (problems.Count > 0) run.Reject(r.Line, problems);
            else valid.Add(row!);
        }
        valid = await RejectTakenIdNumbers(run, valid);
        valid = await RejectOverloadedContacts(run, valid);

        await run.UpsertAsync(valid, x => x.No,
            keys => run.Db.Households.Where(x => keys.Contains(x.HouseholdNo)), x => x.HouseholdNo,
            x => new Household
            {
                HouseholdNo = x.No, HeadName = x.HeadName, IdNumber = x.IdNumber, Phone = x.Phone, VillageCode = x.VillageCode,
                Category = x.Category, Card = x.Card ?? CardColour.None, Members = x.Members, IncomePerCapita = x.Income, ContactUserId = x.ContactUserId,
                NoLabourCapacity = x.NoLabour ?? false,
            },
            Apply);
    }

    private static Row? Parse(ImportRun run, TableRow r, Dictionary<string, RegionLevel> regions, HashSet<string> staff, List<string> problems)
    {
        var no = run.Cell(r, "household_no");
        var head = run.Cell(r, "head_name");
        var id = IdNumber.Normalize(run.Cell(r, "id_number"));
        var phone = run.Cell(r, "phone");
        var village = run.Cell(r, "village_code");
        var categoryText = run.Cell(r, "category");
        var membersText = run.Cell(r, "members");
        var incomeText = run.Cell(r, "income_per_capita");
        var contact = run.Cell(r, "contact_userid");
        var cardText = run.Cell(r, "card");
        var noLabourText = run.Cell(r, "no_labour_capacity");

        if (Codes.Check(no, "户编号") is { } bad) problems.Add(bad);
        else if (run.SeenBefore("no", no, r.Line) is { } first) problems.Add($"户编号 {no} 与第{first}行重复");
        if (head.Length == 0) problems.Add("户主姓名不能为空");
        if (IdNumber.Validate(id, run.Today) is { } badId)
            problems.Add(id.Length < 8 || id.Contains("E+", StringComparison.Ordinal) ? badId : $"{badId}（本行填的是 {Mask.IdNumber(id)}）");
        else if (run.SeenBefore("id", id, r.Line) is { } first) problems.Add($"户主身份证号 {Mask.IdNumber(id)} 与第{first}行重复");
        if (phone.Length > 0 && PhoneNumber.Validate(phone) is { } badPhone) problems.Add(badPhone + Codes.PhoneHint(phone));
        if (village.Length == 0) problems.Add("村代码（village_code）不能为空");
        else if (!regions.TryGetValue(village, out var level)) problems.Add($"村代码 {village} 不存在：请先导入区域（regions）");
        else if (level != RegionLevel.Village) problems.Add($"村代码 {village} 是{level.Chinese()}，农户只能登记到村");
        var category = HouseholdCategory.Ordinary;
        if (categoryText.Length > 0 && !RosterValues.TryCategory(categoryText, out category))
            problems.Add($"农户类别“{categoryText}”不认识，可填 {RosterValues.CategoryChoices}");
        if (!int.TryParse(membersText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var members) || members is < 1 or > 99)
            problems.Add(membersText.Length == 0 ? "家庭人口（members）不能为空，填整数，例如 4" : $"家庭人口“{membersText}”应是1到99之间的整数，例如 4");
        var incomeClean = incomeText.Replace(",", "").Replace("，", "").Replace("元", "");
        if (!decimal.TryParse(incomeClean, NumberStyles.Number, CultureInfo.InvariantCulture, out var income) || income < 0)
            problems.Add(incomeText.Length == 0 ? "人均纯收入（income_per_capita）不能为空，填元/年，例如 6900" : $"人均纯收入“{incomeText}”应是不小于0的数字（元/年），例如 6900");
        if (contact.Length > 0 && !staff.Contains(contact)) problems.Add($"帮扶联系人账号 {contact} 不在人员名单中：请先导入人员（staff）");
        CardColour? card = null;
        if (run.HasColumn("card"))
        {
            if (RosterValues.TryCard(cardText, out var c)) card = c;
            else problems.Add($"卡片颜色“{cardText}”不认识，可填 {RosterValues.CardChoices}");
        }
        // 丰都 第五步: 整户丧失劳动能力的（含正在享受农村低保或特困人员救助供养的监测对象）— 低保 / 特困 imply it.
        bool? noLabour = null;
        if (run.HasColumn("no_labour_capacity"))
        {
            if (RosterValues.TryNoLabour(noLabourText, out var nl)) noLabour = nl;
            else problems.Add($"整户无劳动能力（no_labour_capacity）“{noLabourText}”不认识，可填 {RosterValues.NoLabourChoices}，不填视为“否”");
        }
        if (problems.Count > 0) return null;
        return new Row(r.Line, no, head, id, phone.Length == 0 ? null : PhoneNumber.Normalize(phone), village, category, card, members, income,
            contact.Length == 0 ? null : contact, noLabour);
    }

    /// <summary>丰都 “每名监测帮扶联系人…最多不超过2户” / 湘阴 “结对户数不得超过5户”: rows beyond the profile's cap are refused.</summary>
    private static async Task<List<Row>> RejectOverloadedContacts(ImportRun run, List<Row> rows)
    {
        if (run.MaxHouseholdsPerContact is not { } max) return rows;
        var inFile = rows.Select(x => x.No).ToHashSet(StringComparer.Ordinal);
        var load = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var batch in rows.Where(x => x.ContactUserId is not null).Select(x => x.ContactUserId!).Distinct().Chunk(ImportRun.BatchSize))
            foreach (var h in await run.Db.Households.AsNoTracking().Where(x => x.ContactUserId != null && batch.Contains(x.ContactUserId))
                         .Select(x => new { x.HouseholdNo, x.ContactUserId }).ToListAsync(run.Ct))
                if (!inFile.Contains(h.HouseholdNo)) load[h.ContactUserId!] = load.GetValueOrDefault(h.ContactUserId!) + 1;
        var kept = new List<Row>(rows.Count);
        foreach (var x in rows)
        {
            if (x.ContactUserId is { } c && (load[c] = load.GetValueOrDefault(c) + 1) > max)
                run.Reject(x.Line, $"帮扶联系人 {c} 已联系{max}户，达到时限方案规定的上限（每名联系人最多{max}户）：请换一名联系人");
            else kept.Add(x);
        }
        return kept;
    }

    /// <summary>An ID number may belong to one household only (unique index); a row giving another household's head number is refused.</summary>
    private static async Task<List<Row>> RejectTakenIdNumbers(ImportRun run, List<Row> rows)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var batch in rows.Select(x => x.IdNumber).Chunk(ImportRun.BatchSize))
            foreach (var h in await run.Db.Households.AsNoTracking().Where(x => batch.Contains(x.IdNumber)).Select(x => new { x.IdNumber, x.HouseholdNo }).ToListAsync(run.Ct))
                owners[h.IdNumber] = h.HouseholdNo;
        var kept = new List<Row>(rows.Count);
        foreach (var x in rows)
        {
            if (owners.TryGetValue(x.IdNumber, out var owner) && owner != x.No)
                run.Reject(x.Line, $"户主身份证号 {Mask.IdNumber(x.IdNumber)} 已登记在户 {owner} 名下：一个身份证号只能登记一户");
            else kept.Add(x);
        }
        return kept;
    }

    private static bool Apply(Household e, Row x)
    {
        var card = x.Card ?? e.Card; // a file without the card column keeps the colours already given
        var noLabour = x.NoLabour ?? e.NoLabourCapacity; // likewise a file without no_labour_capacity
        if (e.HeadName == x.HeadName && e.IdNumber == x.IdNumber && e.Phone == x.Phone && e.VillageCode == x.VillageCode && e.Category == x.Category
            && e.Card == card && e.Members == x.Members && e.IncomePerCapita == x.Income && e.ContactUserId == x.ContactUserId && e.NoLabourCapacity == noLabour)
            return false;
        (e.HeadName, e.IdNumber, e.Phone, e.VillageCode, e.Category, e.Card) = (x.HeadName, x.IdNumber, x.Phone, x.VillageCode, x.Category, card);
        e.NoLabourCapacity = noLabour;
        (e.Members, e.IncomePerCapita, e.ContactUserId) = (x.Members, x.Income, x.ContactUserId);
        return true;
    }
}
