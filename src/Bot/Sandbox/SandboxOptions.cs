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

/// <summary>Checks every Sandbox setting and reports all problems together.</summary>
public sealed class SandboxOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SandboxOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SandboxOptions o)
    {
        var p = new List<string>();
        if (string.IsNullOrWhiteSpace(o.KfAccount)) p.Add("Sandbox:KfAccount must not be empty (e.g. \"wk_sandbox\").");
        if (o.SendWait < TimeSpan.FromMilliseconds(100) || o.SendWait > TimeSpan.FromMinutes(1))
            p.Add($"Sandbox:SendWait must be between 00:00:00.100 and 00:01:00 (it is {o.SendWait}).");
        if (o.DeliveryPoll < TimeSpan.FromMilliseconds(10) || o.DeliveryPoll > TimeSpan.FromSeconds(5))
            p.Add($"Sandbox:DeliveryPoll must be between 00:00:00.010 and 00:00:05 (it is {o.DeliveryPoll}).");
        return p.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(p);
    }
}
