using RapidResponse.Bot.Hosting;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RapidResponse.Bot.Sandbox;

/// <summary>
/// The sandbox: the whole bot without a WeCom corp. The demo county is loaded, messages land in a local mailbox
/// instead of WeCom, a virtual clock can be moved forward, and a page at <c>/</c> plays any person of the roster.
/// </summary>
public static class SandboxExtensions
{
    /// <summary>Call after AddCases (it replaces the system clock with the sandbox clock).</summary>
    public static WebApplicationBuilder AddSandbox(this WebApplicationBuilder b)
    {
        SandboxMode.EnsureStartable(b.Configuration, b.Environment);
        if (!SandboxMode.IsOn(b.Configuration, b.Environment)) return b;
        var options = b.Configuration.Read<SandboxOptions>(SandboxOptions.Section); // the clock starts before the container exists
        var s = b.Services;
        s.AddValidatedOptions<SandboxOptions, SandboxOptionsValidator>(SandboxOptions.Section);
        var clock = new SandboxClock(options.StartAt);
        s.AddSingleton(clock);
        s.RemoveAll<TimeProvider>();
        s.AddSingleton<TimeProvider>(clock);
        // Messages leave through the real outbox dispatcher, transport and WeCom client; the client's HTTP handler is the
        // WeCom rule-keeper, which refuses what WeCom refuses; what it delivers (or refuses) lands in the mailbox.
        s.AddSingleton<SandboxTransport>();
        s.AddSingleton(sp => SandboxWeCom.CreateSimulator(sp));
        RapidResponse.Bot.WeCom.Extensions.AddWeCom(b);
        s.PostConfigure<RapidResponse.Bot.WeCom.WeComOptions>(SandboxWeCom.Configure);
        s.AddHttpClient(RapidResponse.Bot.WeCom.Api.WeComApiClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(sp =>
            new RapidResponse.Bot.WeCom.Simulator.SimulatorHttpHandler(sp.GetRequiredService<RapidResponse.Bot.WeCom.Simulator.WeComSimulator>(), sp.GetRequiredService<SandboxTransport>()));
        b.Configuration["Outbox:PollInterval"] ??= "00:00:00.100";
        RapidResponse.Bot.Outbox.OutboxExtensions.AddOutbox(b);
        s.AddScoped<SandboxMailbox>();
        s.AddScoped<SandboxRoster>();
        s.AddSingleton<SandboxChat>();
        s.AddSingleton<SandboxSeeder>();
        s.AddHostedService(sp => sp.GetRequiredService<SandboxSeeder>());
        return b;
    }

    public static WebApplication MapSandbox(this WebApplication app)
    {
        if (!SandboxMode.IsOn(app.Configuration, app.Environment)) return app;
        if (app.Services.GetRequiredService<TimeProvider>() is not SandboxClock)
            throw new InvalidOperationException("Sandbox: the app's TimeProvider is not the sandbox clock; call builder.AddSandbox() after builder.AddCases().");
        app.UseMiddleware<SandboxGuard>(); // loopback callers only (unless Sandbox:AllowRemote); ID and phone numbers masked
        app.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/sandbox/app.js", () => Asset("app.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/sandbox/app.css", () => Asset("app.css", "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapGroup("/sandbox").MapSandboxApi();
        app.Logger.LogInformation("Sandbox mode: no WeCom corp; open the sandbox page at / to play the demo county");
        if (app.Services.GetRequiredService<SandboxOptions>().AllowRemote)
            app.Logger.LogWarning("Sandbox:AllowRemote=true: anyone who can reach this address can act as any person of the demo county");
        return app;
    }

    private static IResult Asset(string name, string contentType)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"RapidResponse.Bot.Sandbox.Page.{name}")
                     ?? throw new InvalidOperationException($"Sandbox page asset {name} is not embedded.");
        return TypedResults.Stream(stream, contentType);
    }
}
