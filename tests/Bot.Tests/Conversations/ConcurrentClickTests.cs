using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Conversations;

/// <summary>
/// Concurrent clicks on one case (SQLite; the PostgreSQL cluster runs the same race across instances in
/// Postgres/ClusterConcurrencyTests): every click counts once and the case moves on exactly once.
/// </summary>
public sealed class ConcurrentClickTests
{
    private static async Task<(BotFactory F, HttpClient Http, ChatDriver Chat)> CaseInComparisonAsync()
    {
        var f = new BotFactory().WithWeCom();
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var chat = new ChatDriver(f);
        await chat.SendAsync("villager_liu", $"申报\n姓名：刘一\n身份证号：{TestRoster.IdUnknown}\n村：李树村\n困难类型：因病\n情况说明：住院花费大\n联系电话：13800009999");
        await chat.SendAsync("villager_liu", "确认");
        await chat.ClickAsync("gm_a1", TaskFor(chat, "gm_a1", "受理"), "accept");
        return (f, http, chat);
    }

    private static string TaskFor(ChatDriver chat, string user, string titleStart) =>
        chat.CardsTo(user).Last(c => c.Title.StartsWith(titleStart, StringComparison.Ordinal)).TaskId;

    [Fact]
    public async Task ParallelClicks_ShouldCompleteEveryTaskAndAdvanceOnce_WhenDepartmentsAndCheckersClickAtTheSameMoment()
    {
        var (f, http, chat) = await CaseInComparisonAsync();
        using var _ = f;
        // The three departments click 比对无异常 at once, through the real encrypted callback.
        var clicks = new[] { "d_wj", "d_yb", "d_mz" }.Select(d => new WeComUser(f, http, d).ClickAsync(TaskFor(chat, d, "信息比对"), "no_anomaly", wait: false));
        await Task.WhenAll(clicks);
        await chat.WaitIdleAsync();
        using (var db = f.NewDb())
        {
            var c = await db.Cases.Include(x => x.Stages).ThenInclude(s => s.Assignments).Include(x => x.Audit).SingleAsync();
            var comparison = c.Stages.Single(s => s.Kind == StageKind.Comparison);
            Assert.All(comparison.Assignments, a => Assert.Equal(TaskResult.NoAnomaly, a.Result));
            Assert.Single(c.Stages, s => s.Kind == StageKind.ForwardToVillage);
            Assert.Equal(3, c.Audit.Count(a => a.Action == "task.completed" && a.Detail.StartsWith("信息比对")));
        }
        Assert.Single(chat.CardsTo("to_a"), x => x.Title.StartsWith("反馈到村"));
        await chat.ClickAsync("to_a", TaskFor(chat, "to_a", "反馈到村"), "forward");

        // The two household checkers both click 核查符合 at once: one decision stage, and the other is told it is done.
        var checkers = new[] { "gm_a1", "vc_a1" };
        await Task.WhenAll(checkers.Select(u => new WeComUser(f, http, u).ClickAsync(TaskFor(chat, u, "入户核查"), "qualifies", wait: false)));
        await chat.WaitIdleAsync();
        using var check = f.NewDb();
        var done = await check.Cases.Include(x => x.Stages).SingleAsync();
        // 云龙 预警机制 二(七): after the check comes the village's 民主评议 — opened once.
        Assert.Single(done.Stages, s => s.Kind == StageKind.Appraisal);
        Assert.Single(checkers, u => chat.LastTextTo(u).Contains("已经办理过了"));
    }

