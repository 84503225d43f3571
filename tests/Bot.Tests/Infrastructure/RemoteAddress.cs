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
}
