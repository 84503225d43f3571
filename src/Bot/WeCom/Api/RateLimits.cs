using Microsoft.Extensions.Options;

namespace RapidResponse.Bot.WeCom.Api;

/// <summary>A sliding window: at most <paramref name="Limit"/> sends within any <paramref name="Window"/>.</summary>
public sealed record RateWindow(int Limit, TimeSpan Window);

/// <summary>What is being limited; each kind has its own windows in <see cref="RateLimits.Windows"/>.</summary>
public enum RateScope
{
    /// <summary>message/send to one member, per app: 30/min and 1000/h; excess is dropped silently with errcode 0 (§7, pitfall §9.11).</summary>
    AppRecipient,

    /// <summary>One group robot webhook: 20/min (§4.7); excess answers 45009.</summary>
    Webhook,

    /// <summary>appchat/send per member per app: 200/min and 10 000/day (§7), also dropped silently.</summary>
    AppChatMember,

    /// <summary>
    /// Base frequency of one API for the whole corp (key: the API path): 10 000/min and 150 000/h (§7; older doc versions
    /// say 2 000/min and 30 000/h — configurable); excess answers 45009 and blocks the API.
    /// </summary>
    Api,
}

/// <summary>
/// Where the transport asks whether a send may go now (§7), and tells that it went. Per process by default
/// (<see cref="RateLimits"/>); with several instances on PostgreSQL the sends are counted in the database
/// (<see cref="DatabaseRateGate"/>), so the limits hold for the whole deployment.
/// </summary>
public interface ISendRateGate
{
    /// <summary>Null when a send counting against every key may go now; otherwise when to try again.</summary>
    ValueTask<DateTimeOffset?> TryAcquireAsync(IReadOnlyList<(RateScope Scope, string Key)> keys, CancellationToken ct);

    /// <summary>
    /// The send allowed by <see cref="TryAcquireAsync"/> is over — answered, failed or timed out; called exactly once per
    /// allowed send. It reached WeCom at some instant between the two calls, so a gate that stamps it now never lets a
    /// later send arrive inside the same window, whatever the network's delay.
    /// </summary>
    ValueTask SentAsync(IReadOnlyList<(RateScope Scope, string Key)> keys, CancellationToken ct);
}

/// <summary>
/// Pure, clock-driven answer to "when may the next message to key K be sent" (§7). Not a queue: the outbox dispatcher
/// asks, and a send that may go is counted at once as in flight (<see cref="ISendRateGate.TryAcquireAsync"/>), so parallel
/// senders cannot all take the last free slot; when it is over (<see cref="ISendRateGate.SentAsync"/>, also after a
/// failure: the limit is never overshot) it is stamped with that instant. WeCom counts a send when it arrives, which is
/// between the two: stamping the end means a window never closes early, even when an earlier request was slow on the way.
/// Thread-safe; state is per process. The windows are the documented numbers unless <c>WeCom:RateLimits</c> overrides a scope.
/// </summary>
public sealed class RateLimits(TimeProvider time, IOptions<WeComOptions>? options = null) : ISendRateGate
{
    /// <summary>The documented numbers, as data.</summary>
    public static readonly IReadOnlyDictionary<RateScope, RateWindow[]> Windows = new Dictionary<RateScope, RateWindow[]>
    {
        [RateScope.AppRecipient] = [new(30, TimeSpan.FromMinutes(1)), new(1000, TimeSpan.FromHours(1))],
        [RateScope.Webhook] = [new(20, TimeSpan.FromMinutes(1))],
        [RateScope.AppChatMember] = [new(200, TimeSpan.FromMinutes(1)), new(10_000, TimeSpan.FromDays(1))],
        [RateScope.Api] = [new(10_000, TimeSpan.FromMinutes(1)), new(150_000, TimeSpan.FromHours(1))],
    };

    /// <summary>微信客服: at most 5 replies per user message (95001), only within 48 h of it (95002) (§5.4).</summary>
    public const int KfRepliesPerUserMessage = 5;

    public static readonly TimeSpan KfReplyWindow = TimeSpan.FromHours(48);

    private readonly IReadOnlyDictionary<RateScope, RateWindow[]> _windows = Configured(options?.Value.RateLimits);
    private readonly object _gate = new();
    private readonly Dictionary<(RateScope, string), SendLog> _sent = [];

    /// <summary>The windows in force for <paramref name="scope"/>: configured, else documented.</summary>
    public IReadOnlyList<RateWindow> WindowsFor(RateScope scope) => _windows[scope];

    /// <summary>The documented windows with the scopes set in <c>WeCom:RateLimits</c> replaced (format: see <see cref="ParseWindows"/>).</summary>
    public static IReadOnlyDictionary<RateScope, RateWindow[]> Configured(IReadOnlyDictionary<string, string>? overrides)
    {
        var result = Windows.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (name, text) in overrides ?? new Dictionary<string, string>())
        {
            if (!Enum.TryParse<RateScope>(name, ignoreCase: true, out var scope) || ParseWindows(text) is not { } windows)
                throw new ArgumentException($"WeCom:RateLimits:{name} is not a scope with windows like \"30/00:01:00,1000/01:00:00\"");
            result[scope] = windows;
        }

