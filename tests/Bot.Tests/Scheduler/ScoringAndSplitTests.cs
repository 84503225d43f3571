using System.Text;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Scoring;
using RapidResponse.Scheduler.Bulletins;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>方城 annex 3 scoring as tables, and the byte-limited bulletin split.</summary>
public sealed class ScoringAndSplitTests
{
    private static readonly Department[] Depts =
    [
        new() { Code = "JT", Name = "县教体局", Kind = DepartmentKind.CloseMonitoring },
        new() { Code = "MZ", Name = "县民政局", Kind = DepartmentKind.CloseMonitoring },
        new() { Code = "WJ", Name = "县卫健委", Kind = DepartmentKind.CloseMonitoring },
        new() { Code = "ZJ", Name = "县住建局", Kind = DepartmentKind.Related },
        new() { Code = "JY", Name = "县交通运输局", Kind = DepartmentKind.Related },
    ];

    private static IEnumerable<ScoreItem> Items(string spec) =>
        spec.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x =>
        {
            var (dept, code) = (x.Split(':')[0], x.Split(':')[1]);
            return new ScoreItem(dept, code, ScoreRules.Find(code)!.Points, code);
        });

    [Theory]
    [InlineData("D1", 98)]
    [InlineData("D1b", 97)]
    [InlineData("D2", 98)]
    [InlineData("D2b", 97)]
    [InlineData("D3", 97)]
    [InlineData("D4", 95)]
    [InlineData("D5N", 85)]
    [InlineData("D5P", 90)]
    [InlineData("D5C", 95)]
    [InlineData("B1N", 130)]
    [InlineData("B1P", 120)]
    [InlineData("B1C", 110)]
    [InlineData("B2N", 120)]
    [InlineData("B2P", 115)]
    [InlineData("B2C", 110)]
    [InlineData("B3N", 115)]
    [InlineData("B3P", 110)]
    [InlineData("B3C", 105)]
    public void Rank_ShouldApplyTheAnnex3Points_WhenOneItemIsEntered(string rule, int score)
    {
        var r = DepartmentRanking.Rank(Depts, Items($"JT:{rule}"));
        Assert.Equal(score, r.CloseMonitoring.Single(d => d.Code == "JT").Score);
    }

    [Theory]
    // Nothing entered: everyone 100, order by name (ordinal).
    [InlineData("", "县卫健委 100,县教体局 100,县民政局 100", "县交通运输局 100,县住建局 100")]
    // Scores rank; the two kinds are ranked separately (a related unit's 110 does not outrank close-monitoring units).
    [InlineData("JT:D2b JT:D2b MZ:B3C ZJ:B1C", "县民政局 105,县卫健委 100,县教体局 94", "县住建局 110,县交通运输局 100")]
    // Tie at 105: 卫健 no deduction, 教体 one (−5 +10), 民政 two (−2 −3 +10) → fewer deductions first.
    [InlineData("WJ:B3C JT:D4 JT:B2C MZ:D2 MZ:D3 MZ:B2C", "县卫健委 105,县教体局 105,县民政局 105", "县交通运输局 100,县住建局 100")]
    // Same score and same number of deductions: by name.
    [InlineData("ZJ:D1 JY:D2", "县卫健委 100,县教体局 100,县民政局 100", "县交通运输局 98,县住建局 98")]
    // No floor or ceiling (annex 3 sets none).
    [InlineData("JT:D5N JT:D5N JT:D5N JT:D5N JT:D5N JT:D5N JT:D5N", "县卫健委 100,县民政局 100,县教体局 -5", "县交通运输局 100,县住建局 100")]
    public void Rank_ShouldOrderBothRankings_WithTieBreakByDeductionsThenName(string items, string close, string related)
    {
        var r = DepartmentRanking.Rank(Depts, Items(items));
        Assert.Equal(close, string.Join(",", r.CloseMonitoring.Select(d => $"{d.Name} {d.Score}")));
        Assert.Equal(related, string.Join(",", r.Related.Select(d => $"{d.Name} {d.Score}")));
        Assert.Equal([1, 2, 3], r.CloseMonitoring.Select(d => d.Rank));
        Assert.Equal([1, 2], r.Related.Select(d => d.Rank));
    }

    private static string LongBulletin(int townships, int itemsEach)
    {
        var sb = new StringBuilder("# 2026年10月防返贫动态监测快速反应工作通报\n截至2026-10-31，全县新增风险线索**120**条。\n\n## 一、各乡镇情况\n");
        for (var t = 1; t <= townships; t++)
        {
            sb.Append($"### 第{t}乡镇\n- 新增线索：{t}条\n- 逾期未办：{itemsEach}项\n");
            for (var i = 1; i <= itemsEach; i++) sb.Append($"  - YL-2026-{t:D3}{i:D3} 某某村 信息比对，期限10-14，逾期{i}个工作日，责任人：县教体局\n");
        }
        sb.Append("## 二、未按时报送2026年9月月报的部门\n县民政局、县住建局\n");
        return sb.ToString().Trim('\n');
    }

    [Theory]
    [InlineData(2048, 12, 10)]
    [InlineData(4096, 12, 20)]
    [InlineData(2048, 1, 60)]  // one township section larger than a part: cut between lines
    [InlineData(4096, 2, 1)]   // fits: one part, no numbering
    public void Split_ShouldKeepEveryPartWithinTheLimitAndLoseNothing(int limit, int townships, int items)
    {
        var text = LongBulletin(townships, items);
        var parts = BulletinSplitter.Split(text, limit);

        Assert.All(parts, p => Assert.True(Encoding.UTF8.GetByteCount(p) <= limit, $"{Encoding.UTF8.GetByteCount(p)} > {limit}"));
        if (parts.Count == 1) Assert.Equal(text, parts[0]);
        else
        {
            Assert.All(parts.Select((p, i) => (p, i)), x => Assert.StartsWith($"（{x.i + 1}/{parts.Count}）\n", x.p));
            Assert.Equal(text, string.Join("\n", parts.Select(BulletinSplitter.StripNumber)));
            // Cuts fall between lines: no part starts or ends inside a line of the original.
            var lines = text.Split('\n').ToHashSet();
            Assert.All(parts.SelectMany(p => BulletinSplitter.StripNumber(p).Split('\n')), l => Assert.Contains(l, lines));
        }
        if (townships > 1 && parts.Count > 1)
            // Sections that fit are not torn: every part after the first starts at a heading.
            Assert.All(parts.Skip(1), p => Assert.StartsWith("#", BulletinSplitter.StripNumber(p)));
    }

    [Fact]
    public void Split_ShouldCutInsideALine_OnlyWhenTheLineAloneExceedsThePart()
    {
        var line = string.Concat(Enumerable.Repeat("县教体局逾期😀", 200)); // 4-byte emoji must not be torn
        var parts = BulletinSplitter.Split(line, 512);
        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.True(Encoding.UTF8.GetByteCount(p) <= 512));
        Assert.Equal(line, string.Concat(parts.Select(BulletinSplitter.StripNumber).Select(p => p.Replace("\n", ""))));
    }
}
