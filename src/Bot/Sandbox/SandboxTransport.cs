using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Outbox;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Sandbox;

/// <summary>
/// The sandbox's stand-in for the WeCom API: instead of posting the request body it stores it in the sandbox mailbox
/// (<see cref="BotDb.SandboxMailbox"/>). Recording the same outbox row twice stores it once, so a dispatcher retry is harmless.
/// </summary>
public sealed class SandboxTransport(IServiceScopeFactory scopes, TimeProvider time) : IOutboundTransport
{
    /// <summary>
    /// The outbox dispatcher's transport in sandbox mode: the same WeCom request the production transport would send
    /// (<see cref="WeComOutbound.Build"/>), serialized exactly as the API client serializes it, lands in the mailbox.
    /// </summary>
    public async Task<TransportResult> SendAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        OutboundCall call;
        try { call = WeComOutbound.Build(row); }
        catch (UndeliverableException e) { return TransportResult.Dead(e.Message); }
        var json = call.Request is { } request
            ? JsonSerializer.Serialize(request, request.GetType(), WeComApiClient.JsonOptions)
            : SandboxJson.For(row);
        await RecordAsync(row, json, cancellationToken);
        return TransportResult.Sent($"sandbox-{row.Id}");
    }

    public async Task RecordAsync(OutboxMessage row, string weComJson, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        long? outboxId = row.Id == 0 ? null : row.Id;
        if (outboxId is not null && await db.SandboxMailbox.AnyAsync(m => m.OutboxId == outboxId, ct)) return;
        db.SandboxMailbox.Add(new SandboxMessage
        {
            To = row.Recipient,
            Channel = row.Channel,
            Kind = row.Kind,
            WeComJson = weComJson,
            At = time.GetUtcNow(),
            OutboxId = outboxId,
            TaskId = SandboxJson.TaskIdOf(row),
        });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) when (outboxId is not null)
        {
            // A concurrent delivery of the same row won the unique index: recorded once, as intended.
            if (!await AlreadyRecorded(outboxId.Value, ct)) throw;
        }
    }

    /// <summary>The greyed button a clicker sees at once (WeCom: the passive update_button reply to the click).</summary>
    public async Task RecordClickReplyAsync(string userId, string taskId, string responseCode, string label, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        db.SandboxMailbox.Add(new SandboxMessage
        {
            To = userId,
            Channel = OutboundChannel.AppUser,
            Kind = OutboundKind.CardUpdate,
            WeComJson = SandboxJson.ButtonReplaced(userId, responseCode, label).ToJsonString(SandboxJson.Options),
            At = time.GetUtcNow(),
            TaskId = taskId,
        });
        await db.SaveChangesAsync(ct);
    }

    private async Task<bool> AlreadyRecorded(long outboxId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BotDb>().SandboxMailbox.AnyAsync(m => m.OutboxId == outboxId, ct);
    }
}
