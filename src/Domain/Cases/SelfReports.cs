using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Cases;

/// <summary>
/// The rules around a farmer's self-report (自主申报) that protect the roster and the case list: who may be linked to a
/// household, how many reports and identity checks one sender gets per Beijing day, and which open case a repeat joins.
/// </summary>
public static class SelfReports
{
    /// <summary>Audit action of a failed identity check (no case: the sender was not linked to anything).</summary>
    public const string IdentityCheckFailed = "identity.check_failed";
    /// <summary>Audit action of a report joined to an open case.</summary>
    public const string Joined = "report.joined";

    /// <summary>
    /// The sender belongs to the household: the name given is the head's name on the roster and, when the roster has a
    /// phone, the phone given ends in the same four digits. A household not on the roster never matches.
    /// </summary>
    public static bool Proves(Household? h, string? name, string? phone)
    {
        if (h is null || string.IsNullOrWhiteSpace(name)) return false;
        if (NameKey(h.HeadName) != NameKey(name)) return false;
        if (string.IsNullOrWhiteSpace(h.Phone)) return true;
        var given = LastFour(phone);
        return given is not null && given == LastFour(h.Phone);
    }

    /// <summary>Names compare without blanks and with the middle dot of minority names in any of its forms.</summary>
    private static string NameKey(string s) =>
        string.Concat(s.Where(c => !char.IsWhiteSpace(c))).Replace('•', '·').Replace('．', '·').Replace('.', '·');

    private static string? LastFour(string? phone)
    {
        var digits = string.Concat((phone ?? "").Where(char.IsAsciiDigit));
        return digits.Length >= 4 ? digits[^4..] : null;
    }

    /// <summary>Reports a sender filed on the Beijing day of <paramref name="now"/>: self-reports opened plus reports joined to a case.</summary>
    public static async Task<int> CountTodayAsync(BotDb db, string senderId, DateTimeOffset now, CancellationToken ct = default)
    {
        var start = ChinaTime.StartOfDay(ChinaTime.DateOf(now));
        var opened = await db.Cases.CountAsync(c => c.ReporterId == senderId && c.Channel == Channel.SelfReport && c.CreatedAt >= start, ct);
        var joined = await db.AuditEvents.CountAsync(a => a.Action == Joined && a.Actor == senderId && a.At >= start, ct);
        return opened + joined;
    }

    /// <summary>Identity checks that failed for this sender on the Beijing day of <paramref name="now"/>.</summary>
    public static Task<int> FailedChecksTodayAsync(BotDb db, string senderId, DateTimeOffset now, CancellationToken ct = default)
    {
        var start = ChinaTime.StartOfDay(ChinaTime.DateOf(now));
        return db.AuditEvents.CountAsync(a => a.Action == IdentityCheckFailed && a.Actor == senderId && a.At >= start, ct);
    }

    /// <summary>Audits a failed identity check (masked ID only): the county can see who tries numbers that are not theirs.</summary>
    public static void RecordFailedCheck(BotDb db, Actor sender, string idNumber, DateTimeOffset now) =>
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = sender.Id, ActorRole = sender.Role, Action = IdentityCheckFailed,
            Detail = $"身份核对不符：{Mask.IdNumber(idNumber)}", SourceMessageId = sender.SourceMessageId,
        });

    /// <summary>
    /// The open case a new report joins: the verified household's open case (whoever filed it), else the sender's own open
    /// self-report for the same ID number. An unverified sender never learns of someone else's case.
    /// </summary>
    public static async Task<string?> OpenCaseToJoinAsync(BotDb db, long? verifiedHouseholdId, string senderId, string idNumber, CancellationToken ct = default)
    {
        if (verifiedHouseholdId is { } h
            && await db.Cases.Where(c => c.HouseholdId == h && c.State != CaseState.Closed).OrderBy(c => c.Id).Select(c => c.Number).FirstOrDefaultAsync(ct) is { } number)
            return number;
        return await db.Cases.Where(c => c.ReporterId == senderId && c.Channel == Channel.SelfReport && c.ApplicantIdNumber == idNumber && c.State != CaseState.Closed)
            .OrderBy(c => c.Id).Select(c => c.Number).FirstOrDefaultAsync(ct);
    }
}
