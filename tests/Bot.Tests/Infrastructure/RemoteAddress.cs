using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace RapidResponse.Bot.Tests.Infrastructure;

/// <summary>
/// Makes every request arrive from <paramref name="address"/> (first in the pipeline): the test server has no network
/// connection and Kestrel here listens on 127.0.0.1 only, so a caller on another machine is played this way.
/// </summary>
public sealed class RemoteAddress(IPAddress address) : IStartupFilter
{
    public static readonly IPAddress Loopback = IPAddress.Loopback;

    /// <summary>TEST-NET-3 (RFC 5737): an address of another machine.</summary>
    public static readonly IPAddress Elsewhere = IPAddress.Parse("203.0.113.7");

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, inner) => { http.Connection.RemoteIpAddress = address; return inner(http); });
        next(app);
    };

    public static void Use(IServiceCollection services, IPAddress address) => services.AddSingleton<IStartupFilter>(new RemoteAddress(address));

    /// <summary>Test header naming the caller's address per request (<see cref="UseHeader"/>).</summary>
    public const string Header = "X-Test-Remote-Address";

    /// <summary>Each request arrives from the address in its <see cref="Header"/> header (or as it came without one).</summary>
    public static void UseHeader(IServiceCollection services) => services.AddSingleton<IStartupFilter>(new FromHeader());

    private sealed class FromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, inner) =>
            {
                if (IPAddress.TryParse(http.Request.Headers[Header].ToString(), out var a)) http.Connection.RemoteIpAddress = a;
                return inner(http);
            });
            next(app);
        };
    }
}
