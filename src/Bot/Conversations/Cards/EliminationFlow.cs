using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations.Access;
using RapidResponse.Domain;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Conversations.Cards;

/// <summary>Waits in chat for the household's consent (知情同意) to a risk-elimination proposal whose grounds are given.</summary>
public sealed class ConsentPrompt
{
    public const string FormName = "consent";
    public required string CaseNumber { get; set; }
    public required string Reason { get; set; }
}

/// <summary>
/// Risk elimination proposed from the tracking card or <c>消除 &lt;编号&gt; &lt;理由&gt; [知情同意：谁 [日期] 方式]</c>: the grounds,
/// then the household's consent (asked in chat when the command does not carry it), then the township's review card.
/// </summary>
public sealed partial class EliminationFlow(BotDb db, CaseWorkflow workflow, Jurisdiction access, TaskCards cards, Messenger messenger, FormStore forms, TimeProvider time)
{
    /// <summary>Why this case cannot be proposed now (state, labour capacity, window), or null.</summary>
    public async Task<string?> RefusalAsync(Case c, CancellationToken ct)
    {
        try { c.CheckCanProposeElimination(await NoLabourAsync(c, ct), workflow.ClockFor(c)); return null; }
        catch (DomainException e) { return e.Message; }
    }

    /// <summary>The grounds are given; the consent is in <paramref name="text"/> after “知情同意” or is asked for next.</summary>
    public async Task ProposeAsync(Inbound m, Staff s, string number, string text, CancellationToken ct)
    {
        var c = await workflow.LoadAsync(number, ct);
        if (c is null) { messenger.Reply(m, "staff.case_missing", new { Number = number }); return; }
        if (await MayPropose(s, c, ct) is { } no) { messenger.ReplyText(m, no); return; }
        if (await RefusalAsync(c, ct) is { } refusal) { messenger.ReplyText(m, refusal); return; }
        var split = ConsentRe().Match(text);
        var reason = (split.Success ? text[..split.Index] : text).Trim();
        if (reason.Length < 2) { messenger.Reply(m, "staff.elimination_usage", new { Prefix = workflow.ClockFor(c).Profile.CasePrefix }); return; }
        if (!split.Success)
        {
            await forms.SaveAsync(m, ConsentPrompt.FormName, new ConsentPrompt { CaseNumber = c.Number, Reason = reason }, ct);
            messenger.Reply(m, "staff.ask_consent", new { c.Number });
            return;
        }
        await FinishAsync(m, s, c, reason, text[(split.Index + split.Length)..], ct);
    }

    /// <summary>The answer to the consent question.</summary>
    public async Task ConsentAsync(Inbound m, Staff s, ConsentPrompt p, CancellationToken ct)
    {
        var text = (m.Text ?? "").Trim();
        if (text is "取消") { await forms.ClearAsync(m, ct); messenger.Reply(m, "staff.note_cancelled"); return; }
        var c = await workflow.LoadAsync(p.CaseNumber, ct);
        if (c is null) { await forms.ClearAsync(m, ct); messenger.Reply(m, "staff.case_missing", new { Number = p.CaseNumber }); return; }
        if (ParseConsent(text, time.GetUtcNow()) is null) { messenger.Reply(m, "staff.ask_consent", new { c.Number, Again = true }); return; }
        await forms.ClearAsync(m, ct);
        await FinishAsync(m, s, c, p.Reason, text, ct);
    }

    private async Task FinishAsync(Inbound m, Staff s, Case c, string reason, string consentText, CancellationToken ct)
    {
        var clock = workflow.ClockFor(c);
        if (ParseConsent(consentText, clock.Now) is not { } consent) { messenger.Reply(m, "staff.ask_consent", new { c.Number, Again = true }); return; }
        var actor = new Actor(s.UserId, s.Role.ToString(), m.MessageId);
        try { c.ProposeElimination(reason, consent, await NoLabourAsync(c, ct), actor, clock); }
        catch (DomainException e) { messenger.ReplyText(m, e.Message); return; }
        var next = await workflow.AdvanceAsync(c, actor, ct);
        if (next is not null) await cards.SendAsync(c, next, clock.Profile, ct);
        messenger.Reply(m, "staff.elimination_proposed", new
        {
            c.Number,
            Next = next is null ? null : clock.Profile.Stage(next.Kind).Name,
            Due = next?.DueAt is { } d ? DueText.Of(d) : null,
            Eliminated = c.Outcome == CaseOutcome.RiskEliminated,
        });
    }

    /// <summary>
    /// 云龙 预警机制 二(九) “由乡村两级负责……形成拟标注风险消除对象名单”: the household's contact person, the village's cadres, or
    /// whoever holds the open tracking visit. The township and the county review and confirm; they do not propose.
    /// </summary>
    private async Task<string?> MayPropose(Staff s, Case c, CancellationToken ct)
    {
        var may = await access.CanView(s, c, ct);
        if (!may.Allowed) return may.Reason;
        var villageCadre = s.Role is StaffRole.GridMonitor or StaffRole.VillageCadre or StaffRole.WorkTeam && s.RegionCode == c.VillageCode;
        var visitHolder = c.CurrentStage is { Kind: StageKind.Tracking } t && t.Assignments.Any(a => Jurisdiction.IsHolder(s, a));
        var contact = c.HouseholdId is { } id && await db.Households.AsNoTracking().AnyAsync(h => h.Id == id && h.ContactUserId == s.UserId, ct);
        return villageCadre || visitHolder || contact ? null : "风险消除由帮扶联系人或村里提出，乡镇审核、县级确认；您的账号不能提出";
    }

    private async Task<bool> NoLabourAsync(Case c, CancellationToken ct) =>
        c.HouseholdId is { } id && await db.Households.AsNoTracking().AnyAsync(h => h.Id == id && h.NoLabourCapacity, ct);

    /// <summary>"户主张三 10月8日 当面签字确认": who, an optional date (today when left out), how. Null when who or how is missing.</summary>
    public static Consent? ParseConsent(string text, DateTimeOffset now)
    {
        var parts = text.Trim().TrimStart('：', ':').Split([' ', '\u3000', '，', ',', '；', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (parts.Count < 2) return null;
        var at = now;
        var dateIndex = parts.FindIndex(x => DateRe().IsMatch(x));
        if (dateIndex > 0)
        {
            var d = DateRe().Match(parts[dateIndex]);
            var year = d.Groups[1].Success ? int.Parse(d.Groups[1].Value, CultureInfo.InvariantCulture) : ChinaTime.DateOf(now).Year;
            if (!DateOnly.TryParseExact($"{year:D4}-{int.Parse(d.Groups[2].Value):D2}-{int.Parse(d.Groups[3].Value):D2}", "yyyy-MM-dd", out var day)) return null;
            at = day == ChinaTime.DateOf(now) ? now : ChinaTime.StartOfDay(day);
            parts.RemoveAt(dateIndex);
        }
        var how = string.Join(" ", parts.Skip(1));
        return how.Length < 2 ? null : new Consent(parts[0], at, how);
    }

    [GeneratedRegex(@"\s*知情同意\s*[：:]?\s*")] private static partial Regex ConsentRe();
    [GeneratedRegex(@"^(?:(\d{4})[-年/.])?(\d{1,2})[-月/.](\d{1,2})日?$")] private static partial Regex DateRe();
}
