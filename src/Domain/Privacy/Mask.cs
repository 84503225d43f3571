using System.Text.RegularExpressions;

namespace RapidResponse.Domain.Privacy;

/// <summary>Masking of ID and phone numbers wherever more than the owner may read (DESIGN §6).</summary>
public static class Mask
{
    /// <summary>410102199001011234 → 4101**********1234</summary>
    public static string IdNumber(string? id)
    {
        if (string.IsNullOrEmpty(id)) return "";
        if (id.Length <= 8) return new string('*', id.Length);
        return string.Concat(id.AsSpan(0, 4), new string('*', id.Length - 8), id.AsSpan(id.Length - 4));
    }

    /// <summary>13812345678 → 138****5678</summary>
    public static string Phone(string? phone)
    {
        if (string.IsNullOrEmpty(phone)) return "";
        if (phone.Length < 7) return new string('*', phone.Length);
        return string.Concat(phone.AsSpan(0, 3), new string('*', phone.Length - 7), phone.AsSpan(phone.Length - 4));
    }

    // ID numbers: 18 characters (GB 11643) or the first generation's 15 digits, also written in groups (6-8-4, 6-6-3) with
    // spaces or hyphens. Mobile numbers: 11 digits from 13…19, with +86 / 0086 / 86 in front or not, also grouped 3-4-4.
    // Landlines: an area code starting with 0 and a hyphen or space. A digit right before or after means a longer number.
    private static readonly Regex Id18 = new(@"(?<!\d)\d{6}[ -]?\d{8}[ -]?\d{3}[\dXx](?!\d)", RegexOptions.Compiled);
    private static readonly Regex Id15 = new(@"(?<!\d)\d{6}[ -]?\d{6}[ -]?\d{3}(?!\d)", RegexOptions.Compiled);
    private static readonly Regex Mobile = new(@"(?<![\d+])(?<prefix>(?:\+|00)?86[ -]?)?(?<number>1[3-9]\d[ -]?\d{4}[ -]?\d{4})(?!\d)", RegexOptions.Compiled);
    private static readonly Regex Landline = new(@"(?<!\d)(?<area>0\d{2,3})[ -](?<number>\d{7,8})(?!\d)", RegexOptions.Compiled);

    /// <summary>
    /// Masks every ID or phone number found in free text (notes, descriptions, log lines, exception messages) before it goes
    /// to a group, a log or an admin view: <c>4101**********1234</c>, <c>138****5678</c>, <c>+86 138****5678</c>, <c>0871-****5678</c>.
    /// </summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var t = Id18.Replace(text, m => IdNumber(Digits(m.Value)));
        t = Id15.Replace(t, m => IdNumber(Digits(m.Value)));
        t = Mobile.Replace(t, m => m.Groups["prefix"].Value + Phone(Digits(m.Groups["number"].Value)));
        return Landline.Replace(t, m => m.Groups["area"].Value + "-" + new string('*', m.Groups["number"].Length - 4) + m.Groups["number"].Value[^4..]);
    }

    /// <summary>An exception as it is logged (type, message, stack, inner exceptions), with ID and phone numbers masked.</summary>
    public static string Exception(System.Exception e) => Text(e.ToString());

    private static string Digits(string s) => string.Concat(s.Where(c => c is not (' ' or '-')));
}
