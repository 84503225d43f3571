using Microsoft.Extensions.Options;

namespace RapidResponse.Bot.Admin;

/// <summary>Section "Admin": the admin API's bearer token (the API is not mapped while it is unset).</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    public string? ApiToken { get; set; }
}

/// <summary>A set token must be long enough not to be guessed and free of spaces (it travels in a header).</summary>
public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public const int MinTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, AdminOptions o)
    {
        var p = new List<string>();
        if (!string.IsNullOrWhiteSpace(o.ApiToken))
        {
            if (o.ApiToken.Length < MinTokenLength) p.Add($"Admin:ApiToken must be at least {MinTokenLength} characters (it has {o.ApiToken.Length}); e.g. the output of `openssl rand -hex 24`.");
            if (o.ApiToken.Any(char.IsWhiteSpace)) p.Add("Admin:ApiToken must not contain spaces or line breaks.");
        }
        return p.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(p);
    }
}
