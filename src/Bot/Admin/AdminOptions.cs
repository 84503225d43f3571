using Microsoft.Extensions.Options;

namespace RapidResponse.Bot.Admin;

/// <summary>Section "Admin": the admin API's named bearer tokens (the API is not mapped while none is set).</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Name → token, e.g. <c>Admin:Tokens:county-office</c>; the name is recorded as the actor of what a request enters.</summary>
    public Dictionary<string, string> Tokens { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Every token at least <see cref="AdminAuth.MinTokenLength"/> characters, no spaces, no placeholder, one token per name;
/// the retired single <c>Admin:ApiToken</c> is refused with what to set instead.
/// </summary>
public sealed class AdminOptionsValidator(IConfiguration config) : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions o)
    {
        var tokens = o.Tokens.Where(t => !string.IsNullOrWhiteSpace(t.Value)).ToDictionary(t => t.Key, t => t.Value.Trim(), StringComparer.OrdinalIgnoreCase);
        var p = AdminAuth.Problems(tokens, config["Admin:ApiToken"]);
        return p.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(p);
    }
}
