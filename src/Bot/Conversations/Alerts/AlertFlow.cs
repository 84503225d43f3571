using RapidResponse.Bot.Conversations.Access;
using RapidResponse.Domain.Calendar;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Bot.Conversations.Reports;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Bot.Conversations.Alerts;

/// <summary>
/// A cadre's alert (预警) from a visit: the household by number, ID number or name + village, shown prefilled to confirm
/// (最多报一次), then risk types, description and severity. Found by the cadre, so the household check is due the same day.
/// </summary>
public sealed class AlertFlow(BotDb db, FormStore forms, Messenger messenger, VillageMatcher villages, CaseWorkflow workflow, TaskCards cards, Jurisdiction jurisdiction,
    ProfileRegistry profiles)
{
    public const string FormName = "alert";

    public static bool IsStart(string text) => text.Trim() is "预警" or "报预警" or "发现风险";

    public static bool IsOneShot(string text) => text.TrimStart().StartsWith("预警", StringComparison.Ordinal) && FieldParsers.Fields(text) is { Count: >= 2 };

    public async Task StartAsync(Inbound m, Staff s, CancellationToken ct)
    {
        if (!Jurisdiction.CanFileAlerts(s)) { messenger.Reply(m, "alert.not_allowed"); return; }
        var d = NewDraft();
        await Evidence.EvidenceIntake.ForgetFormAsync(db, m, ct);
        await forms.SaveAsync(m, FormName, d, ct);
        Ask(m, d);
    }

    // 丰都 第五步: where the profile clears problems by class, the reporter chooses it (一般性问题 unless they say otherwise).
    private AlertDraft NewDraft() => new() { AskProblemClass = profiles.Current.Has(StageKind.ProblemClearance) };

    public async Task OneShotAsync(Inbound m, Staff s, CancellationToken ct)
    {
        if (!Jurisdiction.CanFileAlerts(s)) { messenger.Reply(m, "alert.not_allowed"); return; }
        var f = FieldParsers.Fields(m.Text!)!;
        var d = NewDraft();
        var problems = new List<string>();
        var who = FieldParsers.Get(f, "户编号", "户号", "身份证号", "身份证", "农户", "户主");
        var village = FieldParsers.Get(f, "村", "所在村");
        if (who is not null) { var p = await TakeHousehold(d, s, village is null ? who : $"{who} {village}", ct); if (p is not null) problems.Add(p); }
        if (FieldParsers.Get(f, "困难类型", "风险类型", "类型") is { } r)
        { var rt = FieldParsers.RiskTypes(r, out var u); if (rt is null) problems.Add($"没有看懂困难类型“{u}”"); else d.RiskTypes = rt; }
        if (FieldParsers.Get(f, "情况说明", "说明", "情况") is { } desc && desc.Length >= 4) d.Description = desc;
        if (FieldParsers.Get(f, "程度", "严重程度") is { } sev) { d.Severity = FieldParsers.SeverityOf(sev); if (d.Severity is null) problems.Add("程度请填“一般”或“严重”"); }
        if (d.AskProblemClass && FieldParsers.Get(f, "问题类别", "问题类型", "类别") is { } pc)
        { d.ProblemClass = ProblemClassOf(pc); if (d.ProblemClass is null) problems.Add("问题类别请填“一般”“疑难”或“特殊”"); }
        await forms.SaveAsync(m, FormName, d, ct);
        if (problems.Count > 0) messenger.Reply(m, "report.oneshot_problems", new { Problems = problems });
        Ask(m, d);
    }

    public async Task ContinueAsync(Inbound m, Staff s, AlertDraft d, CancellationToken ct)
    {
        var text = (m.Text ?? "").Trim();
        if (text is "取消") { await forms.ClearAsync(m, ct); messenger.Reply(m, "alert.cancelled"); return; }
        if (text is "返回") { if (!d.Back()) messenger.Reply(m, "report.back_at_start"); await forms.SaveAsync(m, FormName, d, ct); Ask(m, d); return; }
        if (text is "帮助") { messenger.Reply(m, "alert.help"); Ask(m, d); return; }
        var step = d.Step;
        string? problem = null;
        switch (step)
        {
            case AlertDraft.HouseholdStep: problem = await TakeHousehold(d, s, text, ct); break;
            case AlertDraft.ConfirmHouseholdStep:
                if (text is "是" or "确认" or "对") d.HouseholdConfirmed = true;
                else if (text is "否" or "不是") { d.HouseholdId = null; d.HouseholdLabel = null; d.Answered.Remove(AlertDraft.HouseholdStep); }
                else problem = "请回复“是”确认这一户，或回复“不是”重新查找";
                break;
            case AlertDraft.RiskStep:
                var rt = FieldParsers.RiskTypes(text, out var u);
                if (rt is null) problem = $"没有看懂“{u ?? text}”是哪种困难，请发送序号或名称"; else d.RiskTypes = rt;
                break;
            case AlertDraft.DescriptionStep:
                if (text.Length < 4) problem = "情况说明太短了，请写清楚发现了什么"; else d.Description = text;
                break;
            case AlertDraft.SeverityStep:
                d.Severity = FieldParsers.SeverityOf(text);
                if (d.Severity is null) problem = "请回复“一般”或“严重”";
                break;
            case AlertDraft.ProblemClassStep:
                d.ProblemClass = ProblemClassOf(text);
                if (d.ProblemClass is null) problem = $"没有看懂“{text}”是哪一类问题，请回复序号1、2或3，例如：1（不清楚的也回复1，按一般性问题办理）";
                break;
            default:
                if (text is "确认" or "提交" or "是") { await SubmitAsync(m, s, d, ct); return; }
                problem = "请回复“确认”提交预警，或“返回”修改";
                break;
        }
        if (problem is null && d.Step != step) d.Answered.Add(step);
        await forms.SaveAsync(m, FormName, d, ct);
        if (problem is not null) messenger.Reply(m, "report.invalid", new { Problem = problem });
        Ask(m, d);
    }

    private void Ask(Inbound m, AlertDraft d) => messenger.Reply(m, "alert.ask_" + d.Step, new
    {
        d.HouseholdLabel,
        RiskTypes = d.RiskTypes is null ? "" : string.Join("、", d.RiskTypes),
        d.Description,
        Severity = d.Severity?.ToChinese(),
        ProblemClass = d.AskProblemClass ? (d.ProblemClass ?? ProblemClass.General).ToChinese() : null,
        Limits = d.AskProblemClass ? Limits() : null,
        Options = RiskTypes.All.Select((t, i) => $"{i + 1}.{t}").ToList(),
    });

    /// <summary>"1"/"一般"/"不清楚" → 一般性问题 (the default), "2"/"疑难", "3"/"特殊"; null when not understood.</summary>
    public static ProblemClass? ProblemClassOf(string text) => text.Trim().TrimEnd('。', '.') switch
    {
        "1" or "一般" or "一般性" or "一般问题" or "一般性问题" or "不清楚" or "不知道" or "默认" => ProblemClass.General,
        "2" or "疑难" or "疑难问题" => ProblemClass.Difficult,
        "3" or "特殊" or "特殊问题" => ProblemClass.Special,
        _ => null,
    };

    /// <summary>"一般性问题15天、疑难问题6个月、特殊问题12个月" from the profile.</summary>
    private string Limits()
    {
        var stage = profiles.Current.Stage(StageKind.ProblemClearance);
        return string.Join("、", Enum.GetValues<ProblemClass>().Select(p => $"{p.ToChinese()}{stage.DeadlineFor(p).Describe()}内"));
    }

    /// <summary>Finds the household within the cadre's jurisdiction by number, ID number, or name + village.</summary>
    private async Task<string?> TakeHousehold(AlertDraft d, Staff s, string text, CancellationToken ct)
    {
        var t = text.Trim();
        var q = db.Households.AsNoTracking();
        Household? h = await q.FirstOrDefaultAsync(x => x.HouseholdNo == t, ct);
        if (h is null && IdNumber.IsValid(t)) { var id = IdNumber.Normalize(t); h = await q.FirstOrDefaultAsync(x => x.IdNumber == id, ct); }
        if (h is null)
        {
            var parts = t.Split([' ', '　', ',', '，'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && (await villages.MatchAsync(parts[1], ct)).Exact is { } v)
            {
                var found = await q.Where(x => x.HeadName == parts[0] && x.VillageCode == v.Code).ToListAsync(ct);
                if (found.Count > 1) return $"{v.Display}有{found.Count}户户主叫{parts[0]}，请改发户编号或身份证号";
                h = found.FirstOrDefault();
            }
        }
        if (h is null) return "没有在花名册里找到这一户。请发送户编号、户主身份证号，或“户主姓名 村名”，例如：张三 李树村";
        if (!await jurisdiction.Covers(s, h.VillageCode, ct)) return "这一户不在您负责的村（乡镇），不能由您预警";
        var village = (await villages.AllAsync(ct)).FirstOrDefault(x => x.Code == h.VillageCode)?.Display ?? h.VillageCode;
        d.HouseholdId = h.Id;
        d.HouseholdLabel = $"户主{h.HeadName}（{Mask.IdNumber(h.IdNumber)}），{village}，户编号{h.HouseholdNo}，{h.Members}口人";
        return null;
    }


    private async Task SubmitAsync(Inbound m, Staff s, AlertDraft d, CancellationToken ct)
    {
        var h = await db.Households.AsNoTracking().FirstAsync(x => x.Id == d.HouseholdId, ct);
        var reporter = new Actor(s.UserId, s.Role.ToString(), m.MessageId);
        var c = await workflow.OpenAsync(Channel.CadreVisit, h.VillageCode, d.RiskTypes!, d.Description!, d.Severity!.Value, reporter, x =>
        {
            x.HouseholdId = h.Id;
            x.ApplicantName = h.HeadName;
            x.ApplicantIdNumber = h.IdNumber;
            x.ApplicantPhone = h.Phone;
            x.ReporterChannel = m.Channel;
            x.ProblemClass = d.ProblemClass ?? ProblemClass.General;
        }, activeScreening: true, ct: ct);
        await Evidence.EvidenceIntake.AdoptAsync(db, m, c, c.CreatedAt, ct);
        await forms.ClearAsync(m, ct);
        var clock = workflow.ClockFor(c);
        if (c.CurrentStage is { } stage) await cards.SendAsync(c, stage, clock.Profile, ct);
        messenger.Reply(m, "alert.receipt", new { c.Number, Stage = c.CurrentStage is { } st ? clock.Profile.Stage(st.Kind).Name : "", Due = DueText.Of(c.CurrentStage?.DueAt) });
    }
}
