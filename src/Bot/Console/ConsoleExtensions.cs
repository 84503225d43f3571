using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.Hosting;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>Composition of the county console: <c>builder.AddConsole()</c> and <c>app.MapConsole()</c>.</summary>
public static class ConsoleExtensions
{
    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder b)
    {
        b.Services.AddValidatedOptions<ConsoleOptions, ConsoleOptionsValidator>(ConsoleOptions.Section);
        if (Sandbox.SandboxMode.IsOn(b.Configuration, b.Environment))
            b.Services.PostConfigure<ConsoleOptions>(o => { if (o.OAuthBaseUrl == new ConsoleOptions().OAuthBaseUrl) o.OAuthBaseUrl = "/sandbox/wecom"; if (o.QrLoginBaseUrl == new ConsoleOptions().QrLoginBaseUrl) o.QrLoginBaseUrl = "/sandbox/wecom"; });
        b.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "rrb_console_af";
            o.Cookie.Path = "/console";
            o.FormFieldName = "__af";
        });
        b.Services.AddAuthentication().AddCookie(ConsoleAuth.Scheme, o =>
        {
            o.Cookie.Name = "rrb_console";
            o.Cookie.Path = "/console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.LoginPath = "/console/login";
        });
        b.Services.AddOptions<CookieAuthenticationOptions>(ConsoleAuth.Scheme).Configure<IOptions<ConsoleOptions>, TimeProvider>((o, c, time) =>
        {
            o.ExpireTimeSpan = c.Value.SessionLifetime;
            o.TimeProvider = time;
        });
        return b;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        var g = app.MapGroup("/console").ExcludeFromDescription();
        g.MapSignIn();
        // Every POST is checked against the antiforgery token in RequireUser (with the console's own answer), hence DisableAntiforgery.
        var pages = g.MapGroup("").AddEndpointFilter(ConsoleAuth.RequireUser);
        pages.MapGet("/", OverviewPage.RenderAsync);
        pages.MapGet("/cases", CaseListPage.RenderAsync);
        pages.MapGet("/cases/{number}", CaseDetailPage.RenderAsync);
        pages.MapGet("/cases/{number}/evidence/{id:long}", CaseDetailPage.EvidenceFileAsync);
        pages.MapPost("/cases/{number}/reveal", CaseDetailPage.RevealAsync).DisableAntiforgery();
        pages.MapGet("/ledger.xlsx", LedgerExport.ExportAsync);
        pages.MapGet("/overdue", BoardPages.OverdueAsync);
        pages.MapGet("/bulletins", BoardPages.BulletinsAsync);
        pages.MapGet("/outbox", FailedMessagesPage.RenderAsync);
        pages.MapPost("/outbox/{id:long}/requeue", FailedMessagesPage.RequeueOutboxAsync).DisableAntiforgery();
        pages.MapPost("/inbox/{id:long}/requeue", FailedMessagesPage.RequeueInboxAsync).DisableAntiforgery();
        pages.MapGet("/holidays", HolidaysPage.Render);
        pages.MapPost("/holidays", HolidaysPage.UploadAsync).DisableAntiforgery();
        pages.MapGet("/rankings", RankingsPage.RenderAsync);
        pages.MapGet("/score-items", ScoreItemsPage.RenderAsync);
        pages.MapPost("/score-items", ScoreItemsPage.EnterAsync).DisableAntiforgery();
        pages.MapPost("/score-items/{id:long}/{action}", ScoreItemsPage.ActAsync).DisableAntiforgery();
        pages.MapGet("/import", RosterImportPage.Render);
        pages.MapPost("/import", RosterImportPage.ImportAsync).DisableAntiforgery();
        pages.MapGet("/duty", DutyPage.RenderAsync);
        pages.MapGet("/duty.xlsx", DutyPage.ExportAsync);
        pages.MapGet("/doctor", DoctorPage.RenderAsync);
        if (Sandbox.SandboxMode.IsOn(app.Configuration, app.Environment))
        {
            // The sandbox's stand-in for WeCom's sign-in pages: the persona in `as` has "signed in"; back with a simulator code.
            IResult StandIn(HttpContext ctx, RapidResponse.Bot.WeCom.Simulator.WeComSimulator sim)
            {
                var q = ctx.Request.Query.ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
                try
                {
                    return Results.Redirect(sim.AuthorizeRedirect(ctx.Request.Path, q, q.GetValueOrDefault("as") ?? ""));
                }
                catch (InvalidOperationException e)
                {
                    return Results.Text("企业微信登录（沙盒）拒绝了这次请求：" + e.Message, "text/plain; charset=utf-8", statusCode: 400);
                }
            }

            app.MapGet("/sandbox/wecom/connect/oauth2/authorize", StandIn).ExcludeFromDescription();
            app.MapGet("/sandbox/wecom/wwlogin/sso/login", StandIn).ExcludeFromDescription();
        }

        return app;
    }
}
