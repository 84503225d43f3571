using System.Collections.Concurrent;

namespace RapidResponse.Bot.WeCom.Callbacks;

/// <summary>
/// Development/test default for <see cref="IInboundSink"/>: dedupes in memory and keeps envelopes in arrival order.
/// Production replaces it with a database inbox (unique index on the dedupe key) so restarts and instances share it.
/// </summary>
public sealed class InMemoryInboundSink : IInboundSink
{
    // Bounded so a long-running dev host cannot grow without limit; the notes ask to keep keys >= 10 minutes, far less than this.
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<(CallbackChannel, string), byte> _keys = new();
    private readonly ConcurrentQueue<InboundEnvelope> _accepted = new();

    /// <summary>Accepted envelopes, oldest first.</summary>
    public IReadOnlyList<InboundEnvelope> Accepted => [.. _accepted];

    public Task<bool> AcceptAsync(InboundEnvelope envelope, CancellationToken cancellationToken)
    {
        if (!_keys.TryAdd((envelope.Channel, envelope.DedupeKey), 0))
        {
            return Task.FromResult(false);
        }

        _accepted.Enqueue(envelope);
        while (_accepted.Count > Capacity && _accepted.TryDequeue(out var old))
        {
            _keys.TryRemove((old.Channel, old.DedupeKey), out _);
        }

        return Task.FromResult(true);
    }
}
