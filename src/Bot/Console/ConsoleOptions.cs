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
