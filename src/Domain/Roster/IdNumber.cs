namespace RapidResponse.Domain.Roster;

/// <summary>Resident ID number (公民身份号码) per GB 11643: 17 digits and a check character 0–9 or X.</summary>
public static class IdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckChars = "10X98765432";

    /// <summary>The check character (ISO 7064 MOD 11-2) for the first 17 digits.</summary>
    public static char CheckChar(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17) throw new ArgumentException("需要17位数字", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(first17[i])) throw new ArgumentException("需要17位数字", nameof(first17));
            sum += (first17[i] - '0') * Weights[i];
        }
        return CheckChars[sum % 11];
    }

    /// <summary>Trims and upper-cases the check character; does not validate.</summary>
    public static string Normalize(string? input) => (input ?? "").Trim().ToUpperInvariant();

    public static bool IsValid(string? input, DateOnly? today = null) => Validate(input, today) is null;

    /// <summary>
    /// Null when <paramref name="input"/> is a valid ID number (lower-case x accepted), otherwise the reason in plain Chinese.
    /// The reason never repeats the number itself, so it is safe for logs and group chats.
    /// </summary>
    public static string? Validate(string? input, DateOnly? today = null)
    {
        var id = Normalize(input);
        if (id.Length == 0) return "身份证号不能为空";
        if (id.Contains("E+", StringComparison.Ordinal))
            return "身份证号被表格软件存成了数字，后几位已经丢失：请把这一列设为“文本”格式后重新填写";
        if (id.Length != 18) return $"身份证号应为18位，这里是{id.Length}位";
        for (var i = 0; i < 17; i++)
            if (!char.IsAsciiDigit(id[i])) return "身份证号前17位应全是数字，最后一位是数字或X";
        if (!char.IsAsciiDigit(id[17]) && id[17] != 'X') return "身份证号最后一位应是数字或X";
        var birth = BirthDate(id);
        if (birth is null) return "身份证号中的出生日期（第7–14位）不是有效日期";
        if (birth.Value.Year < 1900 || (today is { } t && birth.Value > t)) return "身份证号中的出生日期不合理";
        if (CheckChar(id.AsSpan(0, 17)) != id[17]) return "身份证号校验位不对（最后一位），请核对后重新填写";
        return null;
    }

    /// <summary>The birth date in positions 7–14, or null when it is not a calendar date.</summary>
    public static DateOnly? BirthDate(string id) =>
        id.Length >= 14 && int.TryParse(id.AsSpan(6, 4), out var y) && int.TryParse(id.AsSpan(10, 2), out var m) && int.TryParse(id.AsSpan(12, 2), out var d)
        && y >= 1 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m)
            ? new DateOnly(y, m, d)
            : null;
}
