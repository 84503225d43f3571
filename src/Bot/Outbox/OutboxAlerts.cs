using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Templates;

namespace RapidResponse.Bot.Outbox;

/// <summary>
/// Tells the county office (Staff with role CountyOffice) that sending stopped on a configuration or permission error.
/// Once per opening of a circuit per person: the alert row's unique dedupe key says so, across restarts and instances
/// (and only the instance that opened the circuit raises it). Alert rows never raise alerts themselves.
/// </summary>
public sealed class OutboxAlerts(IServiceScopeFactory scopes, TemplateRenderer templates, TimeProvider time, ILogger<OutboxAlerts> log)
{
    public const string DedupePrefix = "alert:outbox:";

    public static bool IsAlert(OutboxMessage row) => row.DedupeKey?.StartsWith(DedupePrefix, StringComparison.Ordinal) == true;

    /// <summary>Writes one text row per county-office member for this opening of the circuit.</summary>
    public async Task RaiseAsync(OpenCircuit circuit, OutboxMessage failed)
    {
        var now = time.GetUtcNow();
        var code = circuit.Code;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var office = await db.Staff.AsNoTracking().Where(s => s.Role == StaffRole.CountyOffice && s.Active).Select(s => s.UserId).ToListAsync();
        log.LogCritical("WeCom sending stopped on {Channel}, code {Code}: {Reason} (row {Id} to {Recipient}); fix: {Fix}",
            circuit.Key, code, circuit.Reason, failed.Id, LogMask.Id(failed.Recipient), circuit.Fix);
        if (office.Count == 0)
        {
            log.LogCritical("No active county-office staff to alert about code {Code}", code);
            return;
        }

        var text = templates.Render("outbox.circuit_open", new
        {
            Code = code, circuit.Reason, circuit.Channel, failed.Id, Recipient = LogMask.Id(failed.Recipient), circuit.Fix,
        });
        foreach (var userId in office)
        {
            var key = $"{DedupePrefix}{code}:{circuit.Key}:{circuit.Opening}:{userId}";
            if (await db.Outbox.AnyAsync(x => x.DedupeKey == key)) continue;
            db.Outbox.Add(Outbound.Text(Target.User(userId), text, null, key, now));
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateException)
            {
                // Another dispatcher wrote the same alert first: the unique key did its job.
                db.ChangeTracker.Clear();
            }
        }
    }

    public static string ChannelName(OutboundChannel c) => c switch
    {
        OutboundChannel.AppUser => "应用消息",
        OutboundChannel.Kf => "微信客服",
        OutboundChannel.AppChat => "应用群聊",
        OutboundChannel.Webhook => "群机器人",
        _ => c.ToString(),
    };
}
