using System.Text.RegularExpressions;

namespace RapidResponse.Domain.Roster;

/// <summary>Mainland phone numbers: an 11-digit mobile (1[3-9]…) or a landline with its area code (0xx-xxxxxxxx).</summary>
public static partial class PhoneNumber
{
    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"^0\d{2,3}-?\d{7,8}$")]
    private static partial Regex Landline();

    /// <summary>Removes blanks and a +86 prefix; keeps the hyphen after a landline area code.</summary>
    public static string Normalize(string? input)
    {
        var p = string.Concat((input ?? "").Where(c => !char.IsWhiteSpace(c)));
        if (p.StartsWith("+86", StringComparison.Ordinal)) p = p[3..];
        return p.TrimStart('-');
    }

    /// <summary>Null when valid, otherwise the reason in plain Chinese (without repeating the number).</summary>
    public static string? Validate(string? input)
    {
        var p = Normalize(input);
        if (p.Length == 0) return "电话号码不能为空";
        if (Mobile().IsMatch(p) || Landline().IsMatch(p)) return null;
        return "电话号码格式不对：手机号应为1开头的11位数字，例如13800001234；座机请带区号，例如0371-12345678";
    }
}
