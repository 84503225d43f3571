using System.Globalization;
using MiniExcelLibs;

namespace RapidResponse.Domain.Import;

/// <summary>One record of the file: its line (CSV line or worksheet row, 1-based) and its cells as text.</summary>
public sealed record TableRow(int Line, string[] Cells)
{
    public bool IsBlank => Cells.All(string.IsNullOrWhiteSpace);
}

/// <summary>Reads a CSV or .xlsx file into rows of text.</summary>
public static class TableReader
{
    public static async Task<List<TableRow>> ReadAsync(Stream content, ImportFormat format, CancellationToken ct = default)
    {
        var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        if (buffer.Length == 0) return [];
        buffer.Position = 0;
        return format == ImportFormat.Csv ? [.. CsvReader.Parse(CsvReader.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))] : ReadXlsx(buffer);
    }

    /// <summary>Decides the format from a file name, then a content type, then the first bytes (a workbook is a zip: "PK").</summary>
    public static ImportFormat DetectFormat(string? fileName, string? contentType, ReadOnlySpan<byte> head)
    {
        var ext = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        if (ext == ".xlsx") return ImportFormat.Xlsx;
        if (ext is ".csv" or ".txt") return ImportFormat.Csv;
        var ct = (contentType ?? "").ToLowerInvariant();
        if (ct.Contains("spreadsheetml") || ct.Contains("ms-excel")) return ImportFormat.Xlsx;
        if (ct.Contains("csv") || ct.StartsWith("text/", StringComparison.Ordinal)) return ImportFormat.Csv;
        return head.StartsWith("PK\u0003\u0004"u8) ? ImportFormat.Xlsx : ImportFormat.Csv;
    }

    private static List<TableRow> ReadXlsx(MemoryStream buffer)
    {
        var rows = new List<TableRow>();
        try
        {
            var line = 0;
            // Without a header row MiniExcel yields every worksheet row, blank ones included, so the count is the row number.
            foreach (IDictionary<string, object?> r in MiniExcel.Query(buffer, useHeaderRow: false, excelType: ExcelType.XLSX))
                rows.Add(new TableRow(++line, [.. r.Values.Select(CellText)]));
        }
        // The bytes come from whoever uploads them; whatever MiniExcel trips over (zip, XML, shared strings) means "not a workbook".
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new ImportFileException("文件不是有效的Excel工作簿（.xlsx）。请用Excel打开后“另存为”.xlsx，或上传CSV（UTF-8）文件");
        }
        return rows;
    }

    private static string CellText(object? v) => v switch
    {
        null => "",
        string s => s,
        // Whole numbers as integers (phone numbers, codes); an 18-digit ID typed as a number comes out in E notation and is refused later.
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => d.ToString("0", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateTime t => t.ToString(t.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
