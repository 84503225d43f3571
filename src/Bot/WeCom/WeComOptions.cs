using RapidResponse.Bot.WeCom.Callbacks;

namespace RapidResponse.Bot.WeCom;

/// <summary>Configuration section <c>WeCom</c> (DESIGN §5): the self-built app, its callback crypto, and 微信客服.</summary>
public sealed class WeComOptions
{
    public const string SectionName = "WeCom";

    /// <summary>CorpID (ww… or older wx…); also the receiveid inside every callback plaintext.</summary>
    public string CorpId { get; set; } = string.Empty;

    /// <summary>AgentId of the self-built app; sent as <c>agentid</c> with app messages.</summary>
    public long AgentId { get; set; }

    /// <summary>The app's Secret, used only for gettoken.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>Callback Token of the app (接收消息 → 设置API接收).</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>Callback EncodingAESKey of the app: 43 characters [A-Za-z0-9].</summary>
    public string EncodingAESKey { get; set; } = string.Empty;

    public string ApiBaseUrl { get; set; } = "https://qyapi.weixin.qq.com";

    /// <summary>Refresh a cached access_token this long before WeCom's expires_in runs out.</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Per-request HTTP timeout towards the WeCom API.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Callback bodies above this are refused with 413; real callbacks are a few KiB.</summary>
    public int MaxCallbackBodyBytes { get; set; } = 64 * 1024;

    public WeComKfOptions Kf { get; set; } = new();

    /// <summary>The rate limit per client address in front of the callback endpoints (before authentication).</summary>
    public WeComCallbackLimitOptions CallbackLimit { get; set; } = new();

    /// <summary>
    /// Overrides of the documented send limits per scope (AppRecipient, Webhook, AppChatMember, Api), e.g.
    /// <c>WeCom:RateLimits:Api = "2000/00:01:00,30000/01:00:00"</c> for a corp on the older base frequency. Empty: documented numbers.
    /// </summary>
    public Dictionary<string, string> RateLimits { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>微信客服 settings (微信客服 → API). The callback is optional: leave Token and EncodingAESKey empty to disable /wecom/kf.</summary>
public sealed class WeComKfOptions
{
    /// <summary>The 微信客服 secret; when empty the app secret is used (valid only if the app was granted kf permission).</summary>
    public string Secret { get; set; } = string.Empty;

    public string Token { get; set; } = string.Empty;

    public string EncodingAESKey { get; set; } = string.Empty;

    public bool CallbackEnabled => Token.Length > 0 || EncodingAESKey.Length > 0;
}
