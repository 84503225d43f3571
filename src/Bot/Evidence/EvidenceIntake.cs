using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Conversations.Alerts;
using RapidResponse.Bot.Conversations.Reports;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Evidence;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Evidence;

/// <summary>
/// A photo, voice message or file arrived: it goes with the sender's open form (申报, 预警) or else their latest open case,
/// and a download job is queued (<see cref="EvidenceFetcher"/>, which answers once the file is stored). With neither, the
/// sender is told and nothing is kept. After a voice message the sender's next line of text is kept as its gist.
/// </summary>
public sealed class EvidenceIntake(BotDb db, FormStore forms, Messenger messenger, TimeProvider time)
{
    public static string NoteKey(InboundChannel channel, string sender) => $"evidence:note:{(int)channel}:{sender}";

    public static EvidenceKind? KindOf(string? mediaType) => mediaType switch
    {
        "image" => EvidenceKind.Image, "voice" => EvidenceKind.Voice, "file" => EvidenceKind.File, _ => null,
    };

    /// <summary>Queues the media for download, attached to the open form or the latest open case; false when there is neither.</summary>
    public async Task<bool> ReceiveAsync(Inbound m, Staff? staff, CancellationToken ct)
    {
        var kind = KindOf(m.MediaType) ?? EvidenceKind.File;
        var state = await forms.FindAsync(m, ct);
        var formKey = state?.Form is ReportFlow.FormName or AlertFlow.FormName ? FormStore.KeyOf(m) : null;
        var caseId = formKey is null ? await LatestOpenCaseAsync(m.SenderId, ct) : null;
        if (formKey is null && caseId is null)
        {
            messenger.Reply(m, "evidence.no_case", new { Kind = EvidenceItem.Name(kind), Staff = staff is not null });
            return false;
        }

        var now = time.GetUtcNow();
        db.Evidence.Add(new EvidenceItem
        {
            CaseId = caseId, FormKey = formKey, Kind = kind, Channel = m.Channel, SenderId = m.SenderId, OpenKfId = m.OpenKfId,
            MediaId = m.MediaId ?? "", SourceMessageId = m.MessageId, FileName = m.FileName, ReceivedAt = now, NextAttemptAt = now,
        });
        return true;
    }

    /// <summary>
    /// The latest open case the sender took part in: filed, joined or worked on (their name on its audit trail). A farmer's
    /// own reports and a cadre's cases alike.
    /// </summary>
    private async Task<long?> LatestOpenCaseAsync(string sender, CancellationToken ct) =>
        await (from a in db.AuditEvents.AsNoTracking()
               join c in db.Cases.AsNoTracking() on a.CaseId equals c.Id
               where a.Actor == sender && c.State != CaseState.Closed
               orderby a.Id descending
               select (long?)c.Id).FirstOrDefaultAsync(ct);

    /// <summary>
    /// The form became a case (or joined one): its evidence goes with the case, audited. Called by the flows that submit,
    /// before the case is saved, so the evidence and the case are saved together.
    /// </summary>
    public static async Task AdoptAsync(BotDb db, Inbound m, Case c, DateTimeOffset now, CancellationToken ct)
    {
        var key = FormStore.KeyOf(m);
        var items = await db.Evidence.Where(x => x.FormKey == key && x.CaseId == null).ToListAsync(ct);
        foreach (var e in items)
        {
            e.Case = c;
            e.FormKey = null;
            if (e.Status == EvidenceStatus.Stored) c.Audit.Add(Added(e, now));
        }
    }

    /// <summary>A new form starts: evidence of an earlier form that was never submitted stays out of it.</summary>
    public static Task ForgetFormAsync(BotDb db, Inbound m, CancellationToken ct)
    {
        var key = FormStore.KeyOf(m);
        return db.Evidence.Where(x => x.FormKey == key && x.CaseId == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.FormKey, (string?)null), ct);
    }

    public static AuditEvent Added(EvidenceItem e, DateTimeOffset at) => new()
    {
        CaseId = e.CaseId, At = at, Actor = e.SenderId, ActorRole = e.Channel == InboundChannel.Kf ? "farmer" : "sender", Action = "evidence.added",
        Detail = $"{EvidenceItem.Name(e.Kind)}（材料{e.Id}，{EvidenceRules.Size(e.Size)}{(e.FileName is { Length: > 0 } n ? "，" + Mask.Text(n) : "")}）",
        SourceMessageId = e.SourceMessageId,
    };

    /// <summary>
    /// The line of text a voice message asked for: kept as the voice's note when the sender has no form open and the text is
    /// no command (<paramref name="isCommand"/>). Any text ends the wait.
    /// </summary>
    public async Task<bool> TryTakeNoteAsync(Inbound m, string text, bool isCommand, CancellationToken ct)
    {
        var key = NoteKey(m.Channel, m.SenderId);
        var entry = await db.KeyValues.FirstOrDefaultAsync(x => x.Key == key, ct);
        if (entry is null) return false;
        db.KeyValues.Remove(entry);
        var now = time.GetUtcNow();
        if (isCommand || text.Length < 2 || entry.ExpiresAt < now || !long.TryParse(entry.Value, out var id)) return false;
        var item = await db.Evidence.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (item is null) return false;
        item.Note = text.Length > 500 ? text[..500] : text;
        var number = item.CaseId is { } c ? await db.Cases.Where(x => x.Id == c).Select(x => x.Number).FirstOrDefaultAsync(ct) : null;
        if (item.CaseId is not null)
            db.AuditEvents.Add(new AuditEvent
            {
                CaseId = item.CaseId, At = now, Actor = m.SenderId, ActorRole = m.Channel == InboundChannel.Kf ? "farmer" : "sender", Action = "evidence.note",
                Detail = $"语音（材料{item.Id}）的文字说明：{Mask.Text(item.Note)}", SourceMessageId = m.MessageId,
            });
        messenger.Reply(m, "evidence.note_saved", new { Number = number });
        return true;
    }
}
