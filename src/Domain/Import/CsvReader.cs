using System.Text;

namespace RapidResponse.Domain.Import;

/// <summary>
/// RFC 4180 CSV read by CsvHelper: comma-separated, fields optionally in double quotes, "" inside quotes is one quote,
/// quoted fields may hold commas and line breaks; CRLF or LF line ends. Lenient where Excel is lenient
/// (a quote inside an unquoted field is kept as text), strict where data would be lost (an unclosed quote).
/// The bytes are checked here first: strict UTF-8, with a hint for the GBK files Excel saves by default.
/// </summary>
public static class CsvReader
{
    /// <summary>Decodes UTF-8 (a BOM is tolerated) and refuses anything else with a hint how to save the file.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            throw new ImportFileException("文件是UTF-16编码。请在Excel中“另存为”选择“CSV UTF-8（逗号分隔）(*.csv)”后重新上传");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ImportFileException("文件不是UTF-8编码（可能是GBK）。请在Excel中“另存为”选择“CSV UTF-8（逗号分隔）(*.csv)”，或直接上传.xlsx文件");
        }
        if (text.Contains('\0'))
            throw new ImportFileException("文件里有二进制内容，不是CSV文本。请上传CSV（UTF-8）或.xlsx文件");
        return text;
    }

    private static readonly CsvHelper.CsvReaderOptions Options = CsvHelper.CsvReaderOptions.Default with
    {
        Separator = ',', // never guessed from the first lines
        HasHeader = false, // the importers read the header row themselves
        TrackLineNumbers = true,
        SkipEmptyLines = false,
        MalformedData = CsvHelper.CsvMalformedDataHandling.Recover, // a stray quote inside an unquoted field stays text
        OnMalformedRecord = m =>
        {
            if (m.Reason == CsvHelper.CsvMalformedReason.UnterminatedQuote)
                throw new ImportFileException($"第{m.LineNumber}行有一个双引号没有闭合，之后的内容无法分列。请检查这一行的引号", (int)m.LineNumber);
        },
    };

    /// <summary>Records with the physical line each one starts on (1-based); a line break inside quotes is one "\n".</summary>
    public static IEnumerable<TableRow> Parse(string text)
    {
        using var reader = CsvHelper.CsvReader.FromText(text, Options);
        while (reader.Read())
        {
            var cells = new string[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                var v = reader.GetString(i);
                cells[i] = v.Contains('\r') ? v.Replace("\r\n", "\n").Replace('\r', '\n') : v;
            }
            yield return new TableRow((int)reader.LineNumber, cells);
        }
    }
}
