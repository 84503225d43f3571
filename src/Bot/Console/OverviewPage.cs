using System.Text;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>
/// <c>GET /console</c>: open cases by township and stage, overdue now, this month's on-time rate per township and a 12-month
/// trend of new and closed cases — all within what the signed-in person may see, charts as server-side SVG.
/// </summary>
public static class OverviewPage
{
    public static async Task<IResult> RenderAsync(HttpContext ctx, BotDb db, TimeProvider time)
    {
        var user = ctx.User();
        var ct = ctx.RequestAborted;
        var now = time.GetUtcNow();
        var today = ChinaTime.DateOf(now);
        var names = await RegionNames.LoadAsync(db, ct);
        var cases = user.Cases(db);

        var open = await cases.Where(c => c.State != CaseState.Closed).GroupBy(c => new { c.VillageCode, c.State })
            .Select(g => new { g.Key.VillageCode, g.Key.State, N = g.Count() }).ToListAsync(ct);
        // Stages joined to the cases this person may see (not "case id in all of them"): the (CompletedAt, DueAt) index finds the
        // stages, each case by its key, and the counts per village come back rather than a row per stage.
        var overdueStages = db.Stages.AsNoTracking().Where(s => s.CompletedAt == null && s.DueAt != null && s.DueAt < now);
        var overdue = await (from s in overdueStages join c in cases on s.CaseId equals c.Id group s by c.VillageCode into g select new { VillageCode = g.Key, N = g.Count() })
            .ToListAsync(ct);
        var monthStart = ChinaTime.StartOfDay(new DateOnly(today.Year, today.Month, 1));
        // This month's deadlines: a stage completed this month counts on time or late; a stage due this month still open and past due counts late.
        var monthStages = db.Stages.AsNoTracking().Where(s => s.DueAt != null &&
            ((s.CompletedAt != null && s.CompletedAt >= monthStart) || (s.CompletedAt == null && s.DueAt >= monthStart && s.DueAt < now)));
        var month = await (from s in monthStages join c in cases on s.CaseId equals c.Id
                group s by new { c.VillageCode, Late = s.CompletedAt == null || s.CompletedLate } into g
                select new { g.Key.VillageCode, g.Key.Late, N = g.Count() })
            .ToListAsync(ct);
        var monthTotal = month.Sum(m => m.N);

        var stages = Enum.GetValues<StageKind>();
        var towns = names.Townships.Where(t => open.Any(o => names.TownshipOf(o.VillageCode) == t.Code) || month.Any(m => names.TownshipOf(m.VillageCode) == t.Code)
                                               || (user.IsCounty && !user.IsDepartment) || t.Code == user.RegionCode || t.Code == names.TownshipOf(user.RegionCode)).ToList();

        var b = new StringBuilder("<div class=\"cards\">");
        Card(b, "办理中", open.Sum(o => o.N), "open-total", "/console/cases?state=open");
        Card(b, "当前逾期", overdue.Sum(o => o.N), "overdue-total", "/console/overdue");
        Card(b, "本月到期环节", monthTotal, "month-total", null);
        var rate = monthTotal == 0 ? "—" : $"{100.0 * month.Where(m => !m.Late).Sum(m => m.N) / monthTotal:0.#}%";
        b.Append("<div class=\"card\">本月按时率<b data-testid=\"month-rate\">").Append(rate).Append("</b></div></div>");

        b.Append("<div class=\"grid2\"><div class=\"panel\"><h2>办理中案件（按乡镇、环节）</h2>");
        var byTown = towns.Select(t => (t.Name, (IReadOnlyList<double>)stages.Select(s => (double)open.Where(o => names.TownshipOf(o.VillageCode) == t.Code && (int)o.State == (int)s).Sum(o => o.N)).ToList())).ToList();
        b.Append(Svg.Bars("chart-open", byTown, stages.Select(s => s.ToChinese()).ToList())).Append("</div>");

        b.Append("<div class=\"panel\"><h2>本月按时率（按乡镇）</h2>");
        var rates = towns.Select(t =>
        {
            var m = month.Where(x => names.TownshipOf(x.VillageCode) == t.Code).ToList();
            var n = m.Sum(x => x.N);
            return (t.Name, (IReadOnlyList<double>)[n == 0 ? 0 : 100.0 * m.Where(x => !x.Late).Sum(x => x.N) / n]);
        }).ToList();
        b.Append(Svg.Bars("chart-rate", rates, ["按时率"], 100, v => $"{v:0.#}%")).Append("</div>");

        b.Append("<div class=\"panel\"><h2>当前逾期（按乡镇）</h2>");
        b.Append(Svg.Bars("chart-overdue", towns.Select(t => (t.Name, (IReadOnlyList<double>)[overdue.Where(o => names.TownshipOf(o.VillageCode) == t.Code).Sum(o => o.N)])).ToList(), ["逾期"])).Append("</div>");

        // 12 months: one COUNT per month and series (range scans of the (CreatedAt, VillageCode) and (ClosedAt, VillageCode)
        // indexes) rather than loading every case.
        var labels = new List<string>();
        var created = new List<double>();
        var closed = new List<double>();
        for (var i = 11; i >= 0; i--)
        {
            var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-i);
            var from = ChinaTime.StartOfDay(first);
            var to = ChinaTime.StartOfDay(first.AddMonths(1));
            labels.Add($"{first.Month}月");
            created.Add(await cases.CountAsync(c => c.CreatedAt >= from && c.CreatedAt < to, ct));
            closed.Add(await cases.CountAsync(c => c.ClosedAt >= from && c.ClosedAt < to, ct));
        }

        b.Append("<div class=\"panel\"><h2>近12个月趋势</h2>").Append(Svg.Lines("chart-trend", labels, [("新增", created), ("办结", closed)])).Append("</div></div>");
        return Html.Page(ctx, user, "总览 · " + ChinaTime.DateOf(now).ToString("yyyy年M月d日"), b.ToString());
    }

    private static void Card(StringBuilder b, string label, int n, string testId, string? href)
    {
        b.Append("<div class=\"card\">").Append(label).Append("<b data-testid=\"").Append(testId).Append("\">");
        if (href is null) b.Append(n);
        else b.Append("<a href=\"").Append(href).Append("\">").Append(n).Append("</a>");
        b.Append("</b></div>");
    }
}
