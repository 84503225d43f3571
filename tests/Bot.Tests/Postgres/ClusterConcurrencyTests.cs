using System.Net;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.Tests.WeCom;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>
/// Concurrent clicks on one case across instances: different senders are worked in parallel (on every instance, and by
/// several workers inside one), which is where two departments' clicks on one case meet. Each click counts once and the
/// case moves on exactly once (the case's concurrency token and the inbox's redo from fresh state).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterConcurrencyTests
{
    private const int Cases = 8;
    private static long _msgId = 8_500_000;

    private static string Click(string from, string taskId, string key, DateTimeOffset at) =>
        $"<xml><ToUserName><![CDATA[{Vectors.CorpId}]]></ToUserName><FromUserName><![CDATA[{from}]]></FromUserName>"
        + $"<CreateTime>{at.ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        + $"<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[{key}]]></EventKey><TaskId><![CDATA[{taskId}]]></TaskId>"
        + $"<CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[RC{Guid.NewGuid():N}]]></ResponseCode><AgentID>1000002</AgentID></xml>";

    /// <summary>Posts every callback at once, spread over the instances, and waits until all are handled.</summary>
    private static async Task PostAllAsync(Cluster c, IEnumerable<string> callbacks)
    {
        var answers = await Task.WhenAll(callbacks.Select((xml, i) => c.Nodes[i % c.Nodes.Count].PostCallbackAsync(xml)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await c.WaitInboxIdleAsync();
    }

    private static async Task<List<(string Number, StageAssignment Task)>> OpenTasksAsync(Cluster c, StageKind kind)
    {
        await using var db = c.NewDb();
        return (await db.Assignments.AsNoTracking().Include(a => a.Stage!).ThenInclude(s => s.Case)
                .Where(a => a.CompletedAt == null && a.Stage!.Kind == kind).ToListAsync())
            .Select(a => (a.Stage!.Case!.Number, a)).ToList();
    }

    [PostgresFact]
    public async Task ParallelClicks_ShouldCompleteEveryTaskAndAdvanceEachCaseOnce_WhenDepartmentsAndCheckersClickOnThreeInstances()
    {
        await using var c = await Cluster.StartAsync(3);
        await using (var db = c.NewDb()) TestRoster.Seed(db);
        var now = c.Time.GetUtcNow();
        string Text(string from, string text) => ClusterNode.TextCallback(from, text, Interlocked.Increment(ref _msgId), now);
        var farmers = Enumerable.Range(1, Cases).Select(i => $"farmer_{i:00}").ToList();
        await PostAllAsync(c, farmers.Select(f => Text(f, $"申报\n姓名：刘{"一二三四五六七八"[int.Parse(f[^2..]) - 1]}\n身份证号：{TestRoster.IdUnknown}\n村：李树村\n困难类型：因病\n情况说明：住院花费大\n联系电话：13800009999")));
        await PostAllAsync(c, farmers.Select(f => Text(f, "确认"))); // eight case numbers drawn at once: the counter's token keeps them apart
        await PostAllAsync(c, (await OpenTasksAsync(c, StageKind.Intake)).Select(t => Click(t.Task.AssigneeId, t.Task.TaskId, "accept", now)));

        // 卫健, 医保 and 民政 click 比对无异常 on all eight cases at the same moment, each to another instance.
        var officers = new Dictionary<string, string> { ["WJ"] = "d_wj", ["YB"] = "d_yb", ["MZ"] = "d_mz" };
        var comparison = await OpenTasksAsync(c, StageKind.Comparison);
        Assert.Equal(Cases * 3, comparison.Count);
        await PostAllAsync(c, comparison.OrderBy(t => t.Number).ThenBy(t => t.Task.AssigneeId).Select(t => Click(officers[t.Task.AssigneeId], t.Task.TaskId, "no_anomaly", now)));
        await using (var db = c.NewDb())
        {
            var cases = await db.Cases.AsNoTracking().Include(x => x.Stages).ThenInclude(s => s.Assignments).ToListAsync();
            Assert.Equal(Cases, cases.Count);
            Assert.All(cases, x =>
            {
                var stage = x.Stages.Single(s => s.Kind == StageKind.Comparison);
                Assert.NotNull(stage.CompletedAt);
                Assert.All(stage.Assignments, a => Assert.Equal(TaskResult.NoAnomaly, a.Result));
                Assert.Single(x.Stages, s => s.Kind == StageKind.ForwardToVillage);
            });
        }

        await PostAllAsync(c, (await OpenTasksAsync(c, StageKind.ForwardToVillage)).Select(t => Click(t.Task.AssigneeId, t.Task.TaskId, "forward", now)));
        // Both household checkers click 核查符合 on every case at once: one decision stage per case, never two.
        var checks = await OpenTasksAsync(c, StageKind.HouseholdCheck);
        Assert.Equal(Cases * 2, checks.Count);
        await PostAllAsync(c, checks.OrderBy(t => t.Number).Select(t => Click(t.Task.AssigneeId, t.Task.TaskId, "qualifies", now)));

        await using var check = c.NewDb();
        var done = await check.Cases.AsNoTracking().Include(x => x.Stages).Include(x => x.Audit).ToListAsync();
        Assert.All(done, x =>
        {
            Assert.Single(x.Stages, s => s.Kind == StageKind.Appraisal);
            Assert.Single(x.Audit, a => a.Action == "stage.completed" && a.Detail.StartsWith("入户核查"));
        });
        Assert.Equal(Cases, done.Select(x => x.Number).Distinct().Count());
        // Nothing failed on the way: every race was redone, not counted as a failed try.
        var inbox = await check.Inbox.AsNoTracking().ToListAsync();
        Assert.All(inbox, r => Assert.Equal((InboxStatus.Processed, (string?)null), (r.Status, r.Error)));
    }
}