    [Fact]
    public async Task SaveChanges_ShouldRefuseTheSecondWriter_WhenTwoContextsChangeTheSameCase()
    {
        var (f, _, _) = await CaseInComparisonAsync();
        using var __ = f;
        // Two requests read the case at the same moment, each completes its own department's task.
        using var a = f.Services.CreateScope();
        using var b = f.Services.CreateScope();
        var wa = a.ServiceProvider.GetRequiredService<CaseWorkflow>();
        var wb = b.ServiceProvider.GetRequiredService<CaseWorkflow>();
        var ca = (await wa.LoadAsync("YL-2026-000001"))!;
        var cb = (await wb.LoadAsync("YL-2026-000001"))!;
        string Task(Case c, string dept) => c.CurrentStage!.Assignments.Single(x => x.AssigneeId == dept).TaskId;
        ca.CompleteTask(Task(ca, "WJ"), TaskResult.NoAnomaly, null, new Actor("d_wj", "DepartmentOfficer"), wa.ClockFor(ca));
        cb.CompleteTask(Task(cb, "YB"), TaskResult.NoAnomaly, null, new Actor("d_yb", "DepartmentOfficer"), wb.ClockFor(cb));
        await a.ServiceProvider.GetRequiredService<RapidResponse.Domain.Persistence.BotDb>().SaveChangesAsync();
        // The second would save a case that no longer exists as it read it: refused, nothing of it kept.
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => b.ServiceProvider.GetRequiredService<RapidResponse.Domain.Persistence.BotDb>().SaveChangesAsync());
        using var db = f.NewDb();
        var assignments = await db.Assignments.Where(x => x.AssigneeId == "WJ" || x.AssigneeId == "YB").ToListAsync();
        Assert.Equal([("WJ", true), ("YB", false)], assignments.OrderBy(x => x.AssigneeId).Select(x => (x.AssigneeId, x.CompletedAt is not null)));
    }

    [Fact]
    public async Task Click_ShouldBeRedoneFromFreshState_WhenItsSaveLosesARace()
    {
        // Another writer moves the case under the click twice (its chunk and its first single try both lose): the click is
        // handled again from fresh state, counts no failed try, and completes once.
        var race = new CaseRace();
        using var f = new BotFactory().WithWeCom();
        f.TestServices = s => s.AddSingleton<IInterceptor>(race);
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var chat = new ChatDriver(f);
        await chat.SendAsync("villager_liu", $"申报\n姓名：刘一\n身份证号：{TestRoster.IdUnknown}\n村：李树村\n困难类型：因病\n情况说明：住院花费大\n联系电话：13800009999");
        await chat.SendAsync("villager_liu", "确认");
        race.Left = 2;
        await chat.ClickAsync("gm_a1", chat.CardsTo("gm_a1").Single().TaskId, "accept");
        Assert.Equal(0, race.Left);
        using var check = f.NewDb();
        var click = await check.Inbox.SingleAsync(x => x.Kind == "CardClick");
        Assert.Equal((InboxStatus.Processed, 1, (string?)null), (click.Status, click.Attempts, click.Error));
        var c = await check.Cases.Include(x => x.Stages).Include(x => x.Audit).SingleAsync();
        Assert.Single(c.Stages, s => s.Kind == StageKind.Comparison);
        Assert.Single(c.Audit, a => a.Action == "task.completed");
        Assert.Contains("已受理", chat.LastTextTo("gm_a1"));
    }

    /// <summary>
    /// A second writer on the same file: just before a save that changes a case, it raises the case's version itself (as
    /// another instance saving first would), <see cref="Left"/> more times.
    /// </summary>
    private sealed class CaseRace : SaveChangesInterceptor
    {
        public int Left;

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData e, InterceptionResult<int> result, CancellationToken ct = default)
        {
            var changed = e.Context!.ChangeTracker.Entries<Case>().FirstOrDefault(x => x.State == EntityState.Modified);
            if (changed is not null && Interlocked.Decrement(ref Left) >= 0)
                await e.Context.Database.ExecuteSqlAsync($"UPDATE Cases SET Version = Version + 1 WHERE Id = {changed.Entity.Id}", ct);
            else Interlocked.CompareExchange(ref Left, 0, -1);
            return result;
        }
    }
}
