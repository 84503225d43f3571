using System.Text.RegularExpressions;
using RapidResponse.Domain.Cases;

namespace RapidResponse.Bot.Conversations.Reports;

/// <summary>Tolerant parsing of what farmers and cadres type: `字段：值` lines, risk types by number or word, phones.</summary>
public static partial class FieldParsers
{
    /// <summary>Splits `字段：值` lines (full-width or ASCII colon, any order, spaces and blank lines tolerated). Null when no line has a colon.</summary>
    public static Dictionary<string, string>? Fields(string text)
    {
        var result = new Dictionary<string, string>();
        foreach (var raw in text.Replace("\r", "").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var i = line.IndexOfAny([':', '：']);
            if (i <= 0) continue;
            var key = Normalize(line[..i]);
            var value = line[(i + 1)..].Trim();
            if (key.Length > 0) result[key] = value;
        }
        return result.Count == 0 ? null : result;
    }

    private static string Normalize(string key) => WhitespaceRe().Replace(key, "");

    /// <summary>Finds a field under any of its names (e.g. 村 / 所在村 / 村名).</summary>
    public static string? Get(Dictionary<string, string> f, params string[] names)
    {
        foreach (var n in names) if (f.TryGetValue(n, out var v) && v.Length > 0) return v;
        return null;
    }

    private static readonly (string Word, string Type)[] Synonyms =
    [
        ("病", "因病"), ("医", "因病"), ("残", "因残"), ("学", "因学"), ("读书", "因学"), ("灾", "因灾"), ("意外", "因意外事故"),
        ("事故", "因意外事故"), ("产业", "产业失败"), ("养殖", "产业失败"), ("种植", "产业失败"), ("务工", "务工就业不稳"),
        ("就业", "务工就业不稳"), ("失业", "务工就业不稳"), ("房", "住房安全"), ("住", "住房安全"), ("水", "饮水安全"), ("其他", "其他"),
    ];

    /// <summary>Risk types from "1 3", "1、3", "因病，因学", "看病 房子漏雨". Null when any part is not understood.</summary>
    public static List<string>? RiskTypes(string text, out string? unknown)
    {
        unknown = null;
        var result = new List<string>();
        foreach (var part in SeparatorRe().Split(text.Trim()).Where(p => p.Length > 0))
        {
            if (int.TryParse(part, out var n))
            {
                if (n >= 1 && n <= Domain.Cases.RiskTypes.All.Count) { result.Add(Domain.Cases.RiskTypes.All[n - 1]); continue; }
                unknown = part; return null;
            }
            var exact = Domain.Cases.RiskTypes.All.FirstOrDefault(t => t == part || t.TrimStart('因') == part);
            var found = exact ?? Synonyms.FirstOrDefault(s => part.Contains(s.Word, StringComparison.Ordinal)).Type;
            if (found is null) { unknown = part; return null; }
            result.Add(found);
        }
        return result.Count == 0 ? null : [.. result.Distinct()];
    }

    public static Severity? SeverityOf(string text) => text.Trim() switch
    {
        "一般" or "1" or "普通" => Severity.General,
        "严重" or "2" or "紧急" or "特急" => Severity.Serious,
        _ => null,
    };

    [GeneratedRegex(@"\s+")] private static partial Regex WhitespaceRe();
    [GeneratedRegex(@"[\s,，、;；/|]+")] private static partial Regex SeparatorRe();
}
