using RapidResponse.Domain.Bulletins;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Templates;

namespace RapidResponse.Scheduler.Bulletins;

/// <summary>Renders bulletin figures through templates/bulletin.monthly.liquid and bulletin.quarterly.liquid.</summary>
public sealed class BulletinViews(TemplateRenderer templates)
{
    /// <summary>Overdue items listed per township in a bulletin; the rest are counted ("另有N项").</summary>
    public const int ListedPerTownship = 50;

    public string Monthly(MonthlyFigures f) => Mask.Text(templates.Render("bulletin.monthly", new Dictionary<string, object?>
    {
        ["period"] = f.Period.ToChinese(),
        ["as_of"] = ChinaTime.DateOf(f.AsOf).ToString("yyyy-MM-dd"),
        ["new_cases"] = f.NewCases,
        ["completed"] = f.Completed,
        ["on_time"] = f.OnTime,
        ["rate"] = f.Rate,
        ["overdue_total"] = f.OverdueTotal,
        ["townships"] = f.Townships.Select(TownshipModel).ToList(),
        ["report_period"] = string.Join("、", (f.ReportMonths.Count > 0 ? f.ReportMonths : [f.ReportPeriod]).Select(m => m.ToChinese())),
        ["missing_reports"] = f.MissingReports.Select(m => m.Name).ToList(),
        ["supervised"] = f.Supervised.Select(i => new Dictionary<string, object?>
        {
            ["case_number"] = i.CaseNumber, ["township"] = i.Township, ["village"] = i.Village, ["stage"] = i.Stage,
            ["due"] = ChinaTime.DateOf(i.DueAt).ToString("MM-dd"),
        }).ToList(),
        ["interviews"] = f.InterviewUnits.Select(u => new Dictionary<string, object?>
        {
            ["name"] = u.Name, ["who"] = u.Who, ["problems"] = u.Problems, ["unrectified"] = u.Unrectified,
            ["principal"] = u.Level == Domain.Bulletins.InterviewLevel.Principal,
        }).ToList(),
        ["show_rankings"] = f.Evaluation is not null,
        ["evaluation"] = Evaluation(f.Evaluation),
        ["year_total"] = Evaluation(f.YearTotal),
        ["year"] = f.Period.First.Year,
        ["referrals"] = f.Referrals.Select(r => new Dictionary<string, object?> { ["what"] = r.What, ["times"] = r.Times }).ToList(),
    }));

    private static Dictionary<string, object?>? Evaluation(TownshipEvaluation? e) => e is null ? null : new()
    {
        ["ranked"] = e.Ranked.Select(Line).ToList(),
        ["no_due"] = e.NoDueWork.Select(l => l.Name).ToList(),
        ["top"] = e.Top.Select(l => l.Name).ToList(),
        ["last"] = e.Last?.Name,
    };

    private static Dictionary<string, object?> Line(TownshipEvaluationLine l) => new()
    {
        ["rank"] = l.Rank, ["name"] = l.Name, ["rate"] = l.Rate, ["on_time"] = l.OnTime, ["completed"] = l.Completed,
        ["open_overdue"] = l.OpenOverdue, ["due"] = l.Due,
    };

    /// <summary>
    /// One township's part of the monthly bulletin, for its own work group: its section only, with the county's on-time
    /// rate for comparison (templates/bulletin.township.liquid).
    /// </summary>
    public string Township(MonthlyFigures f, TownshipMonth t) => Mask.Text(templates.Render("bulletin.township", new Dictionary<string, object?>
    {
        ["period"] = f.Period.ToChinese(),
        ["as_of"] = ChinaTime.DateOf(f.AsOf).ToString("yyyy-MM-dd"),
        ["county_rate"] = f.Rate,
        ["township"] = TownshipModel(t),
    }));

    private static Dictionary<string, object?> TownshipModel(TownshipMonth t) => new()
    {
        ["name"] = t.Name,
        ["new_cases"] = t.NewCases,
        ["channels"] = string.Join("、", t.NewByChannel.Select(c => $"{c.Channel}{c.Count}")),
        ["stages"] = string.Join("；", t.Stages.Select(s => $"{s.Stage} {s.OnTime}/{s.Completed}（{s.Rate}）")),
        ["rate"] = t.Rate,
        ["assistance_started"] = t.AssistanceStarted,
        ["assistance_within_month"] = t.AssistanceWithinMonth,
        ["risk_eliminated"] = t.RiskEliminated,
        ["overdue_total"] = t.OverdueTotal,
        ["overdue"] = t.Overdue.Take(ListedPerTownship).Select(o => new Dictionary<string, object?>
        {
            ["case_number"] = o.CaseNumber, ["village"] = o.Village, ["stage"] = o.Stage, ["owners"] = o.Owners,
            ["due"] = ChinaTime.DateOf(o.DueAt).ToString("MM-dd"), ["days_late"] = o.WorkingDaysLate,
        }).ToList(),
        ["overdue_more"] = Math.Max(0, t.OverdueTotal - ListedPerTownship),
    };

    /// <summary>
    /// The quarterly bulletin. With the profile's ShowRankings off (丰都) it carries no ranking at all: departments' scores are
    /// listed by department code without rank numbers, and the township ranking (top 3, last 1) is left out.
    /// </summary>
    public string Quarterly(QuarterlyFigures f) => Mask.Text(templates.Render("bulletin.quarterly", new Dictionary<string, object?>
    {
        ["quarter"] = f.Quarter.ToChinese(),
        ["show_rankings"] = f.ShowRankings,
        ["close_monitoring"] = Order(f.Departments.CloseMonitoring, f.ShowRankings).Select(Dept).ToList(),
        ["related"] = Order(f.Departments.Related, f.ShowRankings).Select(Dept).ToList(),
        ["pending"] = f.Pending.Select(p => $"{p.Department}：{p.Rule}（{p.Points}分，{(p.Status == Domain.Scoring.ScoreStatus.Contested ? "有异议待裁定" : "待核实")}）").ToList(),
        ["county_offices"] = f.CountyOffices.Select(o => new Dictionary<string, object?> { ["name"] = o.Name, ["result"] = o.Result }).ToList(),
    }));

    private static IEnumerable<Domain.Scoring.DepartmentScore> Order(IReadOnlyList<Domain.Scoring.DepartmentScore> list, bool ranked) =>
        ranked ? list : list.OrderBy(d => d.Code, StringComparer.Ordinal);

    private static Dictionary<string, object?> Dept(Domain.Scoring.DepartmentScore d) => new()
    {
        ["rank"] = d.Rank, ["name"] = d.Name, ["score"] = d.Score, ["deductions"] = d.Deductions,
        ["deducted"] = d.DeductedPoints, ["bonus"] = d.BonusPoints,
        ["items"] = d.Items.Select(i => $"{i.Reason}（{(i.Points > 0 ? "+" : "")}{i.Points}）").ToList(),
    };
}
