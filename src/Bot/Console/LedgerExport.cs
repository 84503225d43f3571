using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>
/// <c>GET /console/ledger.xlsx</c> (台账) with the case list's filters: one row per case, each stage's completion time and
/// whether it was late; the ID masked unless the role may see it in full; text that a spreadsheet would run as a formula
/// (= + - @ first) escaped. Rows are read in batches and written by MiniExcel to a temporary file that is then streamed
/// and deleted, so memory stays flat however many cases there are.
/// </summary>
public static class LedgerExport
{
    private const int Batch = 2000;

    public static readonly StageKind[] Stages = Enum.GetValues<StageKind>();

    public static IReadOnlyList<string> Columns { get; } =
    [
        "编号", "户主", "身份证号", "村", "乡镇", "困难类型", "来源", "受理时间",
        .. Stages.SelectMany(s => new[] { s.ToChinese() + "完成时间", s.ToChinese() + "是否逾期" }),
        "认定结果", "帮扶措施", "启动帮扶时间", "风险消除时间",
    ];

    public static async Task<IResult> ExportAsync(HttpContext ctx, IServiceScopeFactory scopes, TimeProvider time)
    {
        var user = ctx.User();
        var f = CaseFilter.Parse(ctx.Request.Query, out var problems);
        if (problems.Count > 0) return Html.Page(ctx, user, "无法导出", string.Concat(problems.Select(p => $"<p class=\"err\">{Html.E(p)}</p>")), 400);
        var now = time.GetUtcNow();
        var path = Path.Combine(Path.GetTempPath(), $"rrb-ledger-{Guid.NewGuid():N}.xlsx");
        // On a worker thread with its own scope: MiniExcel pulls the rows synchronously while it writes.
        await Task.Run(() =>
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            MiniExcel.SaveAs(path, Rows(db, user, f, now), sheetName: "台账");
        }, ctx.RequestAborted);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.SequentialScan);
        var name = $"台账-{ChinaTime.DateOf(now):yyyyMMdd}.xlsx";
        return Results.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    private static IEnumerable<IDictionary<string, object?>> Rows(BotDb db, ConsoleUser user, CaseFilter f, DateTimeOffset now)
    {
        var names = RegionNames.LoadAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        var q = f.Apply(user.Cases(db), db, now);
        long after = 0;
        while (true)
        {
            // The household by a LEFT JOIN on its key: a projected "first household" subquery became, on SQLite, a ROW_NUMBER()
            // over the whole roster for every batch (25 s a batch on 1,000,000 households).
            var page = (from c in q.Where(c => c.Id > after).OrderBy(c => c.Id).Take(Batch)
                    join h in db.Households on c.HouseholdId equals h.Id into hs
                    from h in hs.DefaultIfEmpty()
                    orderby c.Id
                    select new
                    {
                        c.Id, c.Number, c.VillageCode, c.RiskTypes, c.Channel, c.CreatedAt, c.ApplicantName, c.ApplicantIdNumber,
                        c.Qualifies, c.DecisionReason, c.AssistancePlan, c.AssistanceStartedAt, c.RiskEliminatedAt,
                        Head = h == null ? null : new { h.HeadName, h.IdNumber },
                    }).ToList();
            if (page.Count == 0) yield break;
            var ids = page.Select(p => p.Id).ToList();
            var stages = db.Stages.AsNoTracking().Where(s => ids.Contains(s.CaseId))
                .Select(s => new { s.CaseId, s.Kind, s.Sequence, s.CompletedAt, s.CompletedLate, s.DueAt }).ToList()
                .ToLookup(s => s.CaseId);
            foreach (var c in page)
            {
                var village = c.VillageCode;
                var township = names.TownshipOf(village);
                var id = c.Head?.IdNumber ?? c.ApplicantIdNumber;
                var row = new Dictionary<string, object?>(Columns.Count)
                {
                    ["编号"] = Cell(c.Number),
                    ["户主"] = Cell(c.Head?.HeadName ?? c.ApplicantName),
                    ["身份证号"] = Cell(user.MayReveal(village, township) ? id : Mask.IdNumber(id)),
                    ["村"] = Cell(names.Name(village)),
                    ["乡镇"] = Cell(names.Name(township)),
                    ["困难类型"] = Cell(string.Join('、', c.RiskTypes)),
                    ["来源"] = c.Channel.ToChinese(),
                    ["受理时间"] = Html.Time(c.CreatedAt),
                };
                foreach (var kind in Stages)
                {
                    // The last round of a stage that repeats (tracking) stands for it.
                    var s = stages[c.Id].Where(x => x.Kind == kind).MaxBy(x => x.Sequence);
                    var late = s is not null && (s.CompletedLate || (s.CompletedAt is null && s.DueAt is { } d && d < now));
                    row[kind.ToChinese() + "完成时间"] = s?.CompletedAt is { } t ? Html.Time(t) : "";
                    row[kind.ToChinese() + "是否逾期"] = s is null ? "" : late ? "是" : "否";
                }

                row["认定结果"] = c.Qualifies is { } ok ? Cell((ok ? "符合条件" : "不符合条件") + (c.DecisionReason is { } r ? "：" + Mask.Text(r) : "")) : "";
                row["帮扶措施"] = Cell(Mask.Text(c.AssistancePlan));
                row["启动帮扶时间"] = c.AssistanceStartedAt is { } a ? Html.Time(a) : "";
                row["风险消除时间"] = c.RiskEliminatedAt is { } e ? Html.Time(e) : "";
                yield return row;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>Text a spreadsheet would run as a formula (CSV/formula injection) gets a leading apostrophe.</summary>
    public static string Cell(string? s) =>
        string.IsNullOrEmpty(s) ? "" : s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + s : s;
}
