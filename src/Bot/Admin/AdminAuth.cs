using System.Security.Cryptography;
using System.Text;

namespace RapidResponse.Bot.Admin;

/// <summary>Bearer-token gate of the admin API (`Admin:ApiToken`); the API is not mapped at all when the key is unset.</summary>
public static class AdminAuth
{
    public static bool IsEnabled(IConfiguration config) => !string.IsNullOrWhiteSpace(config["Admin:ApiToken"]);

    /// <summary>The admin route group: every endpoint under it answers 401 without the right bearer token.</summary>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app, string prefix)
    {
        var group = app.MapGroup(prefix);
        group.AddEndpointFilter(async (ctx, next) =>
        {
            var expected = ctx.HttpContext.RequestServices.GetRequiredService<IConfiguration>()["Admin:ApiToken"] ?? "";
            var header = ctx.HttpContext.Request.Headers.Authorization.ToString();
            var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
            if (expected.Length == 0 || !FixedEquals(given, expected))
                return TypedResults.Problem("需要管理接口令牌：请求头 Authorization: Bearer <Admin:ApiToken>", statusCode: StatusCodes.Status401Unauthorized);
            return await next(ctx);
        });
        return group;
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
