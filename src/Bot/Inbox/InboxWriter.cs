using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Inbox;

/// <summary>Wakes the inbox processor when a message is stored.</summary>
public sealed class InboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Pulse()
    {
        if (_signal.CurrentCount == 0) try { _signal.Release(); } catch (SemaphoreFullException) { }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>
/// Serialises the inbox's two writers (the writer's group commits and the processor's chunks) inside the process:
/// SQLite has one writer per file, and an in-process queue hands the lock over at once where SQLite's busy handler would
/// poll with sleeps. The ack path has priority: the processor ends its chunk as soon as the writer waits (BENCHMARKS.md).
/// </summary>
public sealed class InboxWriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _ackWaiting;

    /// <summary>True while an acknowledgement (the inbox writer) waits for the gate.</summary>
    public bool AckWaiting => Volatile.Read(ref _ackWaiting) > 0;

    public async Task<IDisposable> EnterAsync(CancellationToken ct, bool ack = false)
    {
        if (ack) Interlocked.Increment(ref _ackWaiting);
        try { await _gate.WaitAsync(ct); }
        finally { if (ack) Interlocked.Decrement(ref _ackWaiting); }
        return new Release(_gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) gate.Release(); }
    }
}

/// <summary>
/// Stores an acknowledged inbound message once: the dedupe key is a unique index, so a re-delivered or concurrent
/// copy is rejected by the database and acted on exactly once, also when the copies reach different instances. Concurrent callers are committed together
/// (group commit: one transaction for everything waiting), and each caller returns only after its row is durable.
/// </summary>
public sealed class InboxWriter : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const int MaxBatch = 256;

    private sealed record Pending(InboxMessage Row, TaskCompletionSource<bool> Done);

    private readonly IServiceScopeFactory _scopes;
    private readonly InboxSignal _signal;
    private readonly InboxWriteGate _gate;
    private readonly ILogger<InboxWriter> _log;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public InboxWriter(IServiceScopeFactory scopes, InboxSignal signal, InboxWriteGate gate, ILogger<InboxWriter> log)
    {
        _scopes = scopes;
        _signal = signal;
        _gate = gate;
        _log = log;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>True when stored; false when a copy with the same key was stored before.</summary>
    public Task<bool> AcceptAsync(Inbound m, string dedupeKey, CancellationToken ct = default)
    {
        var row = new InboxMessage
        {
            Channel = m.Channel,
            DedupeKey = dedupeKey,
            SenderId = m.SenderId,
            Kind = m.Kind.ToString(),
            Payload = JsonSerializer.Serialize(m, Json),
            ReceivedAt = m.At,
        };
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(row, done))) throw new InvalidOperationException("inbox writer is shut down");
        return done.Task.WaitAsync(ct);
    }

    private async Task LoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            // The gate first, then the queue: everything that arrived while waiting goes into this commit.
            using var gate = await _gate.EnterAsync(CancellationToken.None, ack: true);
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var p)) batch.Add(p);
            try
            {
                await CommitAsync(batch);
            }
            catch (Exception e)
            {
                // One bad row must not fail its neighbours: retry each alone so every caller gets its own answer. With several
                // instances on one database a copy stored by another instance between our check and our insert lands here.
                if (DatabaseProviders.IsUniqueViolation(e)) _log.LogInformation("Inbox group commit of {Count} met a copy stored meanwhile; committing one by one", batch.Count);
                else _log.LogWarning(e, "Inbox group commit of {Count} failed; committing one by one", batch.Count);
                foreach (var p in batch)
                {
                    try { await CommitAsync([p]); }
                    // Alone, the only unique key the row can violate is its dedupe key: a duplicate, acted on elsewhere.
                    catch (Exception one) when (DatabaseProviders.IsUniqueViolation(one)) { p.Done.TrySetResult(false); }
                    catch (Exception one) { p.Done.TrySetException(one); }
                }
            }
            gate.Dispose();
            _signal.Pulse();
        }
    }

    // The ack path's one statement, prepared once per commit: a copy with a stored key inserts nothing (the unique index
    // decides, also between copies in the same batch). Plain ADO.NET: EF's change tracking cost more than the insert.
    private const string Insert = "INSERT INTO Inbox (Channel, DedupeKey, SenderId, Kind, Payload, ReceivedAt, Status, Attempts) "
                                  + "VALUES ($channel, $key, $sender, $kind, $payload, $at, 0, 0) ON CONFLICT (DedupeKey) DO NOTHING";

    private async Task CommitAsync(IReadOnlyList<Pending> batch)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        if (db.IsPostgres()) { await CommitWithEfAsync(db, batch); return; }
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        var stored = new bool[batch.Count];
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = Insert;
            var channel = Parameter(cmd, "$channel");
            var key = Parameter(cmd, "$key");
            var sender = Parameter(cmd, "$sender");
            var kind = Parameter(cmd, "$kind");
            var payload = Parameter(cmd, "$payload");
            var at = Parameter(cmd, "$at");
            await cmd.PrepareAsync();
            for (var i = 0; i < batch.Count; i++)
            {
                var row = batch[i].Row;
                channel.Value = (int)row.Channel;
                key.Value = row.DedupeKey;
                sender.Value = row.SenderId;
                kind.Value = row.Kind;
                payload.Value = row.Payload;
                at.Value = row.ReceivedAt.UtcTicks;
                stored[i] = await cmd.ExecuteNonQueryAsync() == 1;
            }
            await tx.CommitAsync();
        }
        for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(stored[i]);
    }

    /// <summary>Provider-neutral path (PostgreSQL): known keys skipped, the rest inserted in one SaveChanges; the unique index stays the arbiter.</summary>
    private static async Task CommitWithEfAsync(BotDb db, IReadOnlyList<Pending> batch)
    {
        var keys = batch.Select(p => p.Row.DedupeKey).Distinct().ToList();
        var existing = (await db.Inbox.AsNoTracking().Where(x => keys.Contains(x.DedupeKey)).Select(x => x.DedupeKey).ToListAsync()).ToHashSet();
        var fresh = new HashSet<Pending>();
        foreach (var p in batch)
            if (existing.Add(p.Row.DedupeKey)) { fresh.Add(p); db.Inbox.Add(p.Row); }
        if (fresh.Count > 0) await db.SaveChangesAsync();
        foreach (var p in batch) p.Done.TrySetResult(fresh.Contains(p));
    }

    private static System.Data.Common.DbParameter Parameter(System.Data.Common.DbCommand cmd, string name)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        cmd.Parameters.Add(p);
        return p;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }
}
