using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MiniExcelLibs;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;
using RapidResponse.Scheduler;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>
/// The monthly duty list (月报): which departments reported on a month and which did not, by the due day (方城“5+2”联动机制
/// 三、(一)1: 次月5号前报送, <c>Scheduler:ReportDueDay</c>) — <c>GET /console/duty?month=2026-11</c> as a page and
/// <c>GET /console/duty.xlsx?month=2026-11</c> as Excel (MiniExcel, streamed from a temporary file like the ledger, cells that a
/// spreadsheet would run as a formula escaped). County staff see every department, a department its own row.
/// </summary>
public static class DutyPage
{
    public static IReadOnlyList<string> Columns { get; } = ["月份", "单位代码", "单位", "类别", "截止时间", "状态", "报送时间", "报送人", "报送内容"];

    public sealed record DutyRow(Department Department, DepartmentReport? Report, string? ReporterName, string State);

    public static async Task<IResult> RenderAsync(HttpContext ctx, BotDb db, TimeProvider time, IServiceProvider sp, string? month)
    {
        var user = ctx.User();
        if (Refused(ctx, user, time, month, out var p) is { } refused) return refused;
        var due = DepartmentReports.DueAt(p, DueDay(sp));
        var rows = await RowsAsync(db, user, p, due, time.GetUtcNow(), ctx.RequestAborted);
        var b = new StringBuilder("<form method=\"get\" class=\"filters\"><label>月份<input name=\"month\" value=\"").Append(p.ToString()).Append("\" placeholder=\"2026-11\"></label>")
            .Append("<button type=\"submit\">查看</button> <a data-testid=\"duty-xlsx\" href=\"/console/duty.xlsx?month=").Append(p.ToString()).Append("\">导出 Excel</a></form>")
            .Append("<p>").Append(Html.E(p.ToChinese())).Append("月报，截止 ").Append(Html.Time(due)).Append("：已报送 ").Append(rows.Count(r => r.Report is not null))
            .Append("，未报送 ").Append(rows.Count(r => r.Report is null)).Append("</p><div class=\"panel\"><table data-testid=\"duty\"><thead><tr><th>单位</th><th>状态</th><th>报送时间</th><th>报送人</th><th>内容</th></tr></thead><tbody>");
        foreach (var r in rows)
            b.Append("<tr><td>").Append(Html.E(r.Department.Name)).Append("</td><td class=\"").Append(r.Report is null || r.Report.SubmittedAt > due ? "late" : "ok").Append("\">")
                .Append(Html.E(r.State)).Append("</td><td>").Append(Html.Time(r.Report?.SubmittedAt)).Append("</td><td>").Append(Html.E(r.ReporterName)).Append("</td><td style=\"white-space:normal\">")
                .Append(Html.E(Mask.Text(r.Report?.Content))).Append("</td></tr>");
        if (rows.Count == 0) b.Append("<tr><td colspan=\"5\" class=\"muted\">没有单位</td></tr>");
        b.Append("</tbody></table></div>");
        return Html.Page(ctx, user, "部门月报", b.ToString());
    }

    public static async Task<IResult> ExportAsync(HttpContext ctx, BotDb db, TimeProvider time, IServiceProvider sp, string? month)
    {
        var user = ctx.User();
        if (Refused(ctx, user, time, month, out var p) is { } refused) return refused;
        var due = DepartmentReports.DueAt(p, DueDay(sp));
        var rows = await RowsAsync(db, user, p, due, time.GetUtcNow(), ctx.RequestAborted);
        var path = Path.Combine(Path.GetTempPath(), $"rrb-duty-{Guid.NewGuid():N}.xlsx");
        await MiniExcel.SaveAsAsync(path, rows.Select(r => (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["月份"] = p.ToString(),
            ["单位代码"] = LedgerExport.Cell(r.Department.Code),
            ["单位"] = LedgerExport.Cell(r.Department.Name),
            ["类别"] = r.Department.Kind switch { DepartmentKind.CloseMonitoring => "密切监测单位", DepartmentKind.Related => "相关单位", _ => "牵头单位" },
            ["截止时间"] = Html.Time(due),
            ["状态"] = r.State,
            ["报送时间"] = r.Report is { } x ? Html.Time(x.SubmittedAt) : "",
            ["报送人"] = LedgerExport.Cell(r.ReporterName),
            ["报送内容"] = LedgerExport.Cell(Mask.Text(r.Report?.Content)),
        }), sheetName: "月报", cancellationToken: ctx.RequestAborted);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.SequentialScan);
        return Results.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"月报-{p}.xlsx");
    }

    /// <summary>Every department (a department: itself) with its report for the month, if any, and where it stands.</summary>
    public static async Task<List<DutyRow>> RowsAsync(BotDb db, ConsoleUser user, MonthPeriod p, DateTimeOffset due, DateTimeOffset now, CancellationToken ct)
    {
        var key = p.ToString();
        var depts = db.Departments.AsNoTracking();
        if (user.IsDepartment) depts = depts.Where(d => d.Code == user.DepartmentCode);
        var list = (await depts.ToListAsync(ct)).OrderBy(d => d.Code, StringComparer.Ordinal).ToList();
        var reports = await db.Set<DepartmentReport>().AsNoTracking().Where(r => r.Period == key).ToDictionaryAsync(r => r.DepartmentCode, ct);
        var who = reports.Values.Select(r => r.SubmittedBy).Distinct().ToList();
        var names = await db.Staff.AsNoTracking().Where(s => who.Contains(s.UserId)).ToDictionaryAsync(s => s.UserId, s => s.Name, ct);
        return [.. list.Select(d =>
        {
            var r = reports.GetValueOrDefault(d.Code);
            var state = r is not null ? (r.SubmittedAt <= due ? "按时报送" : "逾期报送") : now <= due ? "未报送（未到截止时间）" : "未报送";
            return new DutyRow(d, r, r is null ? null : names.GetValueOrDefault(r.SubmittedBy, r.SubmittedBy), state);
        })];
    }

    private static int DueDay(IServiceProvider sp) => sp.GetService<IOptions<SchedulerOptions>>()?.Value.ReportDueDay ?? DepartmentReports.DueDay;

    /// <summary>403 for those without departments to look at; 400 for a month that cannot be read or has not begun. Default: last month.</summary>
    private static IResult? Refused(HttpContext ctx, ConsoleUser user, TimeProvider time, string? month, out MonthPeriod p)
    {
        var today = ChinaTime.DateOf(time.GetUtcNow());
        p = MonthPeriod.Of(today).Previous;
        if (!user.IsCounty && !user.IsDepartment)
            return Html.Page(ctx, user, "无权查看", "<p class=\"err\" data-testid=\"forbidden\">部门月报由行业部门报送给县级办公室，乡镇和村的账号不能查看。</p>", 403);
        if (month is not null && !MonthPeriod.TryParse(month, out p))
            return Html.Page(ctx, user, "部门月报", $"<p class=\"err\">月份“{Html.E(month)}”看不懂，请写成年-月，例如 {MonthPeriod.Of(today).Previous}。</p>", 400);
        if (p.FirstDay > today)
            return Html.Page(ctx, user, "部门月报", $"<p class=\"err\">{p.ToChinese()}还没有开始，没有月报可看；请选 {MonthPeriod.Of(today)} 或更早的月份。</p>", 400);
        return null;
    }
}
