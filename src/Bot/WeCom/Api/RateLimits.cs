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

    /// <summary>The send allowed by <see cref="TryAcquireAsync"/> was accepted by WeCom.</summary>
    ValueTask SentAsync(IReadOnlyList<(RateScope Scope, string Key)> keys, CancellationToken ct);
}

/// <summary>
/// Pure, clock-driven answer to "when may the next message to key K be sent" (§7). Not a queue: the outbox dispatcher
/// asks <see cref="NextAllowedAt(RateScope, string)"/>, sends, then calls <see cref="Record"/>. Thread-safe; state is per process.
/// </summary>
public sealed class RateLimits(TimeProvider time) : ISendRateGate
{
    /// <summary>The documented numbers, as data.</summary>
    public static readonly IReadOnlyDictionary<RateScope, RateWindow[]> Windows = new Dictionary<RateScope, RateWindow[]>
    {
        [RateScope.AppRecipient] = [new(30, TimeSpan.FromMinutes(1)), new(1000, TimeSpan.FromHours(1))],
        [RateScope.Webhook] = [new(20, TimeSpan.FromMinutes(1))],
        [RateScope.AppChatMember] = [new(200, TimeSpan.FromMinutes(1)), new(10_000, TimeSpan.FromDays(1))],
    };

    /// <summary>微信客服: at most 5 replies per user message (95001), only within 48 h of it (95002) (§5.4).</summary>
    public const int KfRepliesPerUserMessage = 5;

    public static readonly TimeSpan KfReplyWindow = TimeSpan.FromHours(48);

    private readonly object _gate = new();
    private readonly Dictionary<(RateScope, string), Queue<DateTimeOffset>> _sent = [];
    private readonly Dictionary<string, (DateTimeOffset LastUserMessage, int Replies)> _kf = new(StringComparer.Ordinal);

    /// <summary>The earliest instant a send to <paramref name="key"/> keeps every window within its limit; now if already allowed.</summary>
    public DateTimeOffset NextAllowedAt(RateScope scope, string key)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_sent.TryGetValue((scope, key), out var sent))
            {
                return now;
            }

            Prune(scope, sent, now);
            return NextAllowedAt(scope, sent.ToArray(), now);
        }
    }

    /// <summary>The earliest instant a send keeps every window of <paramref name="scope"/> within its limit, given earlier sends (oldest first).</summary>
    public static DateTimeOffset NextAllowedAt(RateScope scope, IReadOnlyList<DateTimeOffset> sentOldestFirst, DateTimeOffset now)
    {
        var next = now;
        foreach (var w in Windows[scope])
        {
            // A send at s counts while now - s < window; the (count - limit)-th oldest in-window send must leave first.
            var inWindow = sentOldestFirst.Where(s => now - s < w.Window).ToArray();
            if (inWindow.Length >= w.Limit)
            {
                var leaving = inWindow[inWindow.Length - w.Limit] + w.Window;
                next = leaving > next ? leaving : next;
            }
        }

        return next;
    }

    /// <summary>The longest window of <paramref name="scope"/>: sends older than this no longer count.</summary>
    public static TimeSpan Longest(RateScope scope) => Windows[scope].Max(w => w.Window);

    ValueTask<DateTimeOffset?> ISendRateGate.TryAcquireAsync(IReadOnlyList<(RateScope Scope, string Key)> keys, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var allowed = keys.Select(k => NextAllowedAt(k.Scope, k.Key)).DefaultIfEmpty(now).Max();
        return ValueTask.FromResult<DateTimeOffset?>(allowed > now ? allowed : null);
    }

    ValueTask ISendRateGate.SentAsync(IReadOnlyList<(RateScope Scope, string Key)> keys, CancellationToken ct)
    {
        foreach (var (scope, key) in keys) Record(scope, key);
        return ValueTask.CompletedTask;
    }

    /// <summary>Records a send that happened now.</summary>
    public void Record(RateScope scope, string key)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_sent.TryGetValue((scope, key), out var sent))
            {
                _sent[(scope, key)] = sent = new Queue<DateTimeOffset>();
            }

            sent.Enqueue(now);
            Prune(scope, sent, now);
        }
    }

    /// <summary>Records the send if allowed now; otherwise returns false and when to try again.</summary>
    public bool TryAcquire(RateScope scope, string key, out DateTimeOffset retryAt)
    {
        lock (_gate)
        {
            retryAt = NextAllowedAt(scope, key);
            if (retryAt > time.GetUtcNow())
            {
                return false;
            }

            Record(scope, key);
            return true;
        }
    }

    /// <summary>A 微信客服 user wrote to us: the 48 h window restarts and the reply counter resets.</summary>
    public void RecordKfUserMessage(string externalUserId)
    {
        lock (_gate)
        {
            _kf[externalUserId] = (time.GetUtcNow(), 0);
        }
    }

    /// <summary>
    /// When a kf reply to the user may be sent: now, or null if impossible until the user writes again
    /// (5 replies used, or 48 h passed, or the user never wrote).
    /// </summary>
    public DateTimeOffset? NextKfReplyAt(string externalUserId)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return _kf.TryGetValue(externalUserId, out var s)
                && s.Replies < KfRepliesPerUserMessage
                && now - s.LastUserMessage < KfReplyWindow
                    ? now
                    : null;
        }
    }

    /// <summary>Records a kf reply; returns false (and records nothing) when <see cref="NextKfReplyAt"/> says it is not allowed.</summary>
    public bool TryAcquireKfReply(string externalUserId)
    {
        lock (_gate)
        {
            if (NextKfReplyAt(externalUserId) is null)
            {
                return false;
            }

            var s = _kf[externalUserId];
            _kf[externalUserId] = (s.LastUserMessage, s.Replies + 1);
            return true;
        }
    }

    private static void Prune(RateScope scope, Queue<DateTimeOffset> sent, DateTimeOffset now)
    {
        var longest = Windows[scope].Max(w => w.Window);
        while (sent.Count > 0 && now - sent.Peek() >= longest)
        {
            sent.Dequeue();
        }
    }
}
