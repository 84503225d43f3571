using RapidResponse.Bot.Hosting;

namespace RapidResponse.Bot.Sandbox;

/// <summary>
/// When the bot runs as a sandbox: only on purpose. It opens by itself in the Development environment (the profile
/// <c>dotnet run</c> uses, Properties/launchSettings.json) when no WeCom corp is configured, or with <c>Sandbox:Enabled=true</c>.
/// A missing WeCom setting anywhere else never opens it: outside Development the bot refuses to start without WeCom.
/// </summary>
public static class SandboxMode
{
    /// <summary>The settings the self-built app cannot run without, named in the start-up refusal.</summary>
    public static readonly IReadOnlyList<string> RequiredWeComKeys = ["WeCom:CorpId", "WeCom:AgentId", "WeCom:Secret", "WeCom:Token", "WeCom:EncodingAESKey"];

    /// <summary>The test suite's hosts run in this environment with WeCom or the sandbox switched on as each test needs.</summary>
    public const string TestingEnvironment = "Testing";

    public static bool IsOn(IConfiguration c, IHostEnvironment env) =>
        Explicit(c) ?? (env.IsDevelopment() && !ChannelExtensions.WeComConfigured(c));

    /// <summary>
    /// Throws when the configuration must not start: the sandbox switched on next to real WeCom credentials, or no WeCom
    /// corp outside Development (Production by default) without the sandbox asked for — a mistyped variable there must
    /// stop the bot, not open an unauthenticated sandbox on the real database.
    /// </summary>
    public static void EnsureStartable(IConfiguration c, IHostEnvironment env)
    {
        if (Explicit(c) == true && ChannelExtensions.WeComConfigured(c))
            throw new InvalidOperationException(
                "Sandbox:Enabled=true but WeCom:CorpId is configured too. The sandbox never talks to a real corp, and a bot with real "
                + "credentials must not keep its messages in a local mailbox. Remove Sandbox:Enabled (or set it to false) to run against "
                + "WeCom, or remove the WeCom:* settings to run the sandbox. / 沙盒模式与真实企业微信配置不能同时开启。");
        if (IsOn(c, env) || ChannelExtensions.WeComConfigured(c) || env.IsDevelopment() || env.IsEnvironment(TestingEnvironment)) return;
        var missing = RequiredWeComKeys.Where(k => string.IsNullOrWhiteSpace(c[k])).ToList();
        throw new InvalidOperationException(
            $"The bot cannot start in the {env.EnvironmentName} environment: WeCom settings missing: {string.Join(", ", missing)}. "
            + "Set them (environment variables with __, e.g. WeCom__CorpId), see appsettings.sample.json. The sandbox never opens by "
            + "itself outside Development: to play the demo county run `dotnet run --project src/Bot` (Development), or set "
            + "Sandbox:Enabled=true on a database holding only the demo county. "
            + $"/ {env.EnvironmentName} 环境缺少企业微信配置：{string.Join("、", missing)}，机器人不启动。");
    }

    private static bool? Explicit(IConfiguration c)
    {
        var v = c["Sandbox:Enabled"];
        if (string.IsNullOrWhiteSpace(v)) return null;
        return bool.TryParse(v, out var b)
            ? b
            : throw new InvalidOperationException($"Sandbox:Enabled must be true or false, not '{v}'.");
    }
}
