using RapidResponse.Bot.Hosting;

namespace RapidResponse.Bot.Sandbox;

/// <summary>
/// When the bot runs as a sandbox: no WeCom corp configured (and <c>Sandbox:Enabled</c> not false), or
/// <c>Sandbox:Enabled=true</c>. Messages then land in the sandbox mailbox instead of WeCom.
/// </summary>
public static class SandboxMode
{
    public static bool IsOn(IConfiguration c) => Explicit(c) ?? !ChannelExtensions.WeComConfigured(c);

    /// <summary>Throws when the sandbox is switched on explicitly next to real WeCom credentials: one of the two must go.</summary>
    public static void EnsureNoConflict(IConfiguration c)
    {
        if (Explicit(c) == true && ChannelExtensions.WeComConfigured(c))
            throw new InvalidOperationException(
                "Sandbox:Enabled=true but WeCom:CorpId is configured too. The sandbox never talks to a real corp, and a bot with real "
                + "credentials must not keep its messages in a local mailbox. Remove Sandbox:Enabled (or set it to false) to run against "
                + "WeCom, or remove the WeCom:* settings to run the sandbox. / 沙盒模式与真实企业微信配置不能同时开启。");
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
