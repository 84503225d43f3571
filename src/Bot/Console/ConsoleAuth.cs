using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.WeCom;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>
/// Sign-in through WeCom: inside WeCom the web OAuth (<c>connect/oauth2/authorize</c>, snsapi_base), on a desktop the QR
/// login (<c>wwlogin/sso/login</c>); both come back with a code that <c>auth/getuserinfo</c> turns into a userid, which must
/// be active on the staff roster. The session is a cookie; the admin token never reaches the browser.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "Console";
    public const string StateCookie = "rrb_console_state";
    private const string UserIdClaim = "wecom_userid";

    /// <summary>Endpoint filter: a signed-in, active staff member, or a redirect to the sign-in page; POSTs need a valid antiforgery token.</summary>
    public static async ValueTask<object?> RequireUser(EndpointFilterInvocationContext ic, EndpointFilterDelegate next)
    {
        var ctx = ic.HttpContext;
        var auth = await ctx.AuthenticateAsync(Scheme);
        var userId = auth.Succeeded ? auth.Principal!.FindFirstValue(UserIdClaim) : null;
        ConsoleUser? user = null;
        if (userId is not null)
        {
            var db = ctx.RequestServices.GetRequiredService<BotDb>();
            var staff = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == userId && s.Active, ctx.RequestAborted);
            if (staff is not null) user = ConsoleUser.From(staff);
        }

        if (user is null)
        {
            if (HttpMethods.IsGet(ctx.Request.Method))
                return Results.Redirect("/console/login?returnUrl=" + Uri.EscapeDataString(ctx.Request.Path + ctx.Request.QueryString));
            return Results.Text("请先登录：打开 /console/login", "text/plain; charset=utf-8", statusCode: 401);
        }

        ctx.User = auth.Principal!;
        ctx.Items[typeof(ConsoleUser)] = user;
        if (HttpMethods.IsPost(ctx.Request.Method))
        {
            try
            {
                await ctx.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(ctx);
            }
            catch (AntiforgeryValidationException)
            {
                return Html.Page(ctx, user, "页面已过期", "<p class=\"err\">表单已过期或不是从本页面提交的。请返回上一页刷新后再试。</p>", 400);
            }
        }

        return await next(ic);
    }

    public static ConsoleUser User(this HttpContext ctx) => (ConsoleUser)ctx.Items[typeof(ConsoleUser)]!;

    public static RouteGroupBuilder MapSignIn(this RouteGroupBuilder g)
    {
        g.MapGet("/login", LoginPage);
        g.MapGet("/login/wecom", (HttpContext ctx, IOptions<ConsoleOptions> o, IOptions<WeComOptions> w, string? returnUrl, string? @as) =>
            Start(ctx, o.Value, w.Value, oauth: true, returnUrl, @as));
        g.MapGet("/login/qr", (HttpContext ctx, IOptions<ConsoleOptions> o, IOptions<WeComOptions> w, string? returnUrl, string? @as) =>
            Start(ctx, o.Value, w.Value, oauth: false, returnUrl, @as));
        g.MapGet("/auth/callback", CallbackAsync);
        g.MapPost("/logout", async (HttpContext ctx) =>
        {
            await ctx.SignOutAsync(Scheme);
            return Results.Redirect("/console/login");
        }).AddEndpointFilter(RequireUser);
        return g;
    }

    private static async Task<IResult> LoginPage(HttpContext ctx, BotDb db, IConfiguration config, string? returnUrl)
    {
        var ret = SafeReturn(returnUrl);
        // Inside WeCom's own browser the sign-in needs no click (the user agent says wxwork).
        if ((ctx.Request.Headers.UserAgent.ToString().Contains("wxwork", StringComparison.OrdinalIgnoreCase)))
            return Results.Redirect("/console/login/wecom?returnUrl=" + Html.Q(ret));
        var body = new System.Text.StringBuilder();
        body.Append("<div class=\"panel\"><p>请用企业微信登录。在企业微信里打开本页会自动登录；在电脑上请扫码。</p><p>")
            .Append("<a data-testid=\"login-wecom\" href=\"/console/login/wecom?returnUrl=").Append(Html.Q(ret)).Append("\">在企业微信中登录</a> · ")
            .Append("<a data-testid=\"login-qr\" href=\"/console/login/qr?returnUrl=").Append(Html.Q(ret)).Append("\">企业微信扫码登录</a></p></div>");
        if (Sandbox.SandboxMode.IsOn(config, ctx.RequestServices.GetRequiredService<IHostEnvironment>()))
        {
            // The sandbox plays any persona: the stand-in WeCom signs them in and redirects back with a real simulator code.
            var staff = await db.Staff.AsNoTracking().Where(s => s.Active && s.Role >= StaffRole.GridMonitor).OrderByDescending(s => s.Role).ThenBy(s => s.UserId).ToListAsync();
            body.Append("<h2>沙盒：以某人身份登录</h2><div class=\"panel\"><ul data-testid=\"personas\">");
            foreach (var s in staff)
                body.Append("<li><a href=\"/console/login/wecom?as=").Append(Html.Q(s.UserId)).Append("&returnUrl=").Append(Html.Q(ret)).Append("\">")
                    .Append(Html.E(s.Name)).Append("</a> <span class=\"muted\">").Append(Html.E(ConsoleUser.From(s).RoleName)).Append(' ').Append(Html.E(s.UserId)).Append("</span></li>");
            body.Append("</ul></div>");
        }

        return Html.Page(ctx, null, "登录", body.ToString());
    }

    private static IResult Start(HttpContext ctx, ConsoleOptions o, WeComOptions w, bool oauth, string? returnUrl, string? persona)
    {
        if (string.IsNullOrWhiteSpace(w.CorpId))
            return Results.Text("企业微信未配置（WeCom:CorpId），控制台无法登录。", "text/plain; charset=utf-8", statusCode: 503);
        var state = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        ctx.Response.Cookies.Append(StateCookie, state + "|" + SafeReturn(returnUrl),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/console", Secure = ctx.Request.IsHttps });
        var callback = (string.IsNullOrWhiteSpace(o.PublicBaseUrl) ? $"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.PathBase}" : o.PublicBaseUrl.TrimEnd('/'))
                       + "/console/auth/callback";
        var agent = w.AgentId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var url = oauth
            ? $"{o.OAuthBaseUrl.TrimEnd('/')}/connect/oauth2/authorize?appid={Html.Q(w.CorpId)}&redirect_uri={Html.Q(callback)}&response_type=code&scope=snsapi_base&state={state}&agentid={agent}"
            : $"{o.QrLoginBaseUrl.TrimEnd('/')}/wwlogin/sso/login?login_type=CorpApp&appid={Html.Q(w.CorpId)}&agentid={agent}&redirect_uri={Html.Q(callback)}&state={state}";
        // Only the sandbox's stand-in WeCom reads `as` (which persona is "holding the phone"); WeCom ignores unknown parameters.
        if (!string.IsNullOrEmpty(persona)) url += "&as=" + Html.Q(persona);
        return Results.Redirect(oauth ? url + "#wechat_redirect" : url);
    }

    private static async Task<IResult> CallbackAsync(HttpContext ctx, BotDb db, TimeProvider time, ILoggerFactory logs, string? code, string? state)
    {
        var cookie = ctx.Request.Cookies[StateCookie];
        ctx.Response.Cookies.Delete(StateCookie, new CookieOptions { Path = "/console" });
        var parts = cookie?.Split('|', 2);
        if (string.IsNullOrEmpty(code) || parts is null || parts[0] != state)
            return Fail("登录链接已失效或不是从本站发起的，请重新登录。");
        var wecom = ctx.RequestServices.GetService<WeComApiClient>();
        if (wecom is null) return Fail("企业微信未配置（WeCom:CorpId），控制台无法登录。");
        string? userId;
        try
        {
            userId = (await wecom.SendAsync(new GetUserInfoRequest(code), ctx.RequestAborted)).UserId;
        }
        catch (WeComApiException e)
        {
            logs.CreateLogger("Console").LogWarning("Console sign-in: getuserinfo refused: {Code} {Message}", e.ErrCode, e.Message);
            return Fail(e.ErrCode == 40029 ? "登录码已使用或已过期（5分钟内有效），请重新登录。" : $"企业微信登录失败（错误码 {e.ErrCode}），请稍后重试。");
        }

        if (userId is null) return Fail("只有本单位企业微信成员可以登录控制台。");
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.UserId == userId && s.Active, ctx.RequestAborted);
        if (staff is null) return Fail($"企业微信账号 {userId} 不在工作人员花名册中（或已停用），请联系县级办公室导入花名册。");
        var identity = new ClaimsIdentity([new Claim(UserIdClaim, staff.UserId), new Claim(ClaimTypes.Name, staff.Name)], Scheme);
        await ctx.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = staff.UserId, ActorRole = staff.Role.ToString(), Action = "console.signin", Detail = "登录控制台" });
        await db.SaveChangesAsync(ctx.RequestAborted);
        return Results.Redirect(SafeReturn(parts[1]));

        IResult Fail(string why) => Html.Page(ctx, null, "无法登录",
            $"<p class=\"err\" data-testid=\"login-error\">{Html.E(why)}</p><p><a href=\"/console/login\">重新登录</a></p>", 403);
    }

    /// <summary>Only a path inside the console: never an open redirect.</summary>
    private static string SafeReturn(string? r) =>
        r is not null && r.StartsWith("/console", StringComparison.Ordinal) && !r.StartsWith("//", StringComparison.Ordinal) && !r.Contains('\\') ? r : "/console";
}
