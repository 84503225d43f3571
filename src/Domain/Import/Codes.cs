using RapidResponse.Domain.Privacy;

namespace RapidResponse.Domain.Import;

/// <summary>Checks shared by the kinds: codes and userids.</summary>
internal static class Codes
{
    /// <summary>Region and department codes: letters, digits, '-' and '_' only, at most 32 characters.</summary>
    public static string? Check(string code, string what)
    {
        if (code.Length == 0) return $"{what}不能为空";
        if (code.Length > 32 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            return $"{what}“{code}”只能由字母、数字、-、_组成（最多32位），例如 530102001";
        return null;
    }

    /// <summary>Which phone the row gave, masked; a short number is not echoed at all since masking would leave it readable.</summary>
    public static string PhoneHint(string phone) =>
        phone.Length >= 11 ? $"（本行填的是 {Mask.Phone(phone)}）" : $"（本行填了{phone.Length}位）";

    /// <summary>WeCom userid rule: 1–64 characters of letters, digits, '_', '-', '.', '@'.</summary>
    public static string? CheckUserId(string id, string what)
    {
        if (id.Length == 0) return $"{what}不能为空";
        if (id.Length > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '@'))
            return $"{what}“{id}”只能由字母、数字、_、-、.、@组成（最多64位），例如 gm_lishu";
        return null;
    }
}
