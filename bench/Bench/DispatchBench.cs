using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bench;

/// <summary>
/// The real bot process dispatching its outbox against a fake WeCom (Kestrel, 127.0.0.1, in this process) that enforces the
/// documented send limits (§7 of the protocol notes) on arrival — per member 30/min and 1000/h for message/send, per corp
/// per API 10 000/min and 150 000/h — answering 45009 and counting a breach for every request over a limit. Bot and fake
/// get the same limits; the "minute" and the API's per-minute count can be scaled down so a run takes about a minute per
/// phase (the hour keeps its ratio to the minute: 60 windows, 15 × the API's per-window count).
/// Two phases: many recipients (the corp-wide API limit binds) and few recipients with many messages each (the per-member limit binds).
/// Achieved = sends the fake accepted within <c>windows</c> whole windows from the first send; permitted = the most any
/// sender could have sent in that span (windows × the binding limit).
/// </summary>
public static class DispatchBench
{
    private const string SendPath = "/cgi-bin/message/send";

    public static async Task<int> RunAsync(string[] args)
    {
        var window = TimeSpan.FromSeconds(Arg(args, "--window-seconds", 15));
        var windows = (int)Arg(args, "--windows", 4);
        var apiLimit = (int)Arg(args, "--api-limit", 1500);
        const int memberLimit = 30, memberHourLimit = 1000;
        var hour = window * 60;
        var apiHourLimit = apiLimit * 15;

        Console.WriteLine(Machine.Describe());
        Console.WriteLine($"limits: member {memberLimit}/{window.TotalSeconds:F0} s and {memberHourLimit}/{hour.TotalMinutes:F0} min; "
                          + $"message/send per corp {apiLimit}/{window.TotalSeconds:F0} s and {apiHourLimit}/{hour.TotalMinutes:F0} min "
                          + $"(documented: 30/min, 1000/h; 10,000/min, 150,000/h)");
        Console.WriteLine("| phase | recipients | messages | binding limit | window | permitted in window span | accepted in span | ratio | breaches (45009) | peak sends/s | dead |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        var ok = true;
        // Phase 1: far more recipients than the API limit allows per window → the corp-wide limit binds.
        var recipients1 = Math.Max(1, apiLimit / memberLimit * 2);
        ok &= await PhaseAsync("corp API limit", recipients1, (apiLimit * (windows + 1) / recipients1) + 1, apiLimit, "api");
        // Phase 2: few recipients, each with more than windows × 30 messages → the per-member limit binds.
        var recipients2 = Math.Max(1, apiLimit / memberLimit / 3);
        ok &= await PhaseAsync("per-member limit", recipients2, memberLimit * (windows + 1), memberLimit * recipients2, "member");
        return ok ? 0 : 1;

        async Task<bool> PhaseAsync(string name, int recipients, int perRecipient, int permittedPerWindow, string binding)
        {
            await using var fake = await FakeWeCom.StartAsync(
                [new(memberLimit, window), new(memberHourLimit, hour)], [new(apiLimit, window), new(apiHourLimit, hour)]);
            var dir = Path.Combine(Path.GetTempPath(), "rrb-bench", Guid.NewGuid().ToString("N"));
            var total = recipients * perRecipient;
            await using (var host = await BenchHost.CreateAsync(dir))
            {
                await using var scope = host.Scope();
                var db = scope.ServiceProvider.GetRequiredService<BotDb>();
                var now = DateTimeOffset.UtcNow;
                // Round robin, as a broadcast to a county's members would be queued.
                for (var i = 0; i < total; i++)
                {
                    db.Outbox.Add(new OutboxMessage
                    {
                        Channel = OutboundChannel.AppUser, Recipient = $"member{i % recipients:D4}", Kind = OutboundKind.Text,
                        Payload = OutboundPayload.Serialize(new TextBody($"通知 #{i}")), CreatedAt = now, NotBefore = now,
                    });
                }

                await db.SaveChangesAsync();
            }

            var env = new Dictionary<string, string>
            {
                ["WeCom__RateLimits__AppRecipient"] = $"{memberLimit}/{window:c},{memberHourLimit}/{hour:c}",
                ["WeCom__RateLimits__Api"] = $"{apiLimit}/{window:c},{apiHourLimit}/{hour:c}",
            };
            foreach (var a in args.Where(a => a.StartsWith("Outbox__", StringComparison.Ordinal) && a.Contains('=')))
                env[a[..a.IndexOf('=')]] = a[(a.IndexOf('=') + 1)..];
            await using var bot = await BotProcess.StartAsync(dir, env, fake.Url);
            var deadline = Stopwatch.StartNew();
            while (fake.FirstSendTicks is null && deadline.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
            if (fake.FirstSendTicks is not { } t0) throw new InvalidOperationException("the bot sent nothing in 60 s");
            var span = window * windows;
            while (Stopwatch.GetElapsedTime(t0) < span + TimeSpan.FromSeconds(1)) await Task.Delay(200);
            bot.Kill();

            var accepted = fake.AcceptedWithin(t0, span);
            var permitted = (long)permittedPerWindow * windows;
            var ratio = accepted / (double)permitted;
            var dead = new Seeder(Path.Combine(dir, "bot.db")).Scalar("SELECT COUNT(*) FROM Outbox WHERE Status = 3");
            Console.WriteLine($"| {name} | {recipients:N0} | {total:N0} | {binding}: {permittedPerWindow:N0}/window | {window.TotalSeconds:F0} s × {windows} "
                              + $"| {permitted:N0} | {accepted:N0} | {ratio:F3} | {fake.Breaches:N0} ({fake.BreachDetail}) | {fake.PeakPerSecond:N0} | {dead:N0} |");
            return ratio >= 0.9 && fake.Breaches == 0 && dead == 0;
        }
    }

    private static double Arg(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>
    /// gettoken and message/send with the limits checked on arrival (Stopwatch time): a send is refused with 45009 and
    /// counted as a breach when accepting it would put more than a limit's count within any window of that limit.
    /// Real WeCom drops over-limit member messages silently (errcode 0); the fake answers 45009 so a breach is visible.
    /// Independent of the bot's own limiter on purpose: it keeps its own arrival log.
    /// </summary>
    private sealed class FakeWeCom : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly (int Limit, TimeSpan Window)[] _member, _api;
        private readonly object _gate = new();
        private readonly Dictionary<string, List<long>> _arrivals = new(StringComparer.Ordinal);
        private readonly List<long> _accepted = [];
        private int _memberBreaches, _apiBreaches;

        private FakeWeCom(WebApplication app, (int, TimeSpan)[] member, (int, TimeSpan)[] api)
        {
            _app = app;
            _member = member;
            _api = api;
        }

        public string Url { get; private set; } = "";

        public long? FirstSendTicks
        {
            get
            {
                lock (_gate) return _accepted.Count > 0 ? _accepted[0] : null;
            }
        }

        public int Breaches => _memberBreaches + _apiBreaches;

        public string BreachDetail => $"member {_memberBreaches}, API {_apiBreaches}";

        public static async Task<FakeWeCom> StartAsync((int, TimeSpan)[] member, (int, TimeSpan)[] api)
        {
            var b = WebApplication.CreateSlimBuilder();
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Logging.ClearProviders();
            var app = b.Build();
            var fake = new FakeWeCom(app, member, api);
            app.MapGet("/cgi-bin/gettoken", () => Results.Json(new { errcode = 0, errmsg = "ok", access_token = "bench-token", expires_in = 7200 }));
            app.MapPost(SendPath, async (HttpRequest req) =>
            {
                var body = JsonNode.Parse(await new StreamReader(req.Body).ReadToEndAsync())!;
                var users = body["touser"]!.GetValue<string>().Split('|');
                return fake.Accept(users)
                    ? Results.Json(new { errcode = 0, errmsg = "ok", msgid = "m" })
                    : Results.Json(new { errcode = 45009, errmsg = "api freq out of limit" });
            });
            await app.StartAsync();
            fake.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return fake;
        }

        private bool Accept(string[] users)
        {
            var now = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                if (Over(SendPath, _api, now))
                {
                    _apiBreaches++;
                    return false;
                }

                if (users.Any(u => Over("member:" + u, _member, now)))
                {
                    _memberBreaches++;
                    return false;
                }

                Log(SendPath).Add(now);
                foreach (var u in users) Log("member:" + u).Add(now);
                _accepted.Add(now);
                return true;
            }
        }

        /// <summary>Accepting one more at <paramref name="now"/> would put limit + 1 sends within (now - window, now].</summary>
        private bool Over(string key, (int Limit, TimeSpan Window)[] limits, long now)
        {
            var log = Log(key);
            foreach (var (limit, window) in limits)
            {
                var from = now - (long)(window.TotalSeconds * Stopwatch.Frequency);
                if (log.Count - FirstAfter(log, from) >= limit) return true;
            }

            return false;
        }

        private List<long> Log(string key) => _arrivals.TryGetValue(key, out var l) ? l : _arrivals[key] = [];

        private static int FirstAfter(List<long> log, long t)
        {
            int lo = 0, hi = log.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (log[mid] > t) hi = mid;
                else lo = mid + 1;
            }

            return lo;
        }

        public long AcceptedWithin(long t0, TimeSpan span)
        {
            var end = t0 + (long)(span.TotalSeconds * Stopwatch.Frequency);
            lock (_gate) return _accepted.Count(t => t >= t0 && t < end);
        }

        /// <summary>Most sends accepted within one second (sliding), the dispatcher's burst speed.</summary>
        public int PeakPerSecond
        {
            get
            {
                lock (_gate)
                {
                    int best = 0, lo = 0;
                    for (var hi = 0; hi < _accepted.Count; hi++)
                    {
                        while (_accepted[hi] - _accepted[lo] >= Stopwatch.Frequency) lo++;
                        best = Math.Max(best, hi - lo + 1);
                    }

                    return best;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
