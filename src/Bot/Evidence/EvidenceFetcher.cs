using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Outbox;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Domain.Evidence;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Evidence;

/// <summary>
/// Downloads evidence with <c>media/get</c> under the outbox's discipline: each <see cref="EvidenceItem"/> is a durable job,
/// claimed with a conditional UPDATE (so two instances never fetch the same one), retried with the outbox's backoff
/// (<see cref="OutboxDispatcher.Backoff"/>, <see cref="OutboxOptions"/>) on what <see cref="WeComRetryPolicy"/> calls
/// transient, and finished in one save: the stored file's row, its audit event and the answer to the sender. Too large or
/// of a type not taken: refused, nothing stored. An expired media id (40007: media live 3 days) or tries used up: the sender
/// is asked to send it again.
/// </summary>
public sealed class EvidenceFetcher(IServiceScopeFactory scopes, WeComApiClient client, IOptions<OutboxOptions> outbox, TimeProvider time,
    ILogger<EvidenceFetcher> log) : BackgroundService
{
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}"[..^24];

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var worked = 0;
            try
            {
                worked = await FetchOnceAsync(stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                log.LogError(e, "Evidence download loop failed; retrying");
            }

            if (worked > 0) continue;
            try
            {
                await Task.Delay(outbox.Value.PollInterval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Works the due downloads (at most 20); returns how many were tried.</summary>
    public async Task<int> FetchOnceAsync(CancellationToken ct)
    {
        List<long> due;
        var now = time.GetUtcNow();
        await using (var scope = scopes.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<BotDb>().Evidence.AsNoTracking()
                .Where(x => x.Status == EvidenceStatus.Pending && x.NextAttemptAt <= now && (x.ClaimedUntil == null || x.ClaimedUntil < now))
                .OrderBy(x => x.Id).Select(x => x.Id).Take(20).ToListAsync(ct);
        }

        var tried = 0;
        foreach (var id in due)
        {
            if (ct.IsCancellationRequested) break;
            if (await TryClaimAsync(id)) { tried++; await FetchAsync(id); }
        }

        return tried;
    }

    private async Task<bool> TryClaimAsync(long id)
    {
        var now = time.GetUtcNow();
        var until = now + outbox.Value.ClaimDuration;
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BotDb>().Evidence
            .Where(x => x.Id == id && x.Status == EvidenceStatus.Pending && (x.ClaimedUntil == null || x.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ClaimedBy, _instance).SetProperty(x => x.ClaimedUntil, until).SetProperty(x => x.Attempts, x => x.Attempts + 1),
                CancellationToken.None) == 1;
    }

    private async Task FetchAsync(long id)
    {
        EvidenceItem item;
        await using (var scope = scopes.CreateAsyncScope())
            item = await scope.ServiceProvider.GetRequiredService<BotDb>().Evidence.AsNoTracking().FirstAsync(x => x.Id == id);

        MediaFile? file = null;
        Exception? error = null;
        try
        {
            // Not cancelled by shutdown: the claim runs out and another try follows.
            var credential = item.Channel == InboundChannel.Kf ? WeComCredential.KfToken : WeComCredential.AppToken;
            file = await client.DownloadAsync(new MediaGetRequest(item.MediaId, credential), EvidenceRules.MaxBytes(item.Kind), CancellationToken.None);
        }
        catch (Exception e)
        {
            error = e;
        }

        await using var work = scopes.CreateAsyncScope();
        var db = work.ServiceProvider.GetRequiredService<BotDb>();
        var row = await db.Evidence.FirstAsync(x => x.Id == id);
        if (row.ClaimedBy != _instance || row.Status != EvidenceStatus.Pending) return; // taken over after our claim ran out
        row.ClaimedBy = null;
        row.ClaimedUntil = null;
        var messenger = work.ServiceProvider.GetRequiredService<Messenger>();
        var now = time.GetUtcNow();
        if (file is not null) await FinishAsync(db, messenger, work.ServiceProvider.GetRequiredService<MediaStore>(), row, file, now);
        else Fail(messenger, row, error!, now);
        await db.SaveChangesAsync();
    }

    private async Task FinishAsync(BotDb db, Messenger messenger, MediaStore store, EvidenceItem row, MediaFile file, DateTimeOffset now)
    {
        var kind = EvidenceItem.Name(row.Kind);
        row.ContentType = file.ContentType;
        row.FileName ??= file.FileName;
        row.Size = file.Size;
        if (file.TooLarge)
        {
            row.Status = EvidenceStatus.Refused;
            row.LastError = $"超过大小限制（{EvidenceRules.Size(file.Size)}，上限{EvidenceRules.Size(EvidenceRules.MaxBytes(row.Kind))}）";
            var limit = EvidenceRules.Size(EvidenceRules.MaxBytes(row.Kind));
            // Just over the limit rounds to the limit itself: "超过20MB", not "20MB, the limit is 20MB".
            var size = EvidenceRules.Size(file.Size) is var shown && shown == limit ? "超过" + limit : shown;
            Tell(messenger, row, "evidence.too_large", new { Kind = kind, Size = size, Limit = limit });
            return;
        }

        if (EvidenceRules.Refusal(row.Kind, file.ContentType, row.FileName) is { } what)
        {
            row.Status = EvidenceStatus.Refused;
            row.LastError = $"不收这种文件（{what}）";
            Tell(messenger, row, "evidence.wrong_type", new { Kind = kind, Type = what });
            return;
        }

        row.Sha256 = await store.PutAsync(db, file.Bytes, now, CancellationToken.None);
        row.Status = EvidenceStatus.Stored;
        row.StoredAt = now;
        row.LastError = null;
        var number = row.CaseId is { } c ? await db.Cases.Where(x => x.Id == c).Select(x => x.Number).FirstOrDefaultAsync() : null;
        if (row.CaseId is not null) db.AuditEvents.Add(EvidenceIntake.Added(row, now));
        var voice = row.Kind == EvidenceKind.Voice;
        if (voice && number is not null)
        {
            // The next line the sender writes is kept as the voice message's gist (EvidenceIntake.TryTakeNoteAsync).
            var key = EvidenceIntake.NoteKey(row.Channel, row.SenderId);
            var entry = await db.KeyValues.FirstOrDefaultAsync(x => x.Key == key);
            if (entry is null) db.KeyValues.Add(entry = new KeyValueEntry { Key = key, Value = "" });
            entry.Value = row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            entry.UpdatedAt = now;
            entry.ExpiresAt = now.AddDays(1);
            entry.Version++;
        }

        Tell(messenger, row, number is null ? "evidence.received_form" : "evidence.received", new { Kind = kind, Number = number, Voice = voice });
    }

    private void Fail(Messenger messenger, EvidenceItem row, Exception e, DateTimeOffset now)
    {
        var decision = WeComRetryPolicy.Classify(e);
        var o = outbox.Value;
        var expired = e is WeComApiException { ErrCode: 40007 };
        var detail = e is WeComApiException api ? $"企业微信 {api.ErrCode}：{api.Message}" : $"{e.GetType().Name}：{e.Message}";
        row.LastError = detail.Length > 500 ? detail[..500] : detail;
        var max = decision.MaxAttempts > 0 ? Math.Min(decision.MaxAttempts, o.MaxAttempts) : o.MaxAttempts;
        switch (decision.Action)
        {
            case RetryAction.StopAndAlert when !expired:
                // The setup is wrong (secret, 企业可信IP): not the file's fault; it waits without counting a try (media live 3 days).
                row.Attempts--;
                row.NextAttemptAt = now + o.BackoffCap;
                log.LogWarning("Evidence {Id}: media/get stopped by configuration ({Detail}); next try at {At}", row.Id, detail, row.NextAttemptAt);
                return;
            case RetryAction.RetryWithBackoff or RetryAction.WaitBlockPeriod or RetryAction.InvalidateTokenAndRetryOnce when !expired && row.Attempts < max:
                row.NextAttemptAt = now + (decision.Delay ?? OutboxDispatcher.Backoff(row.Attempts, o));
                log.LogInformation("Evidence {Id}: media/get try {Attempt} failed ({Detail}); next at {At}", row.Id, row.Attempts, detail, row.NextAttemptAt);
                return;
        }

        row.Status = EvidenceStatus.Failed;
        row.NextAttemptAt = null;
        log.LogWarning("Evidence {Id}: media/get failed for good after {Attempts} try(s): {Detail}", row.Id, row.Attempts, detail);
        Tell(messenger, row, "evidence.failed", new { Kind = EvidenceItem.Name(row.Kind), Expired = expired });
    }

    /// <summary>The answer to what the sender sent (an answer, so two alike — two photos — both arrive).</summary>
    private static void Tell(Messenger messenger, EvidenceItem row, string template, object model) =>
        messenger.Reply(new Inbound(row.Channel, row.SenderId, row.SourceMessageId ?? "", InboundKind.Media, row.ReceivedAt, OpenKfId: row.OpenKfId), template, model);
}
