using Microsoft.Extensions.Options;
using RapidResponse.Bot.WeCom.Crypto;

namespace RapidResponse.Bot.WeCom;

/// <summary>Reports every configuration problem at once so an operator fixes them in one round, never echoing secrets.</summary>
public sealed class WeComOptionsValidator : IValidateOptions<WeComOptions>
{
    public ValidateOptionsResult Validate(string? name, WeComOptions o)
    {
        var problems = new List<string>();
        void Require(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }

        Require(!string.IsNullOrWhiteSpace(o.CorpId), "WeCom:CorpId is required (企业ID, starts with ww or wx).");
        Require(o.AgentId > 0, "WeCom:AgentId must be the app's positive AgentId (应用 AgentId).");
        Require(!string.IsNullOrWhiteSpace(o.Secret), "WeCom:Secret is required (应用 Secret).");
        Require(!string.IsNullOrWhiteSpace(o.Token), "WeCom:Token is required (接收消息 Token).");
        Require(WeComCrypto.DecodeAesKey(o.EncodingAESKey) is not null,
            "WeCom:EncodingAESKey must be exactly 43 letters/digits as shown in the console (接收消息 EncodingAESKey).");
        Require(Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http",
            "WeCom:ApiBaseUrl must be an absolute http(s) URL, e.g. https://qyapi.weixin.qq.com.");
        Require(o.TokenRefreshMargin >= TimeSpan.Zero && o.TokenRefreshMargin < TimeSpan.FromMinutes(60),
            "WeCom:TokenRefreshMargin must be between 0 and 60 minutes (tokens live 7200 s).");
        Require(o.HttpTimeout > TimeSpan.Zero, "WeCom:HttpTimeout must be positive.");
        Require(o.MaxCallbackBodyBytes >= 4096, "WeCom:MaxCallbackBodyBytes must be at least 4096.");

        foreach (var (scope, windows) in o.RateLimits)
        {
            Require(Enum.TryParse<Api.RateScope>(scope, ignoreCase: true, out _) && Api.RateLimits.ParseWindows(windows) is not null,
                $"WeCom:RateLimits:{scope} must name a scope (AppRecipient, Webhook, AppChatMember, Api) with windows like \"30/00:01:00,1000/01:00:00\".");
        }

        var limit = o.CallbackLimit;
        Require(limit.Burst >= 1 && limit.PerPeriod >= 1 && limit.Period > TimeSpan.Zero && limit.QueueLimit >= 0,
            "WeCom:CallbackLimit needs Burst and PerPeriod of at least 1, a positive Period and a QueueLimit of 0 or more (defaults 2000, 500, 00:00:01, 200).");

        if (o.Kf.CallbackEnabled)
        {
            Require(!string.IsNullOrWhiteSpace(o.Kf.Token), "WeCom:Kf:Token is required when WeCom:Kf:EncodingAESKey is set (微信客服 回调 Token).");
            Require(WeComCrypto.DecodeAesKey(o.Kf.EncodingAESKey) is not null,
                "WeCom:Kf:EncodingAESKey must be exactly 43 letters/digits when WeCom:Kf:Token is set (微信客服 回调 EncodingAESKey).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
