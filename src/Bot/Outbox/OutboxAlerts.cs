using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Outbox;

/// <summary>
/// Tells the county office (Staff with role CountyOffice) that sending stopped on a configuration or permission error.
/// At most one alert per error code per clock hour per person: the alert row's unique dedupe key says so, across
/// restarts and instances. Alert rows never raise alerts themselves.
/// </summary>
public sealed class OutboxAlerts(IServiceScopeFactory scopes, TimeProvider time, ILogger<OutboxAlerts> log)
{
    public const string DedupePrefix = "alert:outbox:";

    public static bool IsAlert(OutboxMessage row) => row.DedupeKey?.StartsWith(DedupePrefix, StringComparison.Ordinal) == true;

    /// <summary>Writes one text row per county-office member unless this code was already alerted this hour.</summary>
    public async Task RaiseAsync(string code, string reason, OutboxMessage failed)
    {
        var now = time.GetUtcNow();
        var hour = now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var office = await db.Staff.AsNoTracking().Where(s => s.Role == StaffRole.CountyOffice && s.Active).Select(s => s.UserId).ToListAsync();
        log.LogCritical("WeCom sending stopped on code {Code}: {Reason} (row {Id}, {Channel} to {Recipient})",
            code, reason, failed.Id, failed.Channel, LogMask.Id(failed.Recipient));
        if (office.Count == 0)
        {
            log.LogCritical("No active county-office staff to alert about code {Code}", code);
            return;
        }

        var text = $"【系统告警】企业微信发送失败，错误码 {code}：{reason}。消息#{failed.Id}（{ChannelName(failed.Channel)}，接收方 {LogMask.Id(failed.Recipient)}）已停止发送。"
                   + "请检查应用 Secret、企业可信IP、应用可见范围或群机器人设置；同一错误一小时内只提醒一次。";
        foreach (var userId in office)
        {
            var key = $"{DedupePrefix}{code}:{hour}:{userId}";
            if (await db.Outbox.AnyAsync(x => x.DedupeKey == key)) continue;
            db.Outbox.Add(new OutboxMessage
            {
                Channel = OutboundChannel.AppUser,
                Recipient = userId,
                Kind = OutboundKind.Text,
                Payload = OutboundPayload.Serialize(new TextBody(text)),
                CreatedAt = now,
                NotBefore = now,
                DedupeKey = key,
            });
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
