using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Domain.Import;

/// <summary>
/// Imports roster files (DESIGN §5): bad rows are reported with their line and a reason and do not stop good rows;
/// a re-import updates rows by key and never duplicates them. References are checked against this file and the database.
/// Runs in one transaction (unless the caller has one) and clears the context's change tracker after each batch,
/// so give it a context of its own.
/// </summary>
public sealed class RosterImporter(BotDb db, TimeProvider? time = null, int? maxHouseholdsPerContact = null, IStaffAccountLookup? accounts = null)
{
    private readonly TimeProvider time = time ?? TimeProvider.System;

    /// <summary>Imports a file from disk; the extension (.csv or .xlsx) decides the format.</summary>
    public async Task<ImportResult> ImportFileAsync(ImportKind kind, string path, CancellationToken ct = default)
    {
        await using var file = File.OpenRead(path);
        var head = new byte[4];
        var n = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        file.Position = 0;
        return await ImportAsync(kind, file, TableReader.DetectFormat(path, null, head.AsSpan(0, n)), ct);
    }

    /// <exception cref="ImportFileException">The file as a whole is unusable (empty, not UTF-8, not a workbook, required columns missing).</exception>
    public async Task<ImportResult> ImportAsync(ImportKind kind, Stream content, ImportFormat format, CancellationToken ct = default)
    {
        var rows = await TableReader.ReadAsync(content, format, ct);
        var headerIndex = rows.FindIndex(r => !r.IsBlank);
        var expected = ImportKinds.Columns(kind);
        if (headerIndex < 0)
            throw new ImportFileException($"文件是空的。第一行应是列名：{string.Join(",", expected)}");
        var header = rows[headerIndex];
        var (columns, warnings) = ReadHeader(kind, header);
        var data = rows.Skip(headerIndex + 1).Where(r => !r.IsBlank).ToList();

        var run = new ImportRun(db, kind, columns, ChinaTime.DateOf(time.GetUtcNow()), ct) { MaxHouseholdsPerContact = maxHouseholdsPerContact, Accounts = accounts };
        // One transaction: an import that fails half-way (a crash, a lost disk) leaves the roster as it was.
        var own = db.Database.CurrentTransaction is null;
        await using var tx = own ? await db.Database.BeginTransactionAsync(ct) : null;
        switch (kind)
        {
            case ImportKind.Regions: await RegionImport.RunAsync(run, data); break;
            case ImportKind.Departments: await DepartmentImport.RunAsync(run, data); break;
            case ImportKind.Staff: await StaffImport.RunAsync(run, data); break;
            case ImportKind.Households: await HouseholdImport.RunAsync(run, data); break;
            case ImportKind.Groups: await GroupImport.RunAsync(run, data); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
        if (tx is not null) await tx.CommitAsync(ct);
        return run.Result(warnings);
    }

    private static (Dictionary<string, int> Columns, List<string> Warnings) ReadHeader(ImportKind kind, TableRow header)
    {
        var expected = ImportKinds.Columns(kind);
        var optional = ImportKinds.OptionalColumns(kind);
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var unknown = new List<string>();
        var twice = new List<string>();
        for (var i = 0; i < header.Cells.Length; i++)
        {
            var name = header.Cells[i].Trim().Trim('\uFEFF').ToLowerInvariant();
            if (name.Length == 0) continue;
            if (!expected.Contains(name) && !optional.Contains(name)) unknown.Add(header.Cells[i].Trim());
            else if (!columns.TryAdd(name, i)) twice.Add(name);
        }
        var missing = expected.Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0 || twice.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0) problems.Add($"缺少列 {string.Join(",", missing)}");
            if (twice.Count > 0) problems.Add($"列 {string.Join(",", twice.Distinct())} 出现了两次");
            throw new ImportFileException(
                $"第{header.Line}行（列名行）有问题：{string.Join("；", problems)}。{kind.ChineseName()}文件的第一行应是：{string.Join(",", expected)}" +
                (optional.Count > 0 ? $"（可另加 {string.Join(",", optional)}）" : ""), header.Line);
        }
        var warnings = unknown.Count > 0 ? [$"忽略了不认识的列：{string.Join("、", unknown)}"] : new List<string>();
        return (columns, warnings);
    }
}
