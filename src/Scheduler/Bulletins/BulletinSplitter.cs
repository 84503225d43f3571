using System.Text;

namespace RapidResponse.Scheduler.Bulletins;

/// <summary>
/// Splits a markdown bulletin into parts that each fit a WeCom byte limit (UTF-8). Cuts fall between sections
/// (a line starting with '#'), else between lines; only a single line longer than a whole part is cut inside,
/// at a character boundary. Parts are numbered "（1/3）" on their first line when there is more than one.
/// Nothing is dropped: the parts without their numbering lines join back to the original text.
/// </summary>
public static class BulletinSplitter
{
    public static int Bytes(string s) => Encoding.UTF8.GetByteCount(s);

    public static IReadOnlyList<string> Split(string text, int limitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limitBytes, 64);
        text = text.Replace("\r\n", "\n").Trim('\n');
        if (Bytes(text) <= limitBytes) return [text];
        // Room for the numbering line "（12/34）\n".
        var budget = limitBytes - Bytes("（999/999）\n");
        var parts = new List<string>();
        var current = new StringBuilder();
        foreach (var section in Sections(text))
        {
            if (Fits(current, section, budget)) { Append(current, section); continue; }
            if (current.Length > 0) { parts.Add(current.ToString()); current.Clear(); }
            if (Bytes(section) <= budget) { Append(current, section); continue; }
            foreach (var line in section.Split('\n'))
            {
                foreach (var piece in Pieces(line, budget))
                {
                    if (!Fits(current, piece, budget)) { parts.Add(current.ToString()); current.Clear(); }
                    Append(current, piece);
                }
            }
        }
        if (current.Length > 0) parts.Add(current.ToString());
        return parts.Count == 1 ? parts : [.. parts.Select((p, i) => $"（{i + 1}/{parts.Count}）\n{p}")];
    }

    /// <summary>Removes the numbering line a part was given, for reassembly.</summary>
    public static string StripNumber(string part) =>
        part.StartsWith('（') && part.IndexOf('\n') is var nl and > 0 && part[..nl].EndsWith('）') && part[..nl].Contains('/') ? part[(nl + 1)..] : part;

    private static bool Fits(StringBuilder current, string next, int budget) =>
        Bytes(current.ToString()) + (current.Length > 0 ? 1 : 0) + Bytes(next) <= budget;

    private static void Append(StringBuilder current, string next)
    {
        if (current.Length > 0) current.Append('\n');
        current.Append(next);
    }

    /// <summary>Blocks of lines, each starting at a heading line.</summary>
    private static IEnumerable<string> Sections(string text)
    {
        var block = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') && block.Count > 0) { yield return string.Join('\n', block); block.Clear(); }
            block.Add(line);
        }
        if (block.Count > 0) yield return string.Join('\n', block);
    }

    /// <summary>A line cut into pieces of at most <paramref name="budget"/> bytes, never inside a character (or surrogate pair).</summary>
    private static IEnumerable<string> Pieces(string line, int budget)
    {
        if (Bytes(line) <= budget) { yield return line; yield break; }
        var sb = new StringBuilder();
        var bytes = 0;
        var e = System.Globalization.StringInfo.GetTextElementEnumerator(line);
        while (e.MoveNext())
        {
            var el = (string)e.Current;
            var n = Bytes(el);
            if (bytes + n > budget) { yield return sb.ToString(); sb.Clear(); bytes = 0; }
            sb.Append(el);
            bytes += n;
        }
        if (sb.Length > 0) yield return sb.ToString();
    }
}
