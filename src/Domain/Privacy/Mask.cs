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

    private static readonly System.Text.RegularExpressions.Regex IdPattern = new(@"(?<!\d)\d{17}[\dXx](?!\d)", System.Text.RegularExpressions.RegexOptions.Compiled);
    private static readonly System.Text.RegularExpressions.Regex PhonePattern = new(@"(?<!\d)1[3-9]\d{9}(?!\d)", System.Text.RegularExpressions.RegexOptions.Compiled);

    /// <summary>Masks every ID or mobile number found in free text (notes, descriptions) before it goes to a group or a log.</summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var t = IdPattern.Replace(text, m => IdNumber(m.Value));
        return PhonePattern.Replace(t, m => Phone(m.Value));
    }
}
