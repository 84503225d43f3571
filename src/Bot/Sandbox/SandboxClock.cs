using System.Diagnostics;
using RapidResponse.Domain.Calendar;

namespace RapidResponse.Bot.Sandbox;

/// <summary>
/// The sandbox's virtual clock: real time plus an offset that only grows, so time flows normally and can be moved
/// forward (+1小时, +1天 …) but never back. Timers created through it fire when the virtual time passes their due
/// time, whether real time or a jump got it there, so anything waiting on the app's <see cref="TimeProvider"/>
/// (the scheduler, delays, timeouts) reacts as if the time had passed.
/// </summary>
public sealed class SandboxClock : TimeProvider
{
    private readonly TimeProvider _real;
    private readonly Lock _gate = new();
    private readonly List<VirtualTimer> _scheduled = [];
    private long _offsetTicks;

    public SandboxClock(DateTimeOffset? startAt = null, TimeProvider? real = null)
    {
        _real = real ?? System;
        // The start may lie in the past (a demo date): only later moves are forward-only.
        if (startAt is { } s) _offsetTicks = (s - _real.GetUtcNow()).Ticks;
    }

    /// <summary>Raised after every jump with the new virtual now.</summary>
    public event Action<DateTimeOffset>? Moved;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => _real.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => ChinaTime.Zone;

    public override long TimestampFrequency => Stopwatch.Frequency;

    public override long GetTimestamp() =>
        _real.GetTimestamp() + (long)(Interlocked.Read(ref _offsetTicks) * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));

    /// <summary>Moves the virtual time forward by <paramref name="by"/> (positive).</summary>
    public DateTimeOffset Advance(TimeSpan by)
    {
        if (by <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "时间只能向前拨。");
        Interlocked.Add(ref _offsetTicks, by.Ticks);
        return AfterJump();
    }

    /// <summary>Sets the virtual time; an instant before the current virtual time is refused.</summary>
    public DateTimeOffset SetNow(DateTimeOffset now)
    {
        lock (_gate)
        {
            var delta = now - GetUtcNow();
            if (delta < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(now), "时间只能向前拨。");
            Interlocked.Add(ref _offsetTicks, delta.Ticks);
        }
        return AfterJump();
    }

    private DateTimeOffset AfterJump()
    {
        VirtualTimer[] timers;
        lock (_gate) timers = [.. _scheduled];
        foreach (var t in timers) t.Reschedule();
        var now = GetUtcNow();
        Moved?.Invoke(now);
        return now;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var t = new VirtualTimer(this, callback, state);
        t.Change(dueTime, period);
        return t;
    }

    private void Track(VirtualTimer t, bool scheduled)
    {
        lock (_gate)
        {
            if (scheduled) { if (!_scheduled.Contains(t)) _scheduled.Add(t); }
            else _scheduled.Remove(t);
        }
    }

    /// <summary>
    /// A timer due at a virtual instant, backed by a real one-shot timer set to the real time left. A jump fires what is
    /// now due; a periodic timer that a jump carried past several periods fires once and resumes from now, as a real
    /// timer does after the machine slept (a week's jump must not replay a week of one-second ticks).
    /// </summary>
    private sealed class VirtualTimer : ITimer
    {
        private readonly SandboxClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly ExecutionContext? _context;
        private readonly ITimer _backing;
        private readonly Lock _gate = new();
        private DateTimeOffset? _dueAt;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private bool _disposed;

        public VirtualTimer(SandboxClock clock, TimerCallback callback, object? state)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
            _context = ExecutionContext.Capture();
            using (ExecutionContext.SuppressFlow())
                _backing = clock._real.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan) throw new ArgumentOutOfRangeException(nameof(dueTime));
            if (period < TimeSpan.Zero && period != Timeout.InfiniteTimeSpan) throw new ArgumentOutOfRangeException(nameof(period));
            lock (_gate)
            {
                if (_disposed) return false;
                _period = period;
                _dueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _clock.GetUtcNow() + dueTime;
            }
            Reschedule();
            return true;
        }

        /// <summary>Sets the backing timer to the real time left until the virtual due time (zero when already due).</summary>
        public void Reschedule()
        {
            lock (_gate)
            {
                if (_disposed) return;
                _clock.Track(this, _dueAt is not null);
                if (_dueAt is not { } due) { _backing.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan); return; }
                var left = due - _clock.GetUtcNow();
                _backing.Change(left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }
        }

        private void Fire()
        {
            lock (_gate)
            {
                if (_disposed || _dueAt is not { } due) return;
                var now = _clock.GetUtcNow();
                if (now < due)
                {
                    // Woken early (real timers are coarse): sleep the rest.
                    _backing.Change(due - now, Timeout.InfiniteTimeSpan);
                    return;
                }
                _dueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : Later(due + _period, now);
            }
            Reschedule();
            if (_context is null) _callback(_state);
            else ExecutionContext.Run(_context, s => _callback(s), _state);
        }

        private DateTimeOffset Later(DateTimeOffset next, DateTimeOffset now) => next > now ? next : now + _period;

        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed) return;
                _disposed = true;
                _dueAt = null;
            }
            _clock.Track(this, false);
            _backing.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
