using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.WeCom.Api;

namespace RapidResponse.Bot.Tests.WeCom;

/// <summary>
/// The WeCom client as the real app composes it (Program, through <see cref="BotFactory"/>), talking to the rule-keeping
/// fake WeCom over real HTTP; the simulated corp knows the members zhangsan, lisi, u1 and user0…user49.
/// </summary>
internal static class ApiClientApp
{
    public const string AppSecret = "app-secret";
    public const string GetTokenPath = "/cgi-bin/gettoken";
    public const string SendPath = "/cgi-bin/message/send";

    public static BotFactory Start(Action<BotFactory>? configure = null)
    {
        var f = new BotFactory().WithWeCom().CaptureLogs();
        foreach (var m in new[] { "zhangsan", "lisi", "u1", "wangqing" }.Concat(Enumerable.Range(0, 50).Select(i => $"user{i}"))) f.WeCom!.Simulator.SetMember(m);
        configure?.Invoke(f);
        f.StartServer();
        return f;
    }

    public static WeComApiClient Client(this BotFactory f) => f.Services.GetRequiredService<WeComApiClient>();

    public static int Calls(this BotFactory f, string path) => f.WeComApi!.LogEntries.Count(e => e.RequestMessage.Path == path);

    /// <summary>gettoken calls made with the secret whose value is <paramref name="secret"/>.</summary>
    public static int TokenFetches(this BotFactory f, string secret = AppSecret) =>
        f.WeComApi!.LogEntries.Count(e => e.RequestMessage.Path == GetTokenPath && e.RequestMessage.RawQuery!.Contains("corpsecret=" + secret, StringComparison.Ordinal));

    /// <summary>The access tokens WeCom issued, oldest first (for the secret whose value is <paramref name="secret"/>).</summary>
    public static List<string> IssuedTokens(this BotFactory f, string secret = AppSecret) =>
        [.. f.WeComApi!.LogEntries.Where(e => e.RequestMessage.Path == GetTokenPath && e.RequestMessage.RawQuery!.Contains("corpsecret=" + secret, StringComparison.Ordinal))
            .OrderBy(e => e.RequestMessage.DateTime)
            .Select(e => JsonDocument.Parse(e.ResponseMessage.BodyData!.BodyAsString!).RootElement)
            .Where(r => r.TryGetProperty("access_token", out _)).Select(r => r.GetProperty("access_token").GetString()!)];
}
