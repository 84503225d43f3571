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

/// <summary>One row of a department list that will open a case: the household it matched and its source key.</summary>
public sealed record PlannedCase(Household Household, string Department, string WarningType, DateOnly Date, string Note, string SourceKey);

/// <summary>What a department list will do, worked out before anything is written: the cases to open, what was imported before, what was rejected.</summary>
public sealed record DepartmentListPlan(IReadOnlyList<PlannedCase> Rows, int AlreadyImported, IReadOnlyList<ImportError> Errors);

/// <summary>
/// A department's month-end warning list (部门预警名单, 云龙 YL-10): each row opens a triage case routed to the
/// household's village. Rows matching no household are reported by line; re-importing the same list creates nothing new
/// (each row's source key is unique on the case). <see cref="PlanAsync"/> reads and matches the list without writing;
/// <see cref="OpenAsync"/> opens one planned case, leaving it in the context (or untracked, see
/// <see cref="CaseWorkflow.TrackNewCases"/>) for the caller to save, in whatever chunks and transactions it chooses.
/// </summary>
public sealed class DepartmentListImporter(BotDb db, CaseWorkflow workflow)
{
    /// <summary>When set, every household the import looks up is added to it (routing and cards then need no query per case).</summary>
    public RosterSnapshot? Snapshot { get; init; }

    public static readonly IReadOnlyList<string> Columns = ["department_code", "id_number", "household_no", "warning_type", "date", "note"];

    private static readonly (string Word, string Risk)[] WarningRisks =
    [
        ("医", "因病"), ("病", "因病"), ("住院", "因病"), ("残", "因残"), ("学", "因学"), ("辍", "因学"), ("灾", "因灾"),
        ("意外", "因意外事故"), ("事故", "因意外事故"), ("危房", "住房安全"), ("房", "住房安全"), ("水", "饮水安全"),
        ("务工", "务工就业不稳"), ("就业", "务工就业不稳"), ("失业", "务工就业不稳"), ("产业", "产业失败"),
    ];

    /// <summary>Plans and opens every case in the caller's context (small lists; large ones go through <see cref="PlanAsync"/> in chunks).</summary>
    public async Task<DepartmentListResult> ImportAsync(Stream content, ImportFormat format, Actor importer, CancellationToken ct = default)
    {
        var plan = await PlanAsync(content, format, ct);
        var created = new List<string>();
        foreach (var row in plan.Rows) created.Add((await OpenAsync(row, importer, ct)).Number);
        return new DepartmentListResult(created.Count, plan.AlreadyImported, plan.Errors.Count, created, plan.Errors);
    }

    /// <summary>Reads the list and matches its rows to households and to what was imported before; writes nothing.</summary>
    public async Task<DepartmentListPlan> PlanAsync(Stream content, ImportFormat format, CancellationToken ct = default)
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
        var planned = new List<PlannedCase>();
        var already = 0;
        foreach (var p in pending)
        {
            if (!existing.Add(p.Key)) { already++; continue; }
            planned.Add(new PlannedCase(p.H, p.Dept, p.Type, p.Date, p.Note, p.Key));
        }
        return new DepartmentListPlan(planned, already, errors);
    }

    /// <summary>Opens the case of one planned row (routed, first stage started); the caller cards and saves it.</summary>
    public Task<Case> OpenAsync(PlannedCase p, Actor importer, CancellationToken ct = default)
    {
        var risk = WarningRisks.FirstOrDefault(w => p.WarningType.Contains(w.Word, StringComparison.Ordinal)).Risk ?? "其他";
        var h = p.Household;
        return workflow.OpenAsync(Channel.DepartmentList, h.VillageCode, [risk],
            $"{p.Department}预警：{p.WarningType}（{p.Date:yyyy-MM-dd}）{(p.Note.Length > 0 ? "，" + p.Note : "")}",
            Severity.General, importer, x =>
            {
                x.HouseholdId = h.Id; x.ApplicantName = h.HeadName; x.ApplicantIdNumber = h.IdNumber; x.ApplicantPhone = h.Phone; x.SourceKey = p.SourceKey;
            }, ct: ct);
    }

    private static bool TryDate(string s, out DateOnly d) =>
        DateOnly.TryParseExact(s, ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d", "yyyyMMdd", "yyyy年M月d日"], CultureInfo.InvariantCulture, DateTimeStyles.None, out d)
        || (DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt) && (d = DateOnly.FromDateTime(dt)) != default);
}
