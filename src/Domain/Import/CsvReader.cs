using System.Text;

namespace RapidResponse.Domain.Import;

/// <summary>
/// RFC 4180 CSV: comma-separated, fields optionally in double quotes, "" inside quotes is one quote,
/// quoted fields may hold commas and line breaks; CRLF or LF line ends. Lenient where Excel is lenient
/// (a quote inside an unquoted field is kept as text), strict where data would be lost (an unclosed quote).
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

    /// <summary>Records with the physical line each one starts on (1-based).</summary>
    public static IEnumerable<TableRow> Parse(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoteLine = 0;
        var inQuotes = false;
        var quoted = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; }
                    else { inQuotes = false; i++; }
                    continue;
                }
                if (c == '\r' || c == '\n')
                {
                    field.Append('\n');
                    i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                    line++;
                    continue;
                }
                field.Append(c);
                i++;
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0 && !quoted:
                    inQuotes = quoted = true;
                    quoteLine = line;
                    i++;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    quoted = false;
                    i++;
                    break;
                case '\r' or '\n':
                    fields.Add(field.ToString());
                    yield return new TableRow(recordLine, [.. fields]);
                    fields.Clear();
                    field.Clear();
                    quoted = false;
                    i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                    recordLine = ++line;
                    break;
                default:
                    field.Append(c);
                    i++;
                    break;
            }
        }
        if (inQuotes)
            throw new ImportFileException($"第{quoteLine}行有一个双引号没有闭合，之后的内容无法分列。请检查这一行的引号", quoteLine);
        if (fields.Count > 0 || field.Length > 0 || quoted)
        {
            fields.Add(field.ToString());
            yield return new TableRow(recordLine, [.. fields]);
        }
    }
}
