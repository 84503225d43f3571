using System.Globalization;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Templates;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Scheduler.Escalation;

/// <summary>Renders nags and escalations from templates/nag.liquid and templates/escalation.level{1,2,3}.liquid.</summary>
public sealed class LadderTexts(TemplateRenderer templates, WorkingCalendar calendar)
{
    public string Nag(LadderStep step, Case c, CaseStage stage, TimelineProfile profile, LadderContext ctx, StageAssignment to, DateTimeOffset now)
    {
        // 云龙 预警机制 二(八) “公示结束上报”: the notice has run; its holder confirms it and passes the case on.
        if (step.Kind == LadderStepKind.NoticeEnded)
            return Mask.Text(templates.Render("notice.ended", new Dictionary<string, object?>
            {
                ["case_number"] = c.Number,
                ["village"] = ctx.RegionName(c.VillageCode),
                ["township"] = ctx.RegionName(ctx.ChainOf(c.VillageCode).Township),
                ["stage"] = profile.NameOf(stage.Kind),
                ["action"] = profile.Has(stage.Kind) ? profile.Stage(stage.Kind).Action ?? "" : "",
                ["ended"] = profile.Has(stage.Kind) && profile.Stage(stage.Kind).NoticeEndsFrom(stage.StartedAt, calendar, profile.OfficeClosing) is { } e ? DueText.Of(e).Replace("前", "") : "",
                ["assignee"] = ctx.NameOf(to),
                ["elimination"] = Domain.Timelines.TimelineProfile.EliminationKinds.Contains(stage.Kind),
            }));
        var due = stage.DueAt!.Value;
        var today = ChinaTime.DateOf(now);
        var dueDay = ChinaTime.DateOf(due);
        var left = dueDay == today ? "今天到期" : $"还有{calendar.WorkingDaysBetween(today, dueDay)}个工作日到期";
        return Mask.Text(templates.Render("nag", new Dictionary<string, object?>
        {
            ["case_number"] = c.Number,
            ["village"] = ctx.RegionName(c.VillageCode),
            ["township"] = ctx.RegionName(ctx.ChainOf(c.VillageCode).Township),
            ["stage"] = profile.NameOf(stage.Kind),
            ["action"] = profile.Has(stage.Kind) ? profile.Stage(stage.Kind).Action ?? "" : "",
            ["due"] = DueText.Of(due),
            ["left"] = left,
            ["assignee"] = ctx.NameOf(to),
            ["kind"] = step.Kind.ToString(),
        }));
    }

    public string Escalation(int level, EscalationTarget target, Case c, CaseStage stage, TimelineProfile profile, LadderContext ctx, DateTimeOffset now)
    {
        var due = stage.DueAt!.Value;
        var township = ctx.ChainOf(c.VillageCode).Township;
        var name = target == EscalationTarget.Interview ? "escalation.level3" : level == 1 ? "escalation.level1" : "escalation.level2";
        return Mask.Text(templates.Render(name, new Dictionary<string, object?>
        {
            ["level"] = level,
            ["case_number"] = c.Number,
            ["village"] = ctx.RegionName(c.VillageCode),
            ["township"] = ctx.RegionName(township),
            ["stage"] = profile.NameOf(stage.Kind),
            ["action"] = profile.Has(stage.Kind) ? profile.Stage(stage.Kind).Action ?? "" : "",
            ["due"] = DueText.Of(due),
            ["overdue_for"] = OverdueText(due, now),
            ["owners"] = string.Join("、", stage.Assignments.Where(a => a.IsOpen).Select(ctx.NameOf).Distinct()),
            ["leads"] = township is null ? "" : string.Join("、", ctx.LeadNamesOf(township)),
            ["deferrals"] = stage.Deferrals,
        }));
    }

    /// <summary>"已逾期8小时", "已逾期3天（2个工作日）".</summary>
    public string OverdueText(DateTimeOffset due, DateTimeOffset now)
    {
        var span = now - due;
        if (span < TimeSpan.FromHours(24)) return $"已逾期{Math.Max(1, (int)span.TotalHours)}小时";
        var wd = calendar.WorkingDaysBetween(ChinaTime.DateOf(due), ChinaTime.DateOf(now));
        return $"已逾期{(int)span.TotalDays}天（{wd}个工作日）";
    }
}
