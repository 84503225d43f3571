using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Import;

/// <summary>What a department list import did: cases opened, rows already imported before, rows rejected with their line.</summary>
public sealed record DepartmentListResult(int Created, int AlreadyImported, int Rejected, IReadOnlyList<string> CaseNumbers, IReadOnlyList<ImportError> Errors)
{
    public string Summary => $"部门预警名单：新建案件 {Created}，此前已导入 {AlreadyImported}，未匹配或有误 {Rejected}";

    /// <summary>The result as the admin API shows it: the reasons with ID and phone numbers masked.</summary>
    public DepartmentListResult Masked() => this with { Errors = [.. Errors.Select(e => e with { Reason = Privacy.Mask.Text(e.Reason) })] };
}

/// <summary>
/// A department's month-end warning list (部门预警名单, 云龙 YL-10): each row opens a triage case routed to the
/// household's village. Rows matching no household are reported by line; re-importing the same list creates nothing new.
/// Changes are left in the context for the caller to save with its task cards (all at the end, or in chunks through
/// <see cref="DepartmentListImporter.OnBatch"/>).
/// </summary>
public sealed class DepartmentListImporter(BotDb db, CaseWorkflow workflow)
{
    /// <summary>When set, every household the import looks up is added to it (routing and cards then need no query per case).</summary>
    public RosterSnapshot? Snapshot { get; init; }

    /// <summary>
    /// When set, called with every <see cref="BatchSize"/> opened cases and with the last ones, so the caller can card
    /// and save them in chunks (inside its transaction) instead of tracking the whole list in one context; with
    /// <see cref="CaseWorkflow.TrackNewCases"/> off the cases are not tracked at all and the caller must save them here.
    /// </summary>
    public Func<IReadOnlyList<Case>, CancellationToken, Task>? OnBatch { get; init; }

    public int BatchSize { get; init; } = 2_000;

    public static readonly IReadOnlyList<string> Columns = ["department_code", "id_number", "household_no", "warning_type", "date", "note"];

    private static readonly (string Word, string Risk)[] WarningRisks =
    [
        ("医", "因病"), ("病", "因病"), ("住院", "因病"), ("残", "因残"), ("学", "因学"), ("辍", "因学"), ("灾", "因灾"),
        ("意外", "因意外事故"), ("事故", "因意外事故"), ("危房", "住房安全"), ("房", "住房安全"), ("水", "饮水安全"),
        ("务工", "务工就业不稳"), ("就业", "务工就业不稳"), ("失业", "务工就业不稳"), ("产业", "产业失败"),
    ];

