using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.Inbox;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Tests.Reliability;

/// <summary>
/// Failures that show: a message that keeps failing backs off, is given up with an apology and a county-office notice,
/// is listed and can be replayed; a case the roster cannot staff goes to the county office with what is missing.
/// </summary>
public sealed class InboxFailureTests
{
    // A storage fault the database itself raises: starting this sender's report form cannot be saved until it is dropped.
    private const string Poison = "CREATE TRIGGER poison BEFORE INSERT ON Conversations WHEN NEW.Key LIKE '%:villager_poison' "
                                  + "BEGIN SELECT RAISE(ABORT, 'simulated storage fault, on call 13812345678'); END;";

    private static async Task<InboxMessage> RowAsync(BotFactory f, long id)
    {
        using var db = f.NewDb();
        return await db.Inbox.AsNoTracking().SingleAsync(x => x.Id == id);
    }

    private static async Task<InboxMessage> WaitForAsync(BotFactory f, long id, Func<InboxMessage, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var row = await RowAsync(f, id);
            if (condition(row)) return row;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"inbox row {id}: {what} (attempts {row.Attempts}, {row.Status})");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task FailingMessage_ShouldBackOffApologiseTellTheCountyOfficeAndBeReplayable_WhenItFailsEveryTry()
    {
        using var f = new BotFactory();
        using (var db = f.NewDb())
        {
            TestRoster.Seed(db);
            await db.Database.ExecuteSqlRawAsync(Poison);
        }
        var writer = f.Services.GetRequiredService<InboxWriter>();
        var t0 = f.Time.GetUtcNow();
        await writer.AcceptAsync(new Inbound(InboundChannel.App, "villager_poison", "p1", InboundKind.Text, t0, Text: "申报"), "app|p1");
        await writer.AcceptAsync(new Inbound(InboundChannel.App, "villager_poison", "p2", InboundKind.Text, t0, Text: "你好"), "app|p2");
        long first, second;
        using (var db = f.NewDb())
        {
            first = await db.Inbox.Where(x => x.DedupeKey == "app|p1").Select(x => x.Id).SingleAsync();
            second = await db.Inbox.Where(x => x.DedupeKey == "app|p2").Select(x => x.Id).SingleAsync();
        }

        // The first try fails: the message waits out its backoff, and the sender's next message waits behind it (order).
        var row = await WaitForAsync(f, first, r => r.Attempts == 1, "first try");
        Assert.Equal(InboxStatus.Pending, row.Status);
        Assert.Equal(t0 + InboxProcessor.Backoff[0], row.NextAttemptAt);
        Assert.Contains("simulated storage fault", row.Error);
        await Task.Delay(600); // real time: no tight loop of retries while the fake clock stands still
        Assert.Equal(1, (await RowAsync(f, first)).Attempts);
        Assert.Equal((InboxStatus.Pending, 0), ((await RowAsync(f, second)).Status, (await RowAsync(f, second)).Attempts));
        // One tick before the backoff ends nothing happens; at its end the next try runs.
        f.Time.Advance(InboxProcessor.Backoff[0] - TimeSpan.FromTicks(1));
        await Task.Delay(600);
        Assert.Equal(1, (await RowAsync(f, first)).Attempts);
        f.Time.Advance(TimeSpan.FromTicks(1));
        await WaitForAsync(f, first, r => r.Attempts == 2, "second try");
        for (var i = 1; i < InboxProcessor.MaxAttempts - 1; i++)
        {
            f.Time.Advance(InboxProcessor.Backoff[i]);
            await WaitForAsync(f, first, r => r.Attempts == i + 2, $"try {i + 2}");
        }
        row = await WaitForAsync(f, first, r => r.Status == InboxStatus.Failed, "given up");
        Assert.Equal(InboxProcessor.MaxAttempts, row.Attempts);
        await WaitForAsync(f, second, r => r.Status == InboxStatus.Processed, "the sender's next message handled once the first is given up");

        // The sender got one apology that says it was passed on; the county office one masked notice naming the row.
        var chat = new ChatDriver(f);
        var texts = chat.TextsTo("villager_poison");
        Assert.Single(texts, t => t.Contains("已转交县级办公室"));
        Assert.Contains(texts, t => t.Contains("回复“申报”")); // the answer to the second message
        var notice = Assert.Single(chat.TextsTo("co_1"));
        Assert.Contains($"编号：{first}", notice);
        Assert.Contains("已重试5次", notice);
        Assert.Contains("文字：申报", notice);
        Assert.Contains("138****5678", notice);
        Assert.DoesNotContain("13812345678", notice);
        Assert.DoesNotContain("villager_poison", notice);

        // Listed for the admin API, masked.
        var admin = f.AdminClient();
        var failed = await admin.GetFromJsonAsync<JsonElement>("/api/inbox?status=failed");
        var listed = Assert.Single(failed.EnumerateArray());
        Assert.Equal(first, listed.GetProperty("id").GetInt64());
        Assert.Equal(5, listed.GetProperty("attempts").GetInt32());
        Assert.Equal("文字：申报", listed.GetProperty("summary").GetString());
        Assert.Contains("138****5678", listed.GetProperty("error").GetString());
        Assert.DoesNotContain("villager_poison", listed.GetRawText());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/inbox?status=lost")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/inbox/{second}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/inbox/999999/retry", null)).StatusCode);

        // The cause fixed, one replay handles it: the report form starts.
        using (var db = f.NewDb()) await db.Database.ExecuteSqlRawAsync("DROP TRIGGER poison");
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/inbox/{first}/retry", null)).StatusCode);
        await WaitForAsync(f, first, r => r.Status == InboxStatus.Processed, "replayed");
        Assert.Contains("我来帮您申报", string.Join("\n", chat.TextsTo("villager_poison")));
        using var check = f.NewDb();
        Assert.True(await check.Conversations.AnyAsync(c => c.Key.EndsWith(":villager_poison")));
        Assert.Single(await check.AuditEvents.Where(a => a.Action == "inbox.retried").ToListAsync());
        Assert.Single(chat.TextsTo("co_1")); // the replay succeeded: no second notice
    }

    [Fact]
    public async Task UnroutableCase_ShouldBecomeACountyOfficeTaskNamingWhatIsMissing_WhenTheVillageOrADepartmentHasNobody()
    {
        using var f = new BotFactory();
        using (var db = f.NewDb())
        {
            TestRoster.Seed(db);
            // A township and village with no staff at all, and 民政 whose only officer has left.
            db.Regions.Add(new Region { Code = "530103", Name = "西山乡", ParentCode = TestRoster.County, Level = RegionLevel.Township });
            db.Regions.Add(new Region { Code = "530103001", Name = "河西村", ParentCode = "530103", Level = RegionLevel.Village });
            (await db.Staff.SingleAsync(s => s.UserId == "d_mz")).Active = false;
            await db.SaveChangesAsync();
        }
        var chat = new ChatDriver(f);
        await chat.SendAsync("villager_he", $"申报\n姓名：何一\n身份证号：{TestRoster.IdUnknown}\n村：河西村\n困难类型：因病\n情况说明：住院花费大\n联系电话：13800009999");
        await chat.SendAsync("villager_he", "确认");
        Assert.Contains("YL-2026-000001", chat.LastTextTo("villager_he")); // the report is kept and acknowledged

        var intake = Assert.Single(chat.CardsTo("co_1"));
        var gap = Assert.Single(intake.Fields, x => x.Label == "待县级办公室处理").Value;
        Assert.Contains("河西村没有在岗的网格员", gap);
        await chat.ClickAsync("co_1", intake.TaskId, "accept");

        // Comparison: 卫健 and 医保 have officers; 民政's part goes to the county office, which is told why.
        var comparison = chat.CardsTo("co_1").Last();
        Assert.StartsWith("信息比对", comparison.Title);
        Assert.Contains("县民政局（MZ）没有在岗的部门工作人员", comparison.Fields.Single(x => x.Label == "待县级办公室处理").Value);
        Assert.Single(chat.CardsTo("d_wj"));
        using var db2 = f.NewDb();
        var c = await db2.Cases.Include(x => x.Stages).ThenInclude(s => s.Assignments).Include(x => x.Audit).SingleAsync();
        var stage = c.Stages.Single(s => s.Kind == StageKind.Comparison);
        Assert.Equal(["WJ", "YB", "co_1"], stage.Assignments.Select(a => a.AssigneeId).Order(StringComparer.Ordinal));
        Assert.Equal(2, c.Audit.Count(a => a.Action == CaseWorkflow.UnroutedAction));
        using var check = f.NewDb();
        Assert.All(await check.Inbox.ToListAsync(), r => Assert.Equal(InboxStatus.Processed, r.Status));
    }
}
