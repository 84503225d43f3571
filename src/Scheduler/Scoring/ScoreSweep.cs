using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Scoring;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Scheduler.Scoring;

/// <summary>
/// Inside the deadline sweep: creates the automatic late-comparison deductions (附件3 ②, one per case and department, once the
/// deadline has passed) as 待核实 with a 佐证核实 card to the department's officers, and verifies pending items whose 2 working
/// days passed without a contest (附件3 ①). New items and their cards wait for the send window (working hours, no quiet hours).
/// </summary>
public sealed class ScoreSweep(BotDb db, WorkingCalendar calendar, SendWindow window, ProfileRegistry profiles)
{
    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var verified = await ScoreVerification.VerifyUncontestedAsync(db, now, ct);
        var made = window.IsOpen(now, window.HoursFor(profiles.Current))
            ? await ScoreVerification.CreateLateComparisonsAsync(db, calendar, now, ct)
            : [];
        if (verified + made.Count == 0) return 0;
        var messages = 0;
        foreach (var e in made) messages += await ScoreVerification.QueueCardsAsync(db, e, now, ct);
        await db.SaveChangesAsync(ct);
        return messages;
    }

    /// <summary>The start-up warm-up (see <see cref="Escalation.DeadlineSweep.WarmUpAsync"/>): both queries at an instant before any data; nothing changes.</summary>
    public async Task WarmUpAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        await ScoreVerification.VerifyUncontestedAsync(db, before, ct);
        await ScoreVerification.CreateLateComparisonsAsync(db, calendar, before, ct);
        db.ChangeTracker.Clear();
    }
}
