namespace RapidResponse.Domain.Import;

/// <summary>A row that was not imported: its line in the file (the header is line 1) and why, in plain Chinese.</summary>
public sealed record ImportError(int Line, string Reason);

/// <summary>What one import did. Rejected rows are listed in <see cref="Errors"/>; every other row was added, updated or already up to date.</summary>
public sealed record ImportResult(
    string Kind,
    int Added,
    int Updated,
    int Unchanged,
    int Rejected,
    IReadOnlyList<ImportError> Errors,
    IReadOnlyList<string> Warnings)
{
    /// <summary>"农户：新增 3，更新 1，未变 10，拒绝 2"</summary>
    public string Summary =>
        $"{(ImportKinds.TryParse(Kind, out var k) ? k.ChineseName() : Kind)}（{Kind}）：新增 {Added}，更新 {Updated}，未变 {Unchanged}，拒绝 {Rejected}";

    /// <summary>The result as the admin API shows it: the reasons and warnings (which may quote a cell) with ID and phone numbers masked.</summary>
    public ImportResult Masked() =>
        this with { Errors = [.. Errors.Select(e => e with { Reason = Privacy.Mask.Text(e.Reason) })], Warnings = [.. Warnings.Select(w => Privacy.Mask.Text(w))] };
}

/// <summary>File formats the importer reads.</summary>
public enum ImportFormat { Csv, Xlsx }

/// <summary>The file as a whole cannot be read (empty, not UTF-8, not a workbook, wrong header); no row was imported.</summary>
public sealed class ImportFileException(string message, int? line = null) : Exception(message)
{
    public int? Line { get; } = line;
}
