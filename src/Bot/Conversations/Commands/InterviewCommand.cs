using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations.Access;
using RapidResponse.Domain.Bulletins;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Conversations.Commands;

/// <summary>
/// "约谈 编号或单位 已约谈 [日期] [约谈人：谁] [备注]": the county office records that a 约谈 listed in a 通报 took place
/// (云龙 责任追溯 四(三)), as <c>POST /api/interviews/{id}/held</c> does; a bare "约谈" lists what is still to be recorded.
/// </summary>
public sealed partial class StaffCommands
{
    private async Task Interview(Inbound m, Staff s, string rest, CancellationToken ct)
    {
        if (s.Role != StaffRole.CountyOffice)
        { messenger.ReplyText(m, $"约谈登记由县级办公室办理（您是{Jurisdiction.RoleName(s.Role)}）"); return; }
        var now = time.GetUtcNow();
        var form = HeldRe().Match(rest);
        if (rest.Length == 0 || !form.Success) { await InterviewUsage(m, rest.Length == 0 ? null : $"没有看懂“约谈 {rest}”。", ct); return; }

        var unit = form.Groups[1].Value;
        var open = db.InterviewListings.Where(l => l.HeldAt == null);
        List<InterviewListing> found = long.TryParse(unit, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await db.InterviewListings.Where(l => l.Id == id).ToListAsync(ct)
            : await open.Where(l => l.UnitName == unit || l.UnitName.Contains(unit)).OrderByDescending(l => l.Id).ToListAsync(ct);
        if (found.Count == 0) { await InterviewUsage(m, $"没有找到待登记的约谈“{unit}”。", ct); return; }
        if (found.Select(l => l.UnitCode).Distinct().Count() > 1)
        { await InterviewUsage(m, $"“{unit}”对应多个单位（{string.Join("、", found.Select(l => l.UnitName).Distinct())}），请用编号。", ct); return; }
        var listing = found[0];

        var text = form.Groups[2].Value.Trim();
        var heldAt = now;
        var date = InterviewDateRe().Match(text);
        if (date.Success)
        {
            var year = date.Groups[1].Success ? int.Parse(date.Groups[1].Value, CultureInfo.InvariantCulture) : ChinaTime.DateOf(now).Year;
            if (!DateOnly.TryParseExact($"{year:D4}-{int.Parse(date.Groups[2].Value):D2}-{int.Parse(date.Groups[3].Value):D2}", "yyyy-MM-dd", out var day))
            { await InterviewUsage(m, $"“{date.Value.Trim()}”不是有效的日期。", ct); return; }
            heldAt = day == ChinaTime.DateOf(now) ? now
                : day == ChinaTime.DateOf(listing.ListedAt) ? listing.ListedAt
                : ChinaTime.StartOfDay(day);
            text = text[date.Length..].Trim();
        }
        var who = InterviewerRe().Match(text);
        var heldBy = who.Success ? who.Groups[1].Value : InterviewRecords.DefaultInterviewer(listing.Level);
        if (who.Success) text = text.Remove(who.Index, who.Length).Trim();

        var problems = InterviewRecords.Problems(listing, heldBy, heldAt, s.UserId, now);
        if (problems.Count > 0) { await InterviewUsage(m, string.Join("；", problems.Values) + "。", ct); return; }
        InterviewRecords.Record(db, listing, heldBy, heldAt, text, s.UserId, s.Role.ToString(), m.MessageId, now);
        await db.SaveChangesAsync(ct);
        messenger.Reply(m, "staff.interview_recorded", new
        {
            listing.Period, Unit = listing.UnitName, Level = InterviewRecords.LevelName(listing.Level),
            HeldAt = ChinaTime.ToLocal(heldAt).ToString("M月d日", CultureInfo.InvariantCulture), HeldBy = listing.HeldBy, Note = listing.HeldNote,
        });
    }

    private async Task InterviewUsage(Inbound m, string? problem, CancellationToken ct)
    {
        var pending = await db.InterviewListings.AsNoTracking().Where(l => l.HeldAt == null).OrderBy(l => l.Id).Take(30).ToListAsync(ct);
        messenger.Reply(m, "staff.interview_usage", new
        {
            Problem = problem,
            Pending = pending.Select(l => new { l.Id, l.Period, Unit = l.UnitName, Level = InterviewRecords.LevelName(l.Level) }).ToList(),
        });
    }

    [GeneratedRegex(@"^(\S+?)\s*已约谈\s*(.*)$", RegexOptions.Singleline)] private static partial Regex HeldRe();
    [GeneratedRegex(@"^(?:(\d{4})[-年/.])?(\d{1,2})[-月/.](\d{1,2})日?(?=\s|$)")] private static partial Regex InterviewDateRe();
    [GeneratedRegex(@"约谈人\s*[：:]\s*(\S+)")] private static partial Regex InterviewerRe();
}
