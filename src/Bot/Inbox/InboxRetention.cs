using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.Conversations;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;

namespace RapidResponse.Bot.Inbox;

/// <summary>The <c>Privacy</c> section: how long inbound messages are kept.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>Inbound messages (already redacted once processed) are deleted this long after they arrived.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the retention job looks for messages past <see cref="InboxRetention"/> (on the app's clock).</summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Reports every bad Privacy setting at once.</summary>
public sealed class PrivacyOptionsValidator : IValidateOptions<PrivacyOptions>
{
    /// <summary>The longest wait a .NET timer takes (about 49.7 days), rounded down.</summary>
    public static readonly TimeSpan MaxSweepInterval = TimeSpan.FromDays(49);

    public ValidateOptionsResult Validate(string? name, PrivacyOptions o)
    {
        var problems = new List<string>();
        if (o.InboxRetention < TimeSpan.FromDays(1))
            problems.Add("Privacy:InboxRetention must be at least 1.00:00:00 (one day), e.g. 30.00:00:00; messages still being worked must not vanish.");
        if (o.RetentionSweepInterval <= TimeSpan.Zero)
            problems.Add("Privacy:RetentionSweepInterval must be positive, e.g. 01:00:00.");
        else if (o.RetentionSweepInterval > MaxSweepInterval) // a longer timer throws, and the failing job stopped the host
            problems.Add($"Privacy:RetentionSweepInterval must be at most {MaxSweepInterval} (a timer's limit), e.g. 1.00:00:00.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>
/// Personal data kept no longer than needed: a processed message's payload is redacted at once (<see cref="Redact"/>,
/// called where it is marked processed), and every message that is no longer pending is deleted
/// <see cref="PrivacyOptions.InboxRetention"/> after it arrived — a loop on the app's clock, every
/// <see cref="PrivacyOptions.RetentionSweepInterval"/>. Pending messages are never deleted: they are not handled yet.
/// </summary>
public sealed class InboxRetention(IServiceScopeFactory scopes, InboxWriteGate writeGate, IOptions<PrivacyOptions> options, TimeProvider time,
    ILogger<InboxRetention> log) : BackgroundService
{
    /// <summary>Rows deleted per transaction, so the callbacks' acknowledgements never wait long for the write gate.</summary>
    private const int Batch = 500;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await PurgeAsync(stop);
                await Task.Delay(options.Value.RetentionSweepInterval, time, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.LogError(e, "Inbox retention sweep failed; trying again at the next interval");
                try { await Task.Delay(options.Value.RetentionSweepInterval, time, stop); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Deletes every non-pending message that arrived more than the retention before now; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct = default)
    {
        var cutoff = time.GetUtcNow() - options.Value.InboxRetention;
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            var ids = await db.Inbox.AsNoTracking().Where(x => x.ReceivedAt < cutoff && x.Status != InboxStatus.Pending)
                .OrderBy(x => x.Id).Select(x => x.Id).Take(Batch).ToListAsync(ct);
            if (ids.Count == 0) break;
            using (await writeGate.EnterAsync(ct))
                total += await db.Inbox.Where(x => ids.Contains(x.Id)).ExecuteDeleteAsync(ct);
            if (ids.Count < Batch) break;
        }
        if (total > 0) log.LogInformation("Inbox retention: deleted {Count} messages received before {Cutoff:O}", total, cutoff);
        return total;
    }

    /// <summary>
    /// A processed message's payload with every ID and phone number masked: the words people typed are the only free
    /// text of an inbound message; sender, ids and keys stay as they are (dedupe, the 微信客服 account of a later notice).
    /// </summary>
    public static string Redact(string payload)
    {
        try
        {
            var m = JsonSerializer.Deserialize<Inbound>(payload, InboxWriter.Json);
            if (m is not null) return JsonSerializer.Serialize(m with { Text = m.Text is null ? null : Mask.Text(m.Text) }, InboxWriter.Json);
        }
        catch (JsonException) { }
        return Mask.Text(payload); // not an Inbound (an older or foreign row): mask the whole text
    }
}
