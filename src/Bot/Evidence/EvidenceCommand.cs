using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Conversations.Access;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Evidence;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Evidence;

/// <summary>
/// "材料 编号": a case's evidence back in chat, to staff who may see the case (<see cref="Jurisdiction.CanView"/>): a list,
/// then each photo as an image message and each file or voice message as a file message, through the outbox (uploaded with
/// media/upload when sent). Everyone else is refused with the reason.
/// </summary>
public sealed class EvidenceCommand(BotDb db, CaseWorkflow workflow, Jurisdiction access, Messenger messenger, MediaStore store, TimeProvider time)
{
    /// <summary>At most this many files per request: a chat is no archive (the console shows them all).</summary>
    public const int MaxFiles = 9;

    public async Task SendAsync(Inbound m, Staff s, string number, CancellationToken ct)
    {
        var c = await workflow.LoadAsync(number, ct);
        if (c is null) { messenger.Reply(m, "staff.case_missing", new { Number = number }); return; }
        var may = await access.CanView(s, c, ct);
        if (!may.Allowed) { messenger.ReplyText(m, may.Reason); return; }
        var items = await db.Evidence.AsNoTracking().Where(e => e.CaseId == c.Id && e.Status == EvidenceStatus.Stored).OrderBy(e => e.Id).ToListAsync(ct);
        var staff = await db.Staff.AsNoTracking().ToDictionaryAsync(x => x.UserId, x => x.Name, ct);
        messenger.Reply(m, "evidence.list", new
        {
            c.Number,
            Count = items.Count,
            More = Math.Max(0, items.Count - MaxFiles),
            Items = items.Take(MaxFiles).Select((e, i) => new
            {
                No = i + 1,
                Kind = EvidenceItem.Name(e.Kind),
                At = ChinaTime.ToLocal(e.ReceivedAt).ToString("M月d日HH:mm"),
                From = e.Channel == InboundChannel.Kf ? "农户" : staff.GetValueOrDefault(e.SenderId, "工作人员"),
                Note = e.Note is null ? null : Mask.Text(e.Note),
            }).ToList(),
        });
        var now = time.GetUtcNow();
        foreach (var e in items.Take(MaxFiles))
        {
            var bytes = await store.ReadAsync(db, e.Sha256!, ct);
            if (bytes is null) { messenger.ReplyText(m, $"材料{e.Id}的文件不在存储里了，请联系县级办公室检查。"); continue; }
            var image = e.Kind == EvidenceKind.Image;
            var media = await OutboundMedia.StoreAsync(db, image ? MediaKind.Image : MediaKind.File, Admin.EvidenceEndpoints.FileName(e), bytes, now, ct);
            db.Outbox.Add(new OutboxMessage
            {
                Channel = OutboundChannel.AppUser, Recipient = s.UserId, Kind = image ? OutboundKind.Image : OutboundKind.File,
                Payload = OutboundPayload.Serialize(new MediaBody(media.FileName)), Media = media, CreatedAt = now, NotBefore = now,
            });
        }

        db.AuditEvents.Add(new Domain.Audit.AuditEvent
        {
            CaseId = c.Id, At = now, Actor = s.UserId, ActorRole = s.Role.ToString(), Action = "evidence.viewed",
            Detail = $"{s.Name}在聊天中查看了{Math.Min(items.Count, MaxFiles)}份材料", SourceMessageId = m.MessageId,
        });
    }
}
