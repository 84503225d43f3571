using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Privacy;

namespace RapidResponse.Domain.Bulletins;

/// <summary>
/// The county office's record that a listed 约谈 took place (云龙 责任追溯 四(三)), from the admin API or the 约谈 command:
/// one place that checks it and writes the audit event.
/// </summary>
public static class InterviewRecords
{
    /// <summary>Who interviews by the rule when the record names nobody: the county's 分管领导, or its 主要领导 the second time in a row.</summary>
    public static string DefaultInterviewer(InterviewLevel level) => level == InterviewLevel.Principal ? "县委、县政府主要领导" : "县委、县政府分管领导";

    public static string LevelName(InterviewLevel level) => level == InterviewLevel.Principal ? "主要领导" : "分管领导";

    /// <summary>What is wrong with the record (field → plain-Chinese problem); empty when it can be written.</summary>
    public static Dictionary<string, string> Problems(InterviewListing l, string? heldBy, DateTimeOffset? heldAt, string? recordedBy, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(heldBy)) errors["heldBy"] = "请填写约谈人（heldBy），例如：县政府副县长李四";
        if (string.IsNullOrWhiteSpace(recordedBy)) errors["recordedBy"] = "请填写登记人（recordedBy），例如：县乡村振兴局张三";
        if (heldAt is { } at && (at > now || at < l.ListedAt))
            errors["heldAt"] = $"约谈时间应在列入名单（{Calendar.ChinaTime.ToLocal(l.ListedAt):yyyy-MM-dd HH:mm}）之后、不晚于现在";
        if (l.HeldAt is not null) errors["id"] = $"这次约谈已于{Calendar.ChinaTime.ToLocal(l.HeldAt.Value):yyyy-MM-dd HH:mm}登记";
        return errors;
    }

    /// <summary>Writes the record and its audit event (the caller checked <see cref="Problems"/> and saves).</summary>
    public static void Record(Persistence.BotDb db, InterviewListing l, string heldBy, DateTimeOffset heldAt, string? note, string recordedBy, string role,
        string? sourceMessageId, DateTimeOffset now)
    {
        l.HeldAt = heldAt;
        l.HeldBy = heldBy.Trim();
        l.HeldNote = string.IsNullOrWhiteSpace(note) ? null : Mask.Text(note.Trim());
        l.RecordedAt = now;
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = recordedBy.Trim(), ActorRole = role, Action = "interview.held", SourceMessageId = sourceMessageId,
            Detail = $"{l.Period} {l.UnitName}（{LevelName(l.Level)}）已约谈，约谈人：{l.HeldBy}{(l.HeldNote is null ? "" : "；" + l.HeldNote)}",
        });
    }
}