        return result;
    }

    /// <summary>"30/00:01:00,1000/01:00:00" → 30 per minute and 1000 per hour; null when malformed.</summary>
    public static RateWindow[]? ParseWindows(string? text)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var windows = new List<RateWindow>();
        foreach (var p in parts)
        {
            var slash = p.IndexOf('/');
            if (slash < 1
                || !int.TryParse(p[..slash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit) || limit < 1
                || !TimeSpan.TryParse(p[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var window) || window <= TimeSpan.Zero)
                return null;
            windows.Add(new RateWindow(limit, window));
        }

        return windows.Count == 0 ? null : [.. windows];
    }

    /// <summary>The longest window of <paramref name="scope"/> in force: sends older than this no longer count.</summary>
    public TimeSpan LongestFor(RateScope scope) => _windows[scope].Max(w => w.Window);

    /// <summary>Checks every key and, when all allow a send now, counts it as in flight against all of them in the same lock.</summary>
    ValueTask<DateTimeOffset?> ISendRateGate.TryAcquireAsync(IReadOnlyList<(RateScope Scope, string Key)> keys, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var allowed = now;
            foreach (var (scope, key) in keys)
            {
                if (_sent.TryGetValue((scope, key), out var sent) && sent.NextAllowedAt(_windows[scope], now) is var at && at > allowed)
                    allowed = at;
            }

            if (allowed > now) return ValueTask.FromResult<DateTimeOffset?>(allowed);
            foreach (var (scope, key) in keys) Log(scope, key).InFlight++;
            return ValueTask.FromResult<DateTimeOffset?>(null);
        }
    }

    /// <summary>The allowed send is over: no longer in flight, counted from now.</summary>
    ValueTask ISendRateGate.SentAsync(IReadOnlyList<(RateScope Scope, string Key)> keys, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            foreach (var (scope, key) in keys)
            {
                var log = Log(scope, key);
                if (log.InFlight > 0) log.InFlight--;
                log.Add(now, LongestFor(scope));
            }
        }

        return ValueTask.CompletedTask;
    }

    private SendLog Log(RateScope scope, string key)
    {
        if (!_sent.TryGetValue((scope, key), out var sent))
        {
            _sent[(scope, key)] = sent = new SendLog();
        }

        return sent;
    }

    /// <summary>
    /// Send instants of one key, oldest first, without those older than the longest window. The corp-wide API key holds up to
    /// 150 000 instants, so a check is a binary search per window, not a scan.
    /// </summary>
    private sealed class SendLog
    {
        private readonly List<long> _ticks = [];
        private int _head;

        /// <summary>Sends allowed and not over yet: they count in every window and leave no sooner than a full window from now.</summary>
        public int InFlight { get; set; }

        public void Add(DateTimeOffset at, TimeSpan longest)
        {
            var t = at.UtcTicks;
            // Out-of-order instants (clock set back) are kept sorted.
            var i = _ticks.Count;
            while (i > _head && _ticks[i - 1] > t) i--;
            _ticks.Insert(i, t);
            Prune(at, longest);
        }

        public DateTimeOffset NextAllowedAt(IReadOnlyList<RateWindow> windows, DateTimeOffset now)
        {
            var next = now.UtcTicks;
            var count = _ticks.Count;
            foreach (var w in windows)
            {
                // In window: now - s < window, i.e. s > now - window; sends in flight are the newest.
                var first = FirstAfter(now.UtcTicks - w.Window.Ticks);
                var inWindow = count - first + InFlight;
                if (inWindow >= w.Limit)
                {
                    // The (inWindow - limit)-th oldest must leave; one still in flight leaves a window after it ends, at the earliest.
                    var index = count + InFlight - w.Limit;
                    var leaving = (index < count ? _ticks[index] : now.UtcTicks) + w.Window.Ticks;
                    if (leaving > next) next = leaving;
                }
            }

            return new DateTimeOffset(next, TimeSpan.Zero);
        }

        private void Prune(DateTimeOffset now, TimeSpan longest)
        {
            _head = FirstAfter(now.UtcTicks - longest.Ticks);
            if (_head > 1024 && _head > _ticks.Count / 2)
            {
                _ticks.RemoveRange(0, _head);
                _head = 0;
            }
        }

        /// <summary>Index of the first instant strictly after <paramref name="ticks"/> (from the head).</summary>
        private int FirstAfter(long ticks)
        {
            int lo = _head, hi = _ticks.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_ticks[mid] > ticks) hi = mid;
                else lo = mid + 1;
            }

            return lo;
        }
    }
}
