using Microsoft.Extensions.Options;

namespace RapidResponse.Bot.Conversations;

/// <summary>Checks every Conversations setting and reports all problems together.</summary>
public sealed class ConversationOptionsValidator : IValidateOptions<ConversationOptions>
{
    public ValidateOptionsResult Validate(string? name, ConversationOptions o)
    {
        var p = new List<string>();
        if (o.FormIdleTimeout < TimeSpan.FromMinutes(1) || o.FormIdleTimeout > TimeSpan.FromDays(1))
            p.Add($"Conversations:FormIdleTimeout must be between 00:01:00 and 1.00:00:00 (it is {o.FormIdleTimeout}); e.g. \"00:30:00\".");
        if (o.PollInterval < TimeSpan.FromMilliseconds(10) || o.PollInterval > TimeSpan.FromSeconds(10))
            p.Add($"Conversations:PollInterval must be between 00:00:00.010 and 00:00:10 (it is {o.PollInterval}); e.g. \"00:00:00.200\".");
        if (o.DefaultDeferralDays is < 1 or > 30)
            p.Add($"Conversations:DefaultDeferralDays must be 1–30 working days (it is {o.DefaultDeferralDays}).");
        return p.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(p);
    }
}
