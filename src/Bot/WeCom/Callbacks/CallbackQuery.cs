namespace RapidResponse.Bot.WeCom.Callbacks;

/// <summary>
/// The callback query parameters, percent-decoded exactly once from the raw query string.
/// ASP.NET's <c>Request.Query</c> turns a literal '+' into a space (form semantics), which corrupts Base64 echostr/signatures
/// (pitfall §9.1), so we decode with <see cref="Uri.UnescapeDataString(string)"/>, which leaves '+' alone.
/// </summary>
public sealed record CallbackQuery(string? MsgSignature, string? Timestamp, string? Nonce, string? EchoStr)
{
    public static CallbackQuery Parse(string? rawQuery)
    {
        string? signature = null, timestamp = null, nonce = null, echo = null;
        foreach (var pair in (rawQuery ?? string.Empty).TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? string.Empty : Unescape(pair[(eq + 1)..]);
            // First occurrence wins so a duplicated parameter cannot override what was signed.
            switch (name)
            {
                case "msg_signature": signature ??= value; break;
                case "timestamp": timestamp ??= value; break;
                case "nonce": nonce ??= value; break;
                case "echostr": echo ??= value; break;
            }
        }

        return new CallbackQuery(signature, timestamp, nonce, echo);
    }

    private static string? Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
