using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace RapidResponse.Bot.WeCom.Simulator;

/// <summary>
/// Web sign-in (wecom-protocol notes, 网页授权登录 and 企业微信扫码登录): the browser is sent to WeCom's authorize or QR login
/// page, comes back with a <c>code</c>, and the app exchanges it with <c>GET /cgi-bin/auth/getuserinfo</c>. A code is
/// single use and lives 5 minutes (40029 otherwise).
/// </summary>
public sealed partial class WeComSimulator
{
    public static readonly TimeSpan OAuthCodeLifetime = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, (string UserId, DateTimeOffset Expires)> _oauthCodes = new(StringComparer.Ordinal);

    private void MapOAuth() => Route("GET /cgi-bin/auth/getuserinfo", GetUserInfo);

    /// <summary>A code as WeCom puts it on the redirect after the member signed in (tests and the sandbox's stand-in).</summary>
    public string IssueOAuthCode(string userId)
    {
        var code = "simcode_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        lock (_gate) _oauthCodes[code] = (userId, Now + OAuthCodeLifetime);
        return code;
    }

    /// <summary>
    /// What WeCom's authorize (<c>/connect/oauth2/authorize</c>) or QR login (<c>/wwlogin/sso/login</c>) page does once
    /// <paramref name="userId"/> has signed in: the redirect back to the app with a fresh code and the app's state.
    /// Refuses (InvalidOperationException) a request WeCom would refuse: another corp's appid, no redirect_uri, a scope
    /// other than snsapi_base/snsapi_privateinfo, a QR login without login_type.
    /// </summary>
    public string AuthorizeRedirect(string path, IReadOnlyDictionary<string, string> query, string userId)
    {
        if (query.GetValueOrDefault("appid") != Settings.CorpId) throw new InvalidOperationException("appid 不是本企业的 CorpID");
        var redirect = query.GetValueOrDefault("redirect_uri");
        if (string.IsNullOrEmpty(redirect) || !Uri.TryCreate(redirect, UriKind.Absolute, out _)) throw new InvalidOperationException("redirect_uri 缺失或不是绝对地址");
        if (path.EndsWith("/connect/oauth2/authorize", StringComparison.Ordinal))
        {
            if (query.GetValueOrDefault("scope") is not ("snsapi_base" or "snsapi_privateinfo")) throw new InvalidOperationException("scope 应为 snsapi_base");
            if (query.GetValueOrDefault("response_type") != "code") throw new InvalidOperationException("response_type 应为 code");
        }
        else if (path.EndsWith("/wwlogin/sso/login", StringComparison.Ordinal))
        {
            if (query.GetValueOrDefault("login_type") is not ("CorpApp" or "ServiceApp")) throw new InvalidOperationException("login_type 应为 CorpApp");
        }
        else
        {
            throw new InvalidOperationException("不是授权登录地址: " + path);
        }

        var code = IssueOAuthCode(userId);
        var state = query.GetValueOrDefault("state") ?? "";
        var sep = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{redirect}{sep}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state)}";
    }

    private JsonObject GetUserInfo(SimCall c)
    {
        RequireToken(c);
        var code = c.Query.GetValueOrDefault("code");
        if (string.IsNullOrEmpty(code)) throw Refuse(41008, "missing oauth code");
        if (!_oauthCodes.Remove(code, out var issued) || issued.Expires <= Now) throw Refuse(40029, "invalid code");
        // A member of the corp gets userid; anyone else (not in the address book) an openid only.
        if (StatusOf(issued.UserId) is null) return Ok(new JsonObject { ["openid"] = "sim_openid_" + issued.UserId });
        return Ok(new JsonObject { ["userid"] = issued.UserId, ["user_ticket"] = "simticket_" + Guid.NewGuid().ToString("N") });
    }
}
