using System.Globalization;
using RapidResponse.Domain.Scoring;

namespace RapidResponse.Domain.Bulletins.Charts;

/// <summary>
/// The pictures that follow a bulletin's text in the group chats (DESIGN §3): the monthly one shows each township's on-time
/// rate and its overdue count at the cut-off; the quarterly one the two 方城 department rankings (附件3: 紧密型单位 and 相关单位,
/// final score from base 100). Figures come from the same <see cref="MonthlyFigures"/> / <see cref="QuarterlyFigures"/> as the text.
/// </summary>
public static class BulletinCharts
{
    public const string Ink = "#1f2933", Muted = "#616e7c", Grid = "#d9e2ec", Blue = "#0b5cab", Red = "#c62828", Green = "#2e7d32", Amber = "#f9a825";
    private const int Width = 960, Margin = 24, NameColumn = 170, RowHeight = 34, BarHeight = 20;

    /// <summary>On-time rate (bar, 0–100%) and open overdue items (bar, to the largest count) per township.</summary>
    public static ChartLayout Monthly(MonthlyFigures f)
    {
        var rects = new List<ChartRect>();
        var lines = new List<ChartLine>();
        var texts = new List<ChartText>();
        var title = $"{f.Period.ToChinese()}各乡镇按时办结率和逾期未办数";
        texts.Add(new ChartText(title, Margin, 40, 24, Ink, Bold: true));
        texts.Add(new ChartText($"全县按时办结率 {f.Rate}（{f.OnTime}/{f.Completed}），逾期未办 {f.OverdueTotal} 项；截至 {Calendar.ChinaTime.DateOf(f.AsOf):yyyy-MM-dd}", Margin, 70, 15, Muted));
        const float rateLeft = Margin + NameColumn, rateWidth = 430, overdueLeft = rateLeft + rateWidth + 110, overdueWidth = Width - Margin - 60 - overdueLeft;
        const float header = 104;
        texts.Add(new ChartText("乡镇", Margin, header, 15, Muted, Bold: true));
        texts.Add(new ChartText("按时办结率", rateLeft, header, 15, Muted, Bold: true));
        texts.Add(new ChartText("逾期未办（项）", overdueLeft, header, 15, Muted, Bold: true));
        var top = header + 14;
        var maxOverdue = Math.Max(1, f.Townships.Select(t => t.OverdueTotal).DefaultIfEmpty(0).Max());
        for (var i = 0; i < f.Townships.Count; i++)
        {
            var t = f.Townships[i];
            var y = top + i * RowHeight;
            var baseline = y + BarHeight - 4;
            texts.Add(new ChartText(t.Name, Margin, baseline, 16, Ink));
            rects.Add(new ChartRect(rateLeft, y, rateWidth, BarHeight, Grid));
            if (t.Completed > 0)
            {
                var share = (float)t.OnTime / t.Completed;
                rects.Add(new ChartRect(rateLeft, y, rateWidth * share, BarHeight, share >= 0.9f ? Green : share >= 0.6f ? Blue : Amber));
            }

            texts.Add(new ChartText(t.Completed > 0 ? $"{t.Rate}（{t.OnTime}/{t.Completed}）" : "本期无到期事项", rateLeft + rateWidth + 8, baseline, 14, Ink));
            if (t.OverdueTotal > 0) rects.Add(new ChartRect(overdueLeft, y, overdueWidth * t.OverdueTotal / maxOverdue, BarHeight, Red));
            texts.Add(new ChartText(t.OverdueTotal.ToString(CultureInfo.InvariantCulture), overdueLeft + overdueWidth * t.OverdueTotal / maxOverdue + 8, baseline, 14, t.OverdueTotal > 0 ? Red : Muted));
        }

        var bottom = top + Math.Max(1, f.Townships.Count) * RowHeight;
        lines.Add(new ChartLine(rateLeft, top - 4, rateLeft, bottom - 10, Muted));
        lines.Add(new ChartLine(overdueLeft, top - 4, overdueLeft, bottom - 10, Muted));
        if (f.Townships.Count == 0) texts.Add(new ChartText("本期没有乡镇数据", Margin, top + 16, 16, Muted));
        return new ChartLayout(title, Width, (int)bottom + Margin, rects, lines, texts);
    }

    /// <summary>
    /// The two department rankings (附件3), each unit's final score as a bar from 0 with its deductions and bonuses written
    /// beside it; without rankings (the profile hides them) units are listed by code with no rank number, as in the text.
    /// </summary>
    public static ChartLayout Quarterly(QuarterlyFigures f)
    {
        var rects = new List<ChartRect>();
        var lines = new List<ChartLine>();
        var texts = new List<ChartText>();
        var title = $"{f.Quarter.ToChinese()}“5+2”联动部门评分{(f.ShowRankings ? "排序" : "")}";
        texts.Add(new ChartText(title, Margin, 40, 24, Ink, Bold: true));
        texts.Add(new ChartText("基础分100分，加分和扣分后为最终得分（待核实的扣分不计入）", Margin, 70, 15, Muted));
        var all = f.Departments.CloseMonitoring.Concat(f.Departments.Related).ToList();
        var max = Math.Max(ScoreRules.Base, all.Select(d => d.Score).DefaultIfEmpty(ScoreRules.Base).Max());
        const float barLeft = Margin + NameColumn + 30, barWidth = 520;
        var y = 100f;
        foreach (var (name, list) in new[] { ("一、防返贫动态监测紧密型单位", f.Departments.CloseMonitoring), ("二、巩固拓展脱贫攻坚成果相关单位", f.Departments.Related) })
        {
            texts.Add(new ChartText(name, Margin, y + 18, 17, Ink, Bold: true));
            y += 30;
            var ordered = f.ShowRankings ? list : [.. list.OrderBy(d => d.Code, StringComparer.Ordinal)];
            foreach (var d in ordered)
            {
                var baseline = y + BarHeight - 4;
                texts.Add(new ChartText(f.ShowRankings ? $"{d.Rank}. {d.Name}" : d.Name, Margin, baseline, 16, Ink));
                rects.Add(new ChartRect(barLeft, y, barWidth, BarHeight, Grid));
                var w = barWidth * Math.Max(0, d.Score) / max;
                rects.Add(new ChartRect(barLeft, y, w, BarHeight, d.DeductedPoints > 0 ? (d.Score < 90 ? Red : Amber) : Green));
                texts.Add(new ChartText($"{d.Score}分（扣{d.DeductedPoints} 加{d.BonusPoints}）", barLeft + barWidth + 10, baseline, 14, Ink));
                y += RowHeight;
            }

            if (ordered.Count == 0)
            {
                texts.Add(new ChartText("（没有单位）", Margin, y + 16, 15, Muted));
                y += RowHeight;
            }

            y += 10;
        }

        // The base-100 mark, so a bonus above it and a deduction below it read at a glance.
        var mark = barLeft + barWidth * ScoreRules.Base / max;
        lines.Add(new ChartLine(mark, 126, mark, y - 14, Muted));
        texts.Add(new ChartText("100", mark, y + 4, 12, Muted, TextAnchor.Middle));
        return new ChartLayout(title, Width, (int)y + Margin, rects, lines, texts);
    }
}
