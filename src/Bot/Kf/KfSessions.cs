using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Kf;

/// <summary>
/// Moves a 微信客服 session the bot answers to service_state 1 (由智能助手接待, §5.5) once. A session known to be in state 1 is
/// remembered in a key/value cell ("kf:state:{open_kfid}:{external_userid}") until a session_status_change says otherwise or
/// the memory expires; otherwise the state is read first, and a session a human holds (2, 3) is left alone.
/// </summary>
public sealed class KfSessions(IServiceScopeFactory scopes, WeComApiClient client, TimeProvider time, ILogger<KfSessions> log)
{
    /// <summary>Sessions end by themselves; after this long the state is read again before trusting the memory.</summary>
    public static readonly TimeSpan Remember = TimeSpan.FromHours(12);

    public static string Key(string openKfId, string externalUserId) => $"kf:state:{openKfId}:{externalUserId}";

    public async Task EnsureBotHandlesAsync(string openKfId, string externalUserId, CancellationToken ct)
    {
        var key = Key(openKfId, externalUserId);
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        if (await db.KeyValues.AnyAsync(x => x.Key == key && x.ExpiresAt > now, ct)) return;

        try
        {
            var state = await client.SendAsync(new KfServiceStateGetRequest { OpenKfId = openKfId, ExternalUserId = externalUserId }, ct);
            switch (state.ServiceState)
            {
                case KfServiceState.Unhandled:
                    await client.SendAsync(new KfServiceStateTransRequest
                    {
                        OpenKfId = openKfId, ExternalUserId = externalUserId, ServiceState = KfServiceState.SmartAssistant,
                    }, ct);
                    log.LogInformation("微信客服 session of {User} moved to state 1 (智能助手接待)", LogMask.Id(externalUserId));
                    break;
                case KfServiceState.SmartAssistant:
                    break;
                default:
                    log.LogInformation("微信客服 session of {User} is in state {State}; left to the human servicer", LogMask.Id(externalUserId), state.ServiceState);
                    return;
            }
        }
        catch (WeComApiException e)
        {
            // The message is stored either way; a failed transition only means WeCom may route the session elsewhere.
            log.LogWarning("微信客服 session state of {User} not changed: errcode {Code}", LogMask.Id(externalUserId), e.ErrCode);
            return;
        }

        var entry = await db.KeyValues.FirstOrDefaultAsync(x => x.Key == key, ct);
        if (entry is null) db.KeyValues.Add(entry = new KeyValueEntry { Key = key, Value = "1" });
        entry.Value = "1";
        entry.UpdatedAt = now;
        entry.ExpiresAt = now + Remember;
        entry.Version++;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The session changed hands or ended: read the state again next time.</summary>
    public async Task ForgetAsync(string openKfId, string externalUserId, CancellationToken ct)
    {
        var key = Key(openKfId, externalUserId);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BotDb>().KeyValues.Where(x => x.Key == key).ExecuteDeleteAsync(ct);
    }
}
