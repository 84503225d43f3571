namespace RapidResponse.Bot.CountyConsole;

/// <summary>Settings of the county console (<c>Console:*</c>).</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>Host of WeCom's web OAuth page (<c>/connect/oauth2/authorize</c>); a test or the sandbox points it at a stand-in.</summary>
    public string OAuthBaseUrl { get; set; } = "https://open.weixin.qq.com";

    /// <summary>Host of WeCom's desktop QR login (<c>/wwlogin/sso/login</c>).</summary>
    public string QrLoginBaseUrl { get; set; } = "https://login.work.weixin.qq.com";

    /// <summary>The console's public address as WeCom's trusted domain sees it (e.g. https://bot.example.gov.cn); empty: the request's own host.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Cases per page of the case list.</summary>
    public int PageSize { get; set; } = 50;

    /// <summary>How long a sign-in lasts without use (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}

/// <summary>Every problem of the Console section at once: sign-in hosts must be http(s) addresses, the page size sensible.</summary>
public sealed class ConsoleOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<ConsoleOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, ConsoleOptions o)
    {
        var p = new List<string>();
        static bool Url(string? s, bool allowPath) =>
            (allowPath && s is ['/', not '/', ..]) || (Uri.TryCreate(s, UriKind.Absolute, out var u) && u.Scheme is "http" or "https");
        if (!Url(o.OAuthBaseUrl, true)) p.Add($"Console:OAuthBaseUrl must be an http(s) address, e.g. https://open.weixin.qq.com (it is '{o.OAuthBaseUrl}').");
        if (!Url(o.QrLoginBaseUrl, true)) p.Add($"Console:QrLoginBaseUrl must be an http(s) address, e.g. https://login.work.weixin.qq.com (it is '{o.QrLoginBaseUrl}').");
        if (!string.IsNullOrWhiteSpace(o.PublicBaseUrl) && !Url(o.PublicBaseUrl, false))
            p.Add($"Console:PublicBaseUrl must be empty or the console's public http(s) address, e.g. https://bot.example.gov.cn (it is '{o.PublicBaseUrl}').");
        if (o.PageSize is < 5 or > 500) p.Add($"Console:PageSize must be 5..500 (it is {o.PageSize}).");
        if (o.SessionLifetime < TimeSpan.FromMinutes(5) || o.SessionLifetime > TimeSpan.FromDays(7))
            p.Add($"Console:SessionLifetime must be between 00:05:00 and 7.00:00:00 (it is {o.SessionLifetime}).");
        return p.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(p);
    }
}
