namespace RapidResponse.Bot.Sandbox;

/// <summary>The <c>Sandbox</c> configuration section.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>Virtual start time of the clock (ISO 8601, e.g. 2026-10-12T09:00:00+08:00); the real time when unset.</summary>
    public DateTimeOffset? StartAt { get; set; }

    /// <summary>
    /// Answer callers on other machines too. Off: the page and /sandbox/* answer 403 to anyone but this machine (loopback),
    /// since whoever reaches the sandbox can act as every person of the demo county and move its clock.
    /// </summary>
    public bool AllowRemote { get; set; }

    /// <summary>Folder with the demo county's roster files; the repo's <c>samples/</c> when unset.</summary>
    public string? SamplesDirectory { get; set; }

    /// <summary>The 微信客服 account (open_kfid) farmers write to in the sandbox.</summary>
    public string KfAccount { get; set; } = "wk_sandbox";

    /// <summary>How long /sandbox/send and /sandbox/click wait for the bot to answer.</summary>
    public TimeSpan SendWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the built-in delivery looks for new outbox rows (real time).</summary>
    public TimeSpan DeliveryPoll { get; set; } = TimeSpan.FromMilliseconds(200);
}
