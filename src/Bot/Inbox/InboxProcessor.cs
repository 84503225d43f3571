using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Inbox;

/// <summary>
/// Works the inbox: messages in order of arrival, so one person's are handled one at a time and in order. A message is
/// marked processed in the same transaction as the case changes and outbox rows it caused, so a crash redoes it whole or not at all.
/// </summary>
public sealed class InboxProcessor(IServiceScopeFactory scopes, InboxSignal signal, InboxWriteGate writeGate, CardReplies replies, ConversationOptions options,
    TimeProvider time, ILogger<InboxProcessor> log) : BackgroundService
{
    private const int MaxAttempts = 5;
    private const int MaxChunk = 64;
    private static readonly TimeSpan ChunkBudget = TimeSpan.FromMilliseconds(10);
    private DateTimeOffset _nextExpirySweep;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var worked = await RunOnceAsync(stop);
                if (time.GetUtcNow() >= _nextExpirySweep)
                {
                    await ExpireFormsAsync(stop);
                    _nextExpirySweep = time.GetUtcNow().AddSeconds(10);
                }
                if (worked == 0) await signal.WaitAsync(options.PollInterval, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.LogError(e, "Inbox loop failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
        }
    }

    /// <summary>Processes one batch of pending messages; returns how many were handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<(long Id, string Sender)> batch;
        bool clustered;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            clustered = db.IsPostgres();
            batch = (await db.Inbox.AsNoTracking().Where(x => x.Status == InboxStatus.Pending).OrderBy(x => x.Id).Take(200)
                .Select(x => new { x.Id, x.SenderId }).ToListAsync(ct)).Select(x => (x.Id, x.SenderId)).ToList();
        }
        if (batch.Count == 0) return 0;
        if (clustered) return await RunClusteredAsync(batch, ct);
        // In order of arrival, so each person's messages are handled in order. A sender whose message fails is held back
        // for the rest of this batch: their later messages wait for the retry.
        var queue = new Queue<(long Id, string Sender)>(batch);
        var held = new HashSet<string>(StringComparer.Ordinal);
        while (queue.Count > 0)
        {
            var chunk = new List<(long Id, string Sender)>();
            if (await TryChunkAsync(queue, held, chunk, ct)) continue;
            // Nothing of the chunk was committed: redo its messages one at a time so one bad message fails alone.
            foreach (var (id, sender) in chunk)
                if (!held.Contains(sender) && await ProcessAsync(id, sender, ct) != Outcome.Done) held.Add(sender);
        }
        return batch.Count;
    }

    /// <summary>
    /// Handles messages from the queue in one transaction (each still saved on its own, so the next one sees its effects)
    /// for at most <see cref="ChunkBudget"/> and only while no acknowledgement waits: one commit instead of one per message,
    /// and the inbox writer waits for at most one message. False when a message failed; then the chunk is rolled back whole.
    /// </summary>
    private async Task<bool> TryChunkAsync(Queue<(long Id, string Sender)> queue, HashSet<string> held, List<(long Id, string Sender)> chunk, CancellationToken ct)
    {
        var labels = new List<(string Key, string Label)>();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            var engine = scope.ServiceProvider.GetRequiredService<ConversationEngine>();
            using var gate = await writeGate.EnterAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var started = Stopwatch.GetTimestamp();
            var lags = new List<double>();
            while (queue.Count > 0 && chunk.Count < MaxChunk && Stopwatch.GetElapsedTime(started) < ChunkBudget && (chunk.Count == 0 || !writeGate.AckWaiting))
            {
                var (id, sender) = queue.Dequeue();
                if (held.Contains(sender)) continue;
                chunk.Add((id, sender));
                var row = await db.Inbox.FirstAsync(x => x.Id == id, ct);
                if (row.Status != InboxStatus.Pending) continue;
                var m = JsonSerializer.Deserialize<Inbound>(row.Payload, InboxWriter.Json)!;
                var label = await engine.HandleAsync(m, ct);
                row.Status = InboxStatus.Processed;
                row.Payload = InboxRetention.Redact(row.Payload); // personal data kept no longer than needed (issue 12)
                row.ProcessedAt = time.GetUtcNow();
                row.Attempts++;
                await db.SaveChangesAsync(ct);
                if (label is not null) labels.Add((row.DedupeKey, label));
                lags.Add((row.ProcessedAt.Value - row.ReceivedAt).TotalSeconds);
            }
            await tx.CommitAsync(ct);
            foreach (var lag in lags) Metrics.BotMetrics.InboxLag.Record(lag);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
        catch (Exception e)
        {
            log.LogDebug(e, "Inbox chunk of {Count} rolled back; handling its messages one at a time", chunk.Count);
            return false;
        }
        foreach (var (key, label) in labels) replies.Complete(key, label);
        return true;
    }

    /// <summary>PostgreSQL, several instances: people in parallel, each person's messages under their lock, in order.</summary>
    private async Task<int> RunClusteredAsync(List<(long Id, string Sender)> batch, CancellationToken ct)
    {
        var bySender = batch.GroupBy(x => x.Sender).Select(g => (Sender: g.Key, Ids: g.Select(x => x.Id).ToList())).ToList();
        var elsewhere = 0;
        await Parallel.ForEachAsync(bySender, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (group, token) =>
        {
            foreach (var id in group.Ids)
            {
                var outcome = await ProcessAsync(id, group.Sender, token);
                if (outcome == Outcome.Elsewhere) Interlocked.Increment(ref elsewhere);
                if (outcome != Outcome.Done) break; // keep order: a failed message holds back the sender's later ones
            }
        });
        // Everyone pending is being worked by other instances: wait for the next signal instead of asking again at once.
        return elsewhere == bySender.Count ? 0 : batch.Count;
    }


    private enum Outcome { Done, HoldBack, Elsewhere }

    private async Task<Outcome> ProcessAsync(long id, string sender, CancellationToken ct)
    {
        string? dedupeKey = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            // SQLite: one writer at a time, acknowledgements first (InboxWriteGate).
            using var gate = db.IsPostgres() ? null : await writeGate.EnterAsync(ct);
            // Several instances on one PostgreSQL: the sender's lock makes one of them work the person's messages, in order;
            // the row is read after the lock, so a message another instance finished meanwhile is seen as done.
            await using var tx = db.IsPostgres() ? await db.Database.BeginTransactionAsync(ct) : null;
            if (tx is not null && !await InboxClaims.TryLockSenderAsync(db, sender, ct)) return Outcome.Elsewhere;
            var row = await db.Inbox.FirstAsync(x => x.Id == id, ct);
            if (row.Status != InboxStatus.Pending) return Outcome.Done;
            dedupeKey = row.DedupeKey;
            var m = JsonSerializer.Deserialize<Inbound>(row.Payload, InboxWriter.Json)!;
            var engine = scope.ServiceProvider.GetRequiredService<ConversationEngine>();
            var label = await engine.HandleAsync(m, ct);
            row.Status = InboxStatus.Processed;
            row.Payload = InboxRetention.Redact(row.Payload);
            row.ProcessedAt = time.GetUtcNow();
            row.Attempts++;
            await db.SaveChangesAsync(ct);
            if (tx is not null) await tx.CommitAsync(ct);
            Metrics.BotMetrics.InboxLag.Record((row.ProcessedAt.Value - row.ReceivedAt).TotalSeconds);
            if (label is not null) replies.Complete(row.DedupeKey, label);
            return Outcome.Done;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
        catch (Exception e)
        {
            log.LogError(e, "Inbound message {Id} failed", id);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            using var gate = await writeGate.EnterAsync(ct);
            var row = await db.Inbox.FirstAsync(x => x.Id == id, ct);
            row.Attempts++;
            row.Error = e.GetType().Name + ": " + Domain.Privacy.Mask.Text(e.Message);
            if (row.Attempts >= MaxAttempts) row.Status = InboxStatus.Failed;
            await db.SaveChangesAsync(ct);
            if (dedupeKey is not null && row.Status == InboxStatus.Failed) replies.Complete(dedupeKey, "");
            return row.Status == InboxStatus.Failed ? Outcome.Done : Outcome.HoldBack;
        }
    }

    /// <summary>Discards forms idle past the timeout and tells the person.</summary>
    public async Task ExpireFormsAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var now = time.GetUtcNow();
        var expired = await db.Conversations.Where(x => x.ExpiresAt < now).OrderBy(x => x.ExpiresAt).Take(100).ToListAsync(ct);
        if (expired.Count == 0) return;
        var messenger = scope.ServiceProvider.GetRequiredService<Messenger>();
        foreach (var s in expired)
        {
            var sep = s.Key.IndexOf(':');
            var channel = (InboundChannel)int.Parse(s.Key[..sep]);
            var who = s.Key[(sep + 1)..];
            var kfId = channel == InboundChannel.Kf ? await db.Inbox.Where(x => x.SenderId == who).OrderByDescending(x => x.Id).Select(x => x.Payload).FirstOrDefaultAsync(ct) : null;
            var openKf = kfId is null ? null : JsonSerializer.Deserialize<Inbound>(kfId, InboxWriter.Json)?.OpenKfId;
            messenger.ToPerson(channel, who, openKf, "report.expired", new { Minutes = (int)options.FormIdleTimeout.TotalMinutes });
            db.Conversations.Remove(s);
        }
        await db.SaveChangesAsync(ct);
    }
}