    public async Task<DepartmentListResult> ImportAsync(Stream content, ImportFormat format, Actor importer, CancellationToken ct = default)
    {
        var rows = await TableReader.ReadAsync(content, format, ct);
        var headerIndex = rows.FindIndex(r => !r.IsBlank);
        if (headerIndex < 0) throw new ImportFileException($"文件是空的。第一行应是列名：{string.Join(",", Columns)}");
        var header = rows[headerIndex].Cells.Select(c => c.Trim().ToLowerInvariant()).ToList();
        var missing = new[] { "department_code", "warning_type", "date" }.Where(c => !header.Contains(c)).ToList();
        if (!header.Contains("id_number") && !header.Contains("household_no")) missing.Add("id_number 或 household_no");
        if (missing.Count > 0) throw new ImportFileException($"缺少列：{string.Join("、", missing)}。第一行应是：{string.Join(",", Columns)}", rows[headerIndex].Line);
        string Cell(TableRow r, string col) { var i = header.IndexOf(col); return i >= 0 && i < r.Cells.Length ? r.Cells[i].Trim() : ""; }

        var data = rows.Skip(headerIndex + 1).Where(r => !r.IsBlank).ToList();
        var departments = await db.Departments.AsNoTracking().Select(d => d.Code).ToListAsync(ct);
        var ids = data.Select(r => IdNumber.Normalize(Cell(r, "id_number"))).Where(x => x.Length > 0).Distinct().ToList();
        var nos = data.Select(r => Cell(r, "household_no")).Where(x => x.Length > 0).Distinct().ToList();
        var households = new Dictionary<string, Household>();
        foreach (var chunk in ids.Chunk(500))
            foreach (var h in await db.Households.AsNoTracking().Where(h => chunk.Contains(h.IdNumber)).ToListAsync(ct)) { households[h.IdNumber] = h; Snapshot?.Add(h); }
        foreach (var chunk in nos.Chunk(500))
            foreach (var h in await db.Households.AsNoTracking().Where(h => chunk.Contains(h.HouseholdNo)).ToListAsync(ct)) { households["no:" + h.HouseholdNo] = h; Snapshot?.Add(h); }

        var errors = new List<ImportError>();
        var pending = new List<(TableRow Row, Household H, string Dept, string Type, DateOnly Date, string Note, string Key)>();
        foreach (var r in data)
        {
            var dept = Cell(r, "department_code").ToUpperInvariant();
            var type = Cell(r, "warning_type");
            var id = IdNumber.Normalize(Cell(r, "id_number"));
            var no = Cell(r, "household_no");
            if (!departments.Contains(dept)) { errors.Add(new(r.Line, $"部门代码“{dept}”不在花名册中")); continue; }
            if (type.Length == 0) { errors.Add(new(r.Line, "缺少预警类型（warning_type），例如：自付医疗费超标")); continue; }
            if (!TryDate(Cell(r, "date"), out var date)) { errors.Add(new(r.Line, $"日期“{Cell(r, "date")}”看不懂，请写成 2026-10-31")); continue; }
            Household? h = id.Length > 0 && households.TryGetValue(id, out var byId) ? byId
                : no.Length > 0 && households.TryGetValue("no:" + no, out var byNo) ? byNo : null;
            if (h is null)
            {
                errors.Add(new(r.Line, id.Length > 0 ? $"身份证号{Mask.IdNumber(id)}在农户花名册中没有匹配的户" : no.Length > 0 ? $"户编号“{no}”在农户花名册中没有匹配的户" : "缺少身份证号或户编号"));
                continue;
            }
            pending.Add((r, h, dept, type, date, Cell(r, "note"), $"dept:{dept}:{h.HouseholdNo}:{type}:{date:yyyy-MM-dd}"));
        }

        var keys = pending.Select(p => p.Key).Distinct().ToList();
        var existing = new HashSet<string>();
        foreach (var chunk in keys.Chunk(500))
            existing.UnionWith(await db.Cases.AsNoTracking().Where(c => c.SourceKey != null && chunk.Contains(c.SourceKey)).Select(c => c.SourceKey!).ToListAsync(ct));
        var created = new List<string>();
        var batch = new List<Case>();
        var already = 0;
        foreach (var p in pending)
        {
            if (!existing.Add(p.Key)) { already++; continue; }
            var risk = WarningRisks.FirstOrDefault(w => p.Type.Contains(w.Word, StringComparison.Ordinal)).Risk ?? "其他";
            var c = await workflow.OpenAsync(Channel.DepartmentList, p.H.VillageCode, [risk], $"{p.Dept}预警：{p.Type}（{p.Date:yyyy-MM-dd}）{(p.Note.Length > 0 ? "，" + p.Note : "")}",
                Severity.General, importer, x =>
                {
                    x.HouseholdId = p.H.Id; x.ApplicantName = p.H.HeadName; x.ApplicantIdNumber = p.H.IdNumber; x.ApplicantPhone = p.H.Phone; x.SourceKey = p.Key;
                }, ct: ct);
            created.Add(c.Number);
            if (OnBatch is null) continue;
            batch.Add(c);
            if (batch.Count >= BatchSize) { await OnBatch(batch, ct); batch = []; }
        }
        if (OnBatch is not null && batch.Count > 0) await OnBatch(batch, ct);
        return new DepartmentListResult(created.Count, already, errors.Count, created, errors);
    }

    private static bool TryDate(string s, out DateOnly d) =>
        DateOnly.TryParseExact(s, ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d", "yyyyMMdd", "yyyy年M月d日"], CultureInfo.InvariantCulture, DateTimeStyles.None, out d)
        || (DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt) && (d = DateOnly.FromDateTime(dt)) != default);
}
