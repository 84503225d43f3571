using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Timelines;
using Microsoft.Extensions.Options;

namespace RapidResponse.Scheduler;

/// <summary>Where a message goes: a userid 1:1, an app group chat or a group-robot webhook.</summary>
public sealed record Target(OutboundChannel Channel, string Recipient)
{
    public static Target User(string userId) => new(OutboundChannel.AppUser, userId);

    /// <summary>An app group chat when the binding has a chat_id, else its webhook; null when it has neither.</summary>
    public static Target? Of(GroupBinding? g) =>
        g is null ? null
        : !string.IsNullOrWhiteSpace(g.ChatId) ? new(OutboundChannel.AppChat, g.ChatId)
        : !string.IsNullOrWhiteSpace(g.WebhookKey) ? new(OutboundChannel.Webhook, g.WebhookKey)
        : null;

    /// <summary>WeCom markdown limit of the channel in UTF-8 bytes: 4096 for a webhook, 2048 for an app chat or 1:1.</summary>
    public int MarkdownLimitBytes => Channel == OutboundChannel.Webhook ? 4096 : 2048;
}

/// <summary>Builds outbox rows; the caller adds them to the same SaveChanges as the change that caused them.</summary>
public static class Outbound
{
    public static OutboxMessage Text(Target to, string content, IReadOnlyList<string>? mentions, string dedupeKey, DateTimeOffset now) => new()
    {
        Channel = to.Channel, Recipient = to.Recipient, Kind = OutboundKind.Text,
        Payload = OutboundPayload.Serialize(new TextBody(content, mentions is { Count: > 0 } ? mentions : null)),
        CreatedAt = now, NotBefore = now, DedupeKey = dedupeKey,
    };

    public static OutboxMessage Markdown(Target to, string content, string dedupeKey, DateTimeOffset now) => new()
    {
        Channel = to.Channel, Recipient = to.Recipient, Kind = OutboundKind.Markdown,
        Payload = OutboundPayload.Serialize(new MarkdownBody(content)),
        CreatedAt = now, NotBefore = now, DedupeKey = dedupeKey,
    };

    /// <summary>An image (or file) message whose bytes are <paramref name="media"/> (<see cref="OutboundMedia.StoreAsync"/>), saved with the row.</summary>
    public static OutboxMessage Media(Target to, OutboundMedia media, string dedupeKey, DateTimeOffset now) => new()
    {
        Channel = to.Channel, Recipient = to.Recipient, Kind = media.Kind == MediaKind.Image ? OutboundKind.Image : OutboundKind.File,
        Payload = OutboundPayload.Serialize(new MediaBody(media.FileName)), Media = media,
        CreatedAt = now, NotBefore = now, DedupeKey = dedupeKey,
    };

    /// <summary>Group bindings keyed by region and purpose (a small table, read once per run).</summary>
    public static async Task<Dictionary<(string Region, GroupPurpose Purpose), GroupBinding>> GroupsAsync(BotDb db, CancellationToken ct) =>
        (await db.Groups.AsNoTracking().ToListAsync(ct)).GroupBy(g => (g.RegionCode, g.Purpose)).ToDictionary(g => g.Key, g => g.First());
}

/// <summary>When nags, escalations and reminders may go out: working hours on a working day, never in quiet hours.</summary>
public sealed class SendWindow(IOptions<SchedulerOptions> options, WorkingCalendar calendar)
{
    public WorkingHours HoursFor(TimelineProfile profile)
    {
        var o = options.Value;
        return o.WorkingHoursStart is { } s && o.WorkingHoursEnd is { } e
            ? profile.Hours with { Start = s, End = e }
            : profile.Hours;
    }

    public bool IsOpen(DateTimeOffset now, WorkingHours hours) =>
        LadderPlanner.IsWithinWorkingHours(now, hours, calendar) && !IsQuiet(now);

    public bool IsQuiet(DateTimeOffset now) => options.Value.IsQuiet(ChinaTime.TimeOf(now));

    /// <summary>
    /// For a daily job with its own time of day (bulletins, duty reminders): open in working hours on a working day, and also in
    /// the ten minutes from <paramref name="slot"/> on a working day (so a slot configured outside working hours still posts);
    /// never in quiet hours. A run outside this — a start-up at 03:40 — leaves the work to the next slot.
    /// </summary>
    public bool IsOpenForSlot(DateTimeOffset now, WorkingHours hours, TimeOnly slot)
    {
        if (IsQuiet(now)) return false;
        if (LadderPlanner.IsWithinWorkingHours(now, hours, calendar)) return true;
        var t = ChinaTime.TimeOf(now);
        return calendar.IsWorkingDay(ChinaTime.DateOf(now)) && t >= slot && t < slot.AddMinutes(10);
    }
}
