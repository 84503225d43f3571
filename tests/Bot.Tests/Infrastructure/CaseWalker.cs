using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Tests.Infrastructure;

/// <summary>
/// Set-up for tests that start mid-chain: opens a case through the real workflow on the host's database and clock, walks it
/// with the real transitions until <c>stage</c> is open, and sends that stage's cards as a click would. A notice met on the
/// way is taken as having run its days (its start is moved back), so the walk needs no clock jumps.
/// </summary>
public static class CaseWalker
{
    public static async Task<string> OpenAtAsync(BotFactory f, StageKind stage, string? householdNo = "H-A1-001", Severity severity = Severity.General,
        string reporter = "villager_zhang")
    {
        using var scope = f.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var wf = scope.ServiceProvider.GetRequiredService<CaseWorkflow>();
        long? household = householdNo is null ? null : (await db.Households.SingleAsync(h => h.HouseholdNo == householdNo)).Id;
        var c = await wf.OpenAsync(Channel.SelfReport, TestRoster.VillageA1, ["因病"], "户主住院，自付费用大", severity, new Actor(reporter, "farmer"), x =>
        {
            x.HouseholdId = household;
            x.ApplicantName = "张大山";
            x.ReporterChannel = InboundChannel.App;
            x.ReporterId = reporter;
            x.ReporterVerified = true;   // a reporter who proved the household is theirs hears progress and outcomes
        });
        return await WalkAsync(scope, c, stage);
    }

    /// <summary>Walks a case opened through the chat (or an import) with the real transitions until <paramref name="stage"/> is open, and cards it.</summary>
    public static async Task<string> WalkToAsync(BotFactory f, string number, StageKind stage)
    {
        using var scope = f.Services.CreateScope();
        var c = await scope.ServiceProvider.GetRequiredService<CaseWorkflow>().LoadAsync(number) ?? throw new InvalidOperationException($"no case {number}");
        return await WalkAsync(scope, c, stage);
    }

    private static async Task<string> WalkAsync(IServiceScope scope, Case c, StageKind stage)
    {
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var wf = scope.ServiceProvider.GetRequiredService<CaseWorkflow>();
        var actor = new Actor("setup", "setup");
        while (c.CurrentStage?.Kind != stage)
        {
            var s = c.CurrentStage ?? throw new InvalidOperationException($"{c.Number} never reached {stage}");
            var clock = wf.ClockFor(c);
            if (c.NoticeEndsAt(s, clock) is { } ends) s.StartedAt -= ends - s.StartedAt + TimeSpan.FromMinutes(1);
            if (s.Kind == StageKind.Decision) c.Decide(true, null, actor, clock);
            else c.CompleteTask(s.Assignments.First(a => a.IsOpen).TaskId, Case.Allowed(s.Kind)[0], "落实医疗救助", actor, clock);
            if (!s.IsOpen) await wf.AdvanceAsync(c, actor);   // comparison: one department at a time until all have answered
        }
        await scope.ServiceProvider.GetRequiredService<TaskCards>().SendAsync(c, c.CurrentStage!, wf.ClockFor(c).Profile);
        await db.SaveChangesAsync();
        return c.Number;
    }

    /// <summary>The open task of the case's current stage held by <paramref name="userId"/> (or the first one).</summary>
    public static async Task<string> TaskOfAsync(BotFactory f, string number, string? userId = null)
    {
        using var db = f.NewDb();
        var tasks = await db.Assignments.AsNoTracking().Where(a => a.CompletedAt == null && a.Stage!.CompletedAt == null && a.Stage.Case!.Number == number)
            .Select(a => new { a.TaskId, a.AssigneeId }).ToListAsync();
        return (tasks.FirstOrDefault(t => t.AssigneeId == userId) ?? tasks.First()).TaskId;
    }

    public static async Task<Case> LoadAsync(BotFactory f, string number)
    {
        using var scope = f.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<CaseWorkflow>().LoadAsync(number))!;
    }
}
