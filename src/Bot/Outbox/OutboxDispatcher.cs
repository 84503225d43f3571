using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Outbox;

/// <summary>
/// Sends due outbox rows through <see cref="IOutboundTransport"/>. A row is claimed with a conditional UPDATE (on PostgreSQL
/// with <c>FOR UPDATE SKIP LOCKED</c>), so two dispatchers (or instances) never both send it; a claim that runs out (crash) is
/// claimed again by any instance. Success and the row's
/// <c>Sent</c> status are written in one UPDATE. The only window for a repeat is a crash between WeCom's answer and that
/// UPDATE; for app messages <c>enable_duplicate_check</c> (30 min, far longer than a claim) makes WeCom drop the repeat,
/// 微信客服 replies carry our msgid, and a repeated card update fails harmlessly on its used response_code.
/// Rows of a channel whose circuit is open (<see cref="OutboxCircuits"/>) are not claimed, except one probe per interval;
/// recipients WeCom did not deliver to go to <see cref="IRecipientFeedback"/>.
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IOutboundTransport transport,
    OutboxAlerts alerts,
    OutboxCircuits circuits,
    IRecipientFeedback recipients,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> log) : BackgroundService
{
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}"[..^24];
    private long _batches;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var worked = 0;
            try
            {
                worked = await DispatchOnceAsync(stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                log.LogError(e, "Outbox dispatch failed; retrying");
            }

            if (worked > 0) continue;
            try
            {
                await Task.Delay(options.Value.PollInterval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Claims and works one batch of due rows; returns how many were claimed. Stops between rows when <paramref name="stop"/> fires.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken stop)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var claim = $"{_instance}#{Interlocked.Increment(ref _batches)}";
        // Open circuits (one small read per poll): their rows are not claimed; a due probe claims one of them alone.
        var (open, stoppedHooks) = await circuits.SnapshotAsync();
        var stoppedChannels = open.SelectMany(c => OutboxCircuits.ChannelsOf(c.Key)).Distinct().ToArray();
        var probes = new Dictionary<long, string>();
        List<OutboxMessage> rows;
        // Database steps ignore the stop token: a claim half-written at shutdown would only wait out its lease.
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            var until = now + o.ClaimDuration;
            foreach (var c in open)
            {
                if (!await circuits.TryTakeProbeAsync(c)) continue;
                var channels = OutboxCircuits.ChannelsOf(c.Key);
                var hook = stoppedHooks.FirstOrDefault(h => OutboxCircuits.WebhookKey(h) == c.Key);
                Expression<Func<OutboxMessage, bool>> ofCircuit = channels.Length > 0
                    ? x => channels.Contains(x.Channel)
                    : x => x.Channel == OutboundChannel.Webhook && x.Recipient == hook;
                var probeClaim = $"{claim}p{probes.Count}";
                if (await ClaimAsync(db, probeClaim, now, until, 1, ofCircuit) == 0) continue;
                var id = await db.Outbox.Where(x => x.ClaimedBy == probeClaim).Select(x => x.Id).FirstAsync(CancellationToken.None);
                // The probe joins this batch's claim, so it is sent and released like the rest.
                await db.Outbox.Where(x => x.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.ClaimedBy, claim), CancellationToken.None);
                probes[id] = c.Key;
                log.LogInformation("Outbox circuit {Key} ({Code}): probing with row {Id}", c.Key, c.Code, id);
            }

            var hooks = stoppedHooks.ToArray();
            var claimed = db.IsPostgres()
                ? await ClaimSkipLockedAsync(db, claim, now, until, o.BatchSize, stoppedChannels, hooks)
                : await ClaimAsync(db, claim, now, until, o.BatchSize, NotStopped(stoppedChannels, hooks));
            if (claimed == 0 && probes.Count == 0) return 0;
            rows = await db.Outbox.AsNoTracking().Where(x => x.ClaimedBy == claim && x.Status == OutboxStatus.Sending)
                .OrderBy(x => x.Id).ToListAsync(CancellationToken.None);
        }

        var batch = new Batch(claim, probes);
        var started = new ConcurrentBag<long>();
        try
        {
            // One recipient's rows in order and one at a time (rate limits are per recipient); recipients in parallel.
            var groups = rows.GroupBy(r => (r.Channel, r.Recipient)).Select(g => g.ToList());
            await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = o.MaxParallelism }, async (group, _) =>
            {
                foreach (var row in group)
                {
                    if (stop.IsCancellationRequested) return;
                    // A circuit opened by a row earlier in this batch: the rest of its rows are handed back unsent.
                    if (batch.Stopped.ContainsKey(OutboxCircuits.KeyOf(row)) && !probes.ContainsKey(row.Id)) continue;
                    started.Add(row.Id);
                    await SendOneAsync(row, batch);
                }
            });
        }
        finally
        {
            await ReleaseAsync(claim, [.. started]);
        }

        return rows.Count;
    }

    /// <summary>One claimed batch: its claim token, its probe rows (row id → circuit key), the circuits it saw open.</summary>
    private sealed record Batch(string Claim, IReadOnlyDictionary<long, string> Probes)
    {
        public ConcurrentDictionary<string, bool> Stopped { get; } = new(StringComparer.Ordinal);
    }

    private async Task SendOneAsync(OutboxMessage row, Batch batch)
    {
        var claim = batch.Claim;
        // Renew the claim right before sending, so a long batch never sends a row whose claim another dispatcher took over.
        var now = time.GetUtcNow();
        var until = now + options.Value.ClaimDuration;
        if (await Update(row.Id, claim, s => s.SetProperty(x => x.ClaimedUntil, until)) == 0)
        {
            log.LogWarning("Outbox row {Id} lost its claim before sending; skipped", row.Id);
            return;
        }

        TransportResult result;
        try
        {
            // Not cancelled by shutdown: a request that left must have its answer recorded, or it would be sent again.
            result = await transport.SendAsync(row, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Outbox row {Id}: transport threw", row.Id);
            result = TransportResult.Retry($"发送异常 {e.GetType().Name}");
        }

        await ApplyAsync(row, batch, result);
    }

    private async Task ApplyAsync(OutboxMessage row, Batch batch, TransportResult r)
    {
        var claim = batch.Claim;
        var o = options.Value;
        var now = time.GetUtcNow();
        var detail = Trim(r.Detail);
        int changed;
        switch (r.Outcome)
        {
            case TransportOutcome.Sent:
                changed = await Update(row.Id, claim, s => s
                    .SetProperty(x => x.Status, OutboxStatus.Sent)
                    .SetProperty(x => x.SentAt, now)
                    .SetProperty(x => x.PlatformMessageId, r.PlatformMessageId)
                    .SetProperty(x => x.ResponseCode, r.ResponseCode)
                    // The error of an earlier failed attempt stays as history unless the success carries its own note.
                    .SetProperty(x => x.LastError, x => detail ?? x.LastError)
                    .SetProperty(x => x.ClaimedBy, (string?)null)
                    .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null));
                break;
            case TransportOutcome.Deferred:
                var notBefore = r.NotBefore ?? now + o.BackoffBase;
                // A 微信客服 row held for the farmer's next message says why it waits.
                var heldReason = notBefore == OutboxMessage.HeldForCustomer ? detail : null;
                changed = await Update(row.Id, claim, s => s
                    .SetProperty(x => x.Status, OutboxStatus.Pending)
                    .SetProperty(x => x.NotBefore, notBefore)
                    .SetProperty(x => x.LastError, x => heldReason ?? x.LastError)
                    .SetProperty(x => x.Attempts, x => x.Attempts - 1)
                    .SetProperty(x => x.ClaimedBy, (string?)null)
                    .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null));
                log.LogDebug("Outbox row {Id} deferred to {NotBefore}: {Reason}", row.Id, notBefore, detail);
                break;
            case TransportOutcome.Retry:
                var max = r.MaxAttempts > 0 ? Math.Min(r.MaxAttempts, o.MaxAttempts) : o.MaxAttempts;
                if (row.Attempts >= max)
                {
                    changed = await MarkDeadAsync(row, claim, $"已尝试{row.Attempts}次仍失败：{detail}");
                    break;
                }

                var retryAt = r.NotBefore ?? now + Backoff(row.Attempts, o);
                changed = await Update(row.Id, claim, s => s
                    .SetProperty(x => x.Status, OutboxStatus.Pending)
                    .SetProperty(x => x.NotBefore, retryAt)
                    .SetProperty(x => x.LastError, detail)
                    .SetProperty(x => x.ClaimedBy, (string?)null)
                    .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null));
                log.LogInformation("Outbox row {Id} attempt {Attempt} failed ({Error}); next at {RetryAt}", row.Id, row.Attempts, detail, retryAt);
                break;
            case TransportOutcome.StopChannel:
                // Not the row's fault: it stays pending (the attempt is not counted) and waits out the open circuit.
                var key = OutboxCircuits.KeyOf(row);
                batch.Stopped[key] = true;
                changed = await Update(row.Id, claim, s => s
                    .SetProperty(x => x.Status, OutboxStatus.Pending)
                    .SetProperty(x => x.Attempts, x => x.Attempts - 1)
                    .SetProperty(x => x.LastError, detail)
                    .SetProperty(x => x.ClaimedBy, (string?)null)
                    .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null));
                if (await circuits.TryOpenAsync(row, r.AlertCode ?? "unknown", detail ?? "") is { } opened)
                {
                    // Alerts about alerts would loop: an alert row only waits like the others.
                    if (!OutboxAlerts.IsAlert(row)) await alerts.RaiseAsync(opened, row);
                }
                else if (batch.Probes.ContainsKey(row.Id))
                {
                    log.LogWarning("Outbox circuit {Key}: probe row {Id} failed again ({Detail}); next probe in {Interval}", key, row.Id, detail, o.CircuitProbeInterval);
                }

                break;
            default:
                changed = await MarkDeadAsync(row, claim, detail);
                break;
        }

        if (changed == 0)
        {
            log.LogWarning("Outbox row {Id}: claim lost before the result ({Outcome}) was recorded", row.Id, r.Outcome);
            return;
        }

        if (r.Outcome == TransportOutcome.Sent && batch.Probes.TryGetValue(row.Id, out var probed)) await circuits.CloseAsync(probed);
        if (row.Channel == OutboundChannel.AppUser && (r.Outcome == TransportOutcome.Sent || r.Undelivered.Count > 0))
        {
            try
            {
                await recipients.ReportAsync(row, r);
            }
            catch (Exception e)
            {
                // The row's own result is recorded; a failure here must not make it look unsent.
                log.LogError(e, "Outbox row {Id}: recording who could not be reached failed", row.Id);
            }
        }
    }

    private async Task<int> MarkDeadAsync(OutboxMessage row, string claim, string? reason)
    {
        var text = Trim(reason) ?? "无法投递";
        var n = await Update(row.Id, claim, s => s
            .SetProperty(x => x.Status, OutboxStatus.Dead)
            .SetProperty(x => x.LastError, text)
            .SetProperty(x => x.ClaimedBy, (string?)null)
            .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null));
        if (n > 0) log.LogWarning("Outbox row {Id} ({Channel}/{Kind}) is dead after {Attempts} attempt(s): {Reason}", row.Id, row.Channel, row.Kind, row.Attempts, text);
        return n;
    }

    /// <summary>Exponential backoff with equal jitter: half the step fixed, half random, capped.</summary>
    public static TimeSpan Backoff(int attempt, OutboxOptions o, double? random = null)
    {
        var step = o.BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(step, o.BackoffCap.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + capped / 2 * (random ?? Random.Shared.NextDouble()));
    }

    /// <summary>Hands back rows claimed but never started (shutdown), without counting an attempt.</summary>
    private async Task ReleaseAsync(string claim, long[] started)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var released = await db.Outbox.Where(x => x.ClaimedBy == claim && x.Status == OutboxStatus.Sending && !started.Contains(x.Id))
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Status, OutboxStatus.Pending)
                .SetProperty(x => x.Attempts, x => x.Attempts - 1)
                .SetProperty(x => x.ClaimedBy, (string?)null)
                .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
        if (released > 0) log.LogInformation("Outbox released {Count} claimed row(s) at shutdown", released);
    }

    private async Task<int> Update(long id, string claim, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<OutboxMessage>> set)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        return await db.Outbox.Where(x => x.Id == id && x.ClaimedBy == claim && x.Status == OutboxStatus.Sending)
            .ExecuteUpdateAsync(set, CancellationToken.None);
    }

    private static string? Trim(string? s) => s is { Length: > 500 } ? s[..500] : s;
}
