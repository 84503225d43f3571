using System.Globalization;
using System.Text.Json;

namespace RapidResponse.Domain.Calendar;

/// <summary>
/// Checks one year's State Council holiday file before it is put beside the built-in ones (the format of Calendar/Data,
/// read by <see cref="HolidayYear.Parse"/>): every problem at once, in plain Chinese with an example.
/// </summary>
public static class HolidayFile
{
    public const string Example = "{\"year\":2027,\"source\":\"国务院办公厅关于2027年部分节假日安排的通知\",\"days\":[{\"date\":\"2027-01-01\",\"name\":\"元旦\",\"isOffDay\":true}]}";

    public static (HolidayYear? Year, IReadOnlyList<string> Problems) Check(byte[] json)
    {
        var p = new List<string>();
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { return (null, [$"文件不是有效的 JSON（第{(e.LineNumber ?? 0) + 1}行附近）。格式例如：{Example}"]); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, [$"文件应是一个对象，含 year、source、days。格式例如：{Example}"]);
            int year = 0;
            if (!Prop(root, "year", out var y) || y.ValueKind != JsonValueKind.Number || !y.TryGetInt32(out year) || year is < 2000 or > 2100)
                p.Add("缺少年份 year，或不是 2000–2100 之间的整数，例如：\"year\":2027");
            if (!Prop(root, "days", out var days) || days.ValueKind != JsonValueKind.Array || days.GetArrayLength() == 0)
            {
                p.Add("缺少 days 列表，或列表是空的：请逐日列出放假日（isOffDay:true）和调休上班日（isOffDay:false）");
                return (null, p);
            }
            var seen = new HashSet<DateOnly>();
            var i = 0;
            foreach (var d in days.EnumerateArray())
            {
                i++;
                var at = $"days 第{i}项";
                if (d.ValueKind != JsonValueKind.Object) { p.Add($"{at}应是 {{\"date\":\"2027-01-01\",\"name\":\"元旦\",\"isOffDay\":true}}"); continue; }
                if (!Prop(d, "date", out var ds) || ds.ValueKind != JsonValueKind.String
                    || !DateOnly.TryParseExact(ds.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    p.Add($"{at}：日期 date 应写成年-月-日，例如 \"2027-01-01\"");
                else if (year != 0 && date.Year != year) p.Add($"{at}：日期 {date:yyyy-MM-dd} 不在 {year} 年");
                else if (!seen.Add(date)) p.Add($"{at}：日期 {date:yyyy-MM-dd} 出现了两次");
                if (!Prop(d, "name", out var n) || n.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(n.GetString()))
                    p.Add($"{at}：缺少节日名称 name，例如 \"元旦\"");
                if (!Prop(d, "isOffDay", out var off) || off.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    p.Add($"{at}：isOffDay 应是 true（放假）或 false（调休上班）");
            }
        }
        if (p.Count > 0) return (null, p);
        using var s = new MemoryStream(json);
        return (HolidayYear.Parse(s), []);
    }

    private static bool Prop(JsonElement e, string name, out JsonElement value)
    {
        foreach (var x in e.EnumerateObject())
            if (string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase)) { value = x.Value; return true; }
        value = default;
        return false;
    }
}
