using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Calendar;

namespace RapidResponse.Bot.Conversations.Reports;

/// <summary>
/// Farmer self-report (自主申报): a one-shot `字段：值` message or a guided form, one field at a time, each answer
/// checked; 返回 / 取消 / 帮助 work at every step; a summary to confirm; a receipt with the promised dates.
/// Nothing from the roster is shown, and the report is not linked to a household, until the sender proved they belong to it
/// (<see cref="SelfReports.Proves"/>); a sender files at most <see cref="ConversationOptions.MaxReportsPerDay"/> a day, and a
/// repeat for a household with an open case joins that case.
/// </summary>
public sealed class ReportFlow(BotDb db, FormStore forms, Messenger messenger, VillageMatcher villages, CaseWorkflow workflow, TaskCards cards,
    ConversationOptions options, TimeProvider time)
{
    public const string FormName = "report";

    public static bool IsStart(string text) => text.Trim() is "申报" or "我要申报" or "申请帮扶" or "申请";

    public static bool IsOneShot(string text) =>
        FieldParsers.Fields(text) is { } f && (f.ContainsKey("身份证号") || f.ContainsKey("困难类型")) && f.Count >= 2;

    /// <summary>
    /// The village of the 微信客服 link the sender entered through (its scene_param, kept by the engine on enter_session;
    /// <c>wecom kf-links</c> puts the village code there), so the form skips the village question. Anything else is ignored.
    /// </summary>
    private async Task PrefillVillageAsync(Inbound m, ReportDraft d, CancellationToken ct)
    {
        if (m.Channel != InboundChannel.Kf || d.VillageCode is not null) return;
        var key = ConversationEngine.SceneKey(m.SenderId);
        var code = await db.KeyValues.AsNoTracking().Where(x => x.Key == key).Select(x => x.Value).FirstOrDefaultAsync(ct);
        if (code is null || (await villages.AllAsync(ct)).FirstOrDefault(v => v.Code == code) is not { } v) return;
        (d.VillageCode, d.VillageName) = (v.Code, v.Display);
    }

    public async Task StartAsync(Inbound m, CancellationToken ct)
    {
        if (await OverLimitAsync(m, ct)) return;
        var d = new ReportDraft { AskPhoto = options.AskPhoto };
        await Evidence.EvidenceIntake.ForgetFormAsync(db, m, ct);
        await PrefillVillageAsync(m, d, ct);
        await forms.SaveAsync(m, FormName, d, ct);
        messenger.Reply(m, "report.start");
        Ask(m, d);
    }

    /// <summary>A structured message: every valid field kept; problems listed; the form continues with what is missing.</summary>
    public async Task OneShotAsync(Inbound m, CancellationToken ct)
    {
        if (await OverLimitAsync(m, ct)) return;
        var f = FieldParsers.Fields(m.Text!)!;
        var d = new ReportDraft { AskPhoto = options.AskPhoto };
        await Evidence.EvidenceIntake.ForgetFormAsync(db, m, ct);
        var problems = new List<string>();
        if (FieldParsers.Get(f, "身份证号", "身份证", "身份证号码") is { } id) problems.AddRange(TakeId(d, id));
        if (FieldParsers.Get(f, "姓名", "申请人", "户主", "户主姓名") is { } name) problems.AddRange(TakeName(d, name));
        if (FieldParsers.Get(f, "联系电话", "电话", "手机", "手机号") is { } p) problems.AddRange(TakePhone(d, p));
        if (FieldParsers.Get(f, "村", "所在村", "村名", "村庄") is { } v) problems.AddRange(await TakeVillage(d, v, ct));
        if (FieldParsers.Get(f, "困难类型", "类型", "风险类型") is { } r) problems.AddRange(TakeRisk(d, r));
        if (FieldParsers.Get(f, "情况说明", "说明", "情况", "困难情况") is { } desc) problems.AddRange(TakeDescription(d, desc));
        // 返回 after a one-shot undoes its answers in the order the guided form asks them.
        d.Answered = [.. new (string Step, bool Given)[] { (ReportDraft.IdStep, d.IdNumber is not null), (ReportDraft.NameStep, d.Name is not null),
            (ReportDraft.PhoneStep, d.Phone is not null), (ReportDraft.VillageStep, d.VillageCode is not null), (ReportDraft.RiskStep, d.RiskTypes is not null),
            (ReportDraft.DescriptionStep, d.Description is not null) }.Where(x => x.Given).Select(x => x.Step)];
        await PrefillVillageAsync(m, d, ct);
        if (problems.Count > 0) messenger.Reply(m, "report.oneshot_problems", new { Problems = problems });
        if (d.NeedsCheck) await CheckIdentityAsync(m, d, ct);
        await forms.SaveAsync(m, FormName, d, ct);
        Ask(m, d);
    }

    /// <summary>The next answer in a running form.</summary>
    public async Task ContinueAsync(Inbound m, ReportDraft d, CancellationToken ct)
    {
        var text = (m.Text ?? "").Trim();
        switch (text)
        {
            case "取消" or "退出":
                await forms.ClearAsync(m, ct);
                messenger.Reply(m, "report.cancelled");
                return;
            case "返回" or "上一步":
                if (!d.Back()) messenger.Reply(m, "report.back_at_start");
                await forms.SaveAsync(m, FormName, d, ct);
                Ask(m, d);
                return;
            case "帮助" or "?" or "？":
                messenger.Reply(m, "report.help", new { Step = d.Step });
                Ask(m, d);
                return;
        }
        var step = d.Step;
        if (step == ReportDraft.PhotoStep)
        {
            if (text is not ("跳过" or "没有" or "无" or "不用" or "不发")) { messenger.Reply(m, "report.ask_photo_hint"); return; }
            d.PhotoDone = true;
            d.Answered.Add(step);
            await forms.SaveAsync(m, FormName, d, ct);
            Ask(m, d);
            return;
        }
        if (step == ReportDraft.ConfirmStep)
        {
            if (text is "确认" or "是" or "提交" or "对" or "确定") { await SubmitAsync(m, d, ct); return; }
            messenger.Reply(m, "report.confirm_hint");
            return;
        }
        IEnumerable<string> problems = step switch
        {
            ReportDraft.IdStep => TakeId(d, text),
            ReportDraft.NameStep => TakeName(d, text),
            ReportDraft.VillageStep => await TakeVillage(d, text, ct),
            ReportDraft.RiskStep => TakeRisk(d, text),
            ReportDraft.DescriptionStep => TakeDescription(d, text),
            _ => TakePhone(d, text),
        };
        var list = problems.ToList();
        if (list.Count == 0 && d.Step != step) d.Answered.Add(step);
        if (list.Count > 0) messenger.Reply(m, "report.invalid", new { Problem = list[0] });
        else if (d.NeedsCheck) await CheckIdentityAsync(m, d, ct);
        await forms.SaveAsync(m, FormName, d, ct);
        Ask(m, d);
    }

    /// <summary>A photo came while the form runs: at the photo step the form goes on; at other steps it just waits with the form.</summary>
    public async Task PhotoReceivedAsync(Inbound m, ReportDraft d, CancellationToken ct)
    {
        if (d.Step != ReportDraft.PhotoStep) return;
        d.PhotoDone = true;
        d.Answered.Add(ReportDraft.PhotoStep);
        await forms.SaveAsync(m, FormName, d, ct);
        Ask(m, d);
    }

    private void Ask(Inbound m, ReportDraft d)
    {
        if (d.Suggestions is { Count: > 0 } s)
        {
            messenger.Reply(m, "report.ask_village_suggest", new { Options = s.Select((v, i) => new { No = i + 1, v.Display }).ToList() });
            return;
        }
        messenger.Reply(m, "report.ask_" + d.Step, new
        {
            d.Name, d.VillageName, FromRoster = d.FromRoster,
            IdMasked = Mask.IdNumber(d.IdNumber), PhoneMasked = Mask.Phone(d.Phone),
            RiskTypes = d.RiskTypes is null ? "" : string.Join("、", d.RiskTypes),
            Description = Mask.Text(d.Description),
            Options = RiskTypes.All.Select((t, i) => $"{i + 1}.{t}").ToList(),
        });
    }

    private IEnumerable<string> TakeId(ReportDraft d, string text)
    {
        var id = IdNumber.Normalize(text.Replace(" ", ""));
        if (IdNumber.Validate(id, ChinaTime.DateOf(time.GetUtcNow())) is { } problem) return [problem];
        d.IdNumber = id;
        return [];
    }

    /// <summary>
    /// Checks ID number, name and phone against the roster. Proven: the report is linked and what the roster knows is not
    /// asked again (最多报一次). Otherwise one answer whether the ID is not on the roster or the name or phone is wrong, so
    /// nobody can probe the roster; the form goes on as an unlinked report. A sender has a few checks a day.
    /// </summary>
    private async Task CheckIdentityAsync(Inbound m, ReportDraft d, CancellationToken ct)
    {
        d.Checked = true;
        var now = time.GetUtcNow();
        var exhausted = await SelfReports.FailedChecksTodayAsync(db, m.SenderId, now, ct) >= options.MaxIdentityChecksPerDay;
        var h = exhausted ? null : await db.Households.AsNoTracking().FirstOrDefaultAsync(x => x.IdNumber == d.IdNumber, ct);
        if (h is not null && SelfReports.Proves(h, d.Name, d.Phone))
        {
            var v = (await villages.AllAsync(ct)).FirstOrDefault(x => x.Code == h.VillageCode);
            d.Verified = true; d.HouseholdId = h.Id; d.FromRoster = true;
            d.Name = h.HeadName; d.VillageCode = h.VillageCode; d.VillageName = v?.Display ?? h.VillageCode;
            d.Suggestions = null;
            return;
        }
        if (!exhausted) SelfReports.RecordFailedCheck(db, new Actor(m.SenderId, "farmer", m.MessageId), d.IdNumber!, now);
        messenger.Reply(m, "report.identity_unverified", new { Exhausted = exhausted });
    }

    /// <summary>The daily cap (a flood from one sender buries the village's real work): the answer says why and what to do.</summary>
    private async Task<bool> OverLimitAsync(Inbound m, CancellationToken ct)
    {
        var count = await SelfReports.CountTodayAsync(db, m.SenderId, time.GetUtcNow(), ct);
        if (count < options.MaxReportsPerDay) return false;
        messenger.Reply(m, "report.limit", new { Count = count, Max = options.MaxReportsPerDay });
        return true;
    }

    private static IEnumerable<string> TakeName(ReportDraft d, string text)
    {
        var t = text.Trim();
        if (t.Length is < 2 or > 20 || t.Any(char.IsAsciiDigit)) return ["姓名应为2到20个字，不含数字"];
        d.Name = t;
        return [];
    }

    private async Task<IEnumerable<string>> TakeVillage(ReportDraft d, string text, CancellationToken ct)
    {
        if (d.Suggestions is { Count: > 0 } s)
        {
            var pick = text.Trim() is "是" or "对" or "是的" && s.Count == 1 ? s[0]
                : int.TryParse(text.Trim(), out var n) && n >= 1 && n <= s.Count ? s[n - 1] : null;
            d.Suggestions = null;
            if (pick is not null) { d.VillageCode = pick.Code; d.VillageName = pick.Display; return []; }
        }
        var match = await villages.MatchAsync(text, ct);
        if (match.Exact is { } v) { d.VillageCode = v.Code; d.VillageName = v.Display; return []; }
        if (match.Suggestions.Count > 0) { d.Suggestions = [.. match.Suggestions]; return []; }
        return [$"没有找到“{text.Trim()}”这个村，请发送村的全名"];
    }

    private static IEnumerable<string> TakeRisk(ReportDraft d, string text)
    {
        var r = FieldParsers.RiskTypes(text, out var unknown);
        if (r is null) return [$"没有看懂“{unknown ?? text.Trim()}”是哪种困难，请发送序号或名称"];
        d.RiskTypes = r;
        return [];
    }

    private static IEnumerable<string> TakeDescription(ReportDraft d, string text)
    {
        var t = text.Trim();
        if (t.Length < 4) return ["情况说明太短了，请用一两句话说说家里遇到了什么困难"];
        if (t.Length > 500) return ["情况说明请控制在500字以内"];
        d.Description = t;
        return [];
    }

    private static IEnumerable<string> TakePhone(ReportDraft d, string text)
    {
        if (PhoneNumber.Validate(text) is { } problem) return [problem];
        d.Phone = PhoneNumber.Normalize(text);
        return [];
    }

    private async Task SubmitAsync(Inbound m, ReportDraft d, CancellationToken ct)
    {
        if (await OverLimitAsync(m, ct)) return;
        var reporter = new Actor(m.SenderId, "farmer", m.MessageId);
        var household = d.Verified ? d.HouseholdId : null;
        if (await SelfReports.OpenCaseToJoinAsync(db, household, m.SenderId, d.IdNumber!, ct) is { } number
            && await workflow.LoadAsync(number, ct) is { IsOpen: true } open)
        {
            await JoinAsync(m, d, open, reporter, ct);
            return;
        }
        var c = await workflow.OpenAsync(Channel.SelfReport, d.VillageCode!, d.RiskTypes!, d.Description!, Severity.General, reporter, x =>
        {
            x.HouseholdId = household;
            x.ReporterVerified = household is not null;
            x.ApplicantName = d.Name;
            x.ApplicantIdNumber = d.IdNumber;
            x.ApplicantPhone = d.Phone;
            x.ReporterChannel = m.Channel;
            x.ReporterKfId = m.OpenKfId;
        }, ct: ct);
        await Evidence.EvidenceIntake.AdoptAsync(db, m, c, time.GetUtcNow(), ct);
        await forms.ClearAsync(m, ct);
        var clock = workflow.ClockFor(c);
        if (c.CurrentStage is { } stage) await cards.SendAsync(c, stage, clock.Profile, ct);
        messenger.Reply(m, "report.receipt", Receipts.Model(c, clock));
    }

    /// <summary>A repeat for an open case: appended and audited, no second case and no second set of cards; the people working the stage are told.</summary>
    private async Task JoinAsync(Inbound m, ReportDraft d, Case open, Actor reporter, CancellationToken ct)
    {
        var clock = workflow.ClockFor(open);
        open.JoinReport(d.Description!, d.RiskTypes!, reporter, clock);
        // The case's own reporter, now proven, hears its decision from here on.
        if (d.Verified && open.ReporterId == m.SenderId && !open.ReporterVerified && (open.HouseholdId is null || open.HouseholdId == d.HouseholdId))
            open.VerifyReporter(d.HouseholdId!.Value, reporter, clock);
        await Evidence.EvidenceIntake.AdoptAsync(db, m, open, time.GetUtcNow(), ct);
        await forms.ClearAsync(m, ct);
        if (open.CurrentStage is { } stage)
        {
            var model = new { open.Number, Stage = clock.Profile.Stage(stage.Kind).Name, RiskTypes = string.Join("、", d.RiskTypes!), Description = Mask.Text(d.Description) };
            var users = new HashSet<string>();
            foreach (var a in stage.Assignments.Where(a => a.IsOpen)) users.UnionWith(await cards.HoldersAsync(a, ct));
            foreach (var user in users.Order(StringComparer.Ordinal)) messenger.ToStaff(user, "staff.report_joined", model);
        }
        messenger.Reply(m, "report.joined", new { CaseNumber = open.Number });
    }
}
