using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Sandbox;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Sandbox;

/// <summary>
/// The real app (Program) in sandbox mode on a real Kestrel port (127.0.0.1, any free port, so callers really are on this
/// machine) with its own SQLite file, and the JSON calls the sandbox page makes.
/// </summary>
public static class SandboxApp
{
    /// <summary>Monday 2026-10-12 09:00 Beijing time: a working morning.</summary>
    public static readonly DateTimeOffset Monday = new(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Starts the sandbox; <paramref name="configure"/> may add settings, log capture or test services before it starts.</summary>
    public static Task<BotFactory> StartAsync(DateTimeOffset? startAt = null, IDictionary<string, string?>? settings = null, Action<BotFactory>? configure = null)
    {
        var f = new BotFactory().WithSandbox(startAt);
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) f.Settings[k] = v;
        configure?.Invoke(f);
        return Task.FromResult(f.StartOnKestrel());
    }

    /// <summary>The sandbox's movable clock (the app's clock in sandbox mode).</summary>
    public static SandboxClock Clock(this BotFactory f) => f.Services.GetRequiredService<SandboxClock>();

    public static async Task<JsonElement> PostAsync(this BotFactory f, string path, object body, int expectedStatus = 200)
    {
        var r = await f.Http.PostAsJsonAsync(path, body);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == expectedStatus, $"{path}: HTTP {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetAsync(this BotFactory f, string path, int expectedStatus = 200)
    {
        var r = await f.Http.GetAsync(path);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == expectedStatus, $"{path}: HTTP {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
