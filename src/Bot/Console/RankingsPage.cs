using System.Text;
using RapidResponse.Domain.Bulletins;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Scoring;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>
/// <c>GET /console/rankings?quarter=…</c>: the two 方城 department rankings with each score item and the township ranking,
/// from the quarterly bulletin's own query. A department sees the rankings and only its own items; a township the township ranking.
/// </summary>
public static class RankingsPage
{
    public static async Task<IResult> RenderAsync(HttpContext ctx, QuarterlyBulletinQuery query, MonthlyBulletinQuery monthly, TimeProvider time, string? quarter)
    {
        var user = ctx.User();
        var q = QuarterPeriod.Of(ChinaTime.DateOf(time.GetUtcNow()));
        var b = new StringBuilder();
        if (quarter is not null && !QuarterPeriod.TryParse(quarter, out q))
            return Html.Page(ctx, user, "排名", $"<p class=\"err\">季度“{Html.E(quarter)}”看不懂，请写成例如 {Html.E(QuarterPeriod.Of(ChinaTime.DateOf(time.GetUtcNow())).ToString())}。</p>", 400);
        var f = await query.ComputeAsync(q, showRankings: true, ctx.RequestAborted);
        b.Append("<p>季度：").Append(Html.E(q.ToString())).Append("（截至今天）</p>");
        if (!user.IsVillage)
        {
            // 沈丘 五(四): the township evaluation is monthly; this month so far (on time ÷ (completed + open past due)).
            var month = await monthly.ComputeAsync(MonthPeriod.Of(ChinaTime.DateOf(time.GetUtcNow())), ctx.RequestAborted);
            var eval = month.Evaluation ?? TownshipEvaluation.Empty;
            b.Append("<h2>乡镇月考评（本月至今，按时率）</h2><div class=\"panel\">")
                .Append(Svg.Bars("chart-townships", eval.Ranked.Select(t => ($"{t.Rank}. {t.Name}", (IReadOnlyList<double>)[100.0 * t.Ratio])).ToList(),
                    ["按时率"], 100, v => $"{v:0.#}%"));
            if (eval.NoDueWork.Count > 0) b.Append("<p class=\"muted\">无到期任务：").Append(Html.E(string.Join("、", eval.NoDueWork.Select(t => t.Name)))).Append("</p>");
            b.Append("</div>");
        }

        if (user.IsCounty || user.IsDepartment)
        {
            Ranking(b, "密切监测单位", f.Departments.CloseMonitoring, user);
            Ranking(b, "相关单位", f.Departments.Related, user);
        }

        return Html.Page(ctx, user, "排名", b.ToString());
    }

    private static void Ranking(StringBuilder b, string title, IReadOnlyList<DepartmentScore> rows, ConsoleUser user)
    {
        b.Append("<h2>").Append(title).Append("</h2><div class=\"panel\"><table data-testid=\"ranking\"><thead><tr><th>名次</th><th>单位</th><th>得分</th><th>扣分项</th><th>加分</th><th>明细</th></tr></thead><tbody>");
        foreach (var d in rows)
        {
            var mine = !user.IsDepartment || d.Code == user.DepartmentCode;
            b.Append("<tr><td>").Append(d.Rank).Append("</td><td>").Append(Html.E(d.Name)).Append("</td><td>").Append(d.Score).Append("</td><td>")
                .Append(d.Deductions).Append("（−").Append(d.DeductedPoints).Append("）</td><td>").Append(d.BonusPoints).Append("</td><td style=\"white-space:normal\">");
            // Another department's items are theirs to read; a department sees its own.
            if (mine) b.Append(string.Join("<br>", d.Items.Select(i => $"{(i.Points > 0 ? "+" : "")}{i.Points} {Html.E(i.Reason)}{(i.Count > 1 ? $"（{i.Count}项）" : "")}")));
            b.Append("</td></tr>");
        }

        if (rows.Count == 0) b.Append("<tr><td colspan=\"6\" class=\"muted\">没有这一类单位</td></tr>");
        b.Append("</tbody></table></div>");
    }
}
