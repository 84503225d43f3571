using System.Security.Cryptography;
using System.Text;

namespace RapidResponse.Bot.Admin;

/// <summary>
/// Named bearer tokens of the admin API (<c>Admin:Tokens:&lt;name&gt;</c>, e.g. <c>Admin:Tokens:county-office</c>): each at
/// least <see cref="MinTokenLength"/> characters; the name of the token a request came with is the actor of what it enters
/// (audit, score events). The API is not mapped at all when no token is set.
/// </summary>
public static class AdminAuth
{
    public const string Section = "Admin:Tokens";
    public const int MinTokenLength = 32;
    private const string ActorKey = "RapidResponse.Admin.Actor";

    /// <summary>
    /// True when named tokens are configured. Throws, naming every problem at once (never a token's value), when the Admin
    /// settings are unusable: a token shorter than 32 characters, a placeholder copied from appsettings.sample.json, or
    /// the retired single <c>Admin:ApiToken</c> — the bot does not start with a weak admin API or silently without one.
    /// </summary>
    public static bool IsEnabled(IConfiguration config)
    {
        var tokens = Tokens(config);
        var problems = Problems(tokens, config["Admin:ApiToken"]);
        if (problems.Count > 0)
            throw new InvalidOperationException("The admin API settings are not usable: " + string.Join(" ", problems) + " / 管理接口令牌配置有误，机器人不启动。");
        return tokens.Count > 0;
    }

    /// <summary>Every problem of the admin tokens, by name only (never a token's value).</summary>
    public static List<string> Problems(IReadOnlyDictionary<string, string> tokens, string? retiredApiToken)
    {
        var problems = new List<string>();
        if (!string.IsNullOrWhiteSpace(retiredApiToken))
            problems.Add("Admin:ApiToken is no longer read: give each caller a named token instead, e.g. Admin:Tokens:county-office "
                         + "(environment variable Admin__Tokens__county-office), and remove Admin:ApiToken.");
        foreach (var (name, token) in tokens)
        {
            if (LooksLikePlaceholder(token))
                problems.Add($"Admin:Tokens:{name} is still the placeholder of appsettings.sample.json: set a random token of at least {MinTokenLength} characters, e.g. from `openssl rand -base64 32`.");
            else if (token.Length < MinTokenLength)
                problems.Add($"Admin:Tokens:{name} is {token.Length} characters long; an admin token needs at least {MinTokenLength} (e.g. `openssl rand -base64 32`).");
            if (token.Any(char.IsWhiteSpace)) problems.Add($"Admin:Tokens:{name} must not contain spaces or line breaks (it travels in a header).");
        }
        foreach (var g in tokens.GroupBy(t => t.Value, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"Admin:Tokens: {string.Join(" and ", g.Select(t => t.Key))} share one token; each name needs its own, or the actor recorded for a request is ambiguous.");
        return problems;
    }

    /// <summary>Name → token of every non-empty <c>Admin:Tokens:&lt;name&gt;</c>.</summary>
    public static IReadOnlyDictionary<string, string> Tokens(IConfiguration config) =>
        config.GetSection(Section).GetChildren().Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .ToDictionary(c => c.Key, c => c.Value!.Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The name of the token the request was let in with (set by the admin group's filter).</summary>
    public static string ActorOf(HttpContext http) =>
        http.Items[ActorKey] as string ?? throw new InvalidOperationException("Not an admin API request: no token name was recorded.");

    /// <summary>The admin route group: every endpoint under it answers 401 without one of the named bearer tokens.</summary>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app, string prefix)
    {
        var group = app.MapGroup(prefix);
        group.AddEndpointFilter(async (ctx, next) =>
        {
            var tokens = Tokens(ctx.HttpContext.RequestServices.GetRequiredService<IConfiguration>());
            var header = ctx.HttpContext.Request.Headers.Authorization.ToString();
            var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
            // Every token is compared (in fixed time), so the answer's timing tells nothing about which names exist.
            string? name = null;
            foreach (var (n, token) in tokens)
                if (given.Length > 0 && FixedEquals(given, token)) name = n;
            if (name is null)
                return TypedResults.Problem("需要管理接口令牌：请求头 Authorization: Bearer <Admin:Tokens 中的某个令牌>", statusCode: StatusCodes.Status401Unauthorized);
            ctx.HttpContext.Items[ActorKey] = name;
            return await next(ctx);
        });
        return group;
    }

    private static bool LooksLikePlaceholder(string token) => token.StartsWith('<') && token.EndsWith('>');

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
