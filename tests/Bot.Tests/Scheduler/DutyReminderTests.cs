using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Reports;
using RapidResponse.Scheduler;
using RapidResponse.Scheduler.Duties;
using static RapidResponse.Bot.Tests.Scheduler.Seed;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Scheduler;

/// <summary>
/// Duty reminders (domain-reference §4.1) from the real Quartz duty job at 09:20 on the fake clock, October–November 2026:
/// National Day holiday 10-01…10-07, 10-10 an adjusted working Saturday, 10-25 a Sunday.
/// </summary>
[Collection(SchedulerRuns.Collection)]
public sealed class DutyReminderTests
{
    private sealed record Row(string Day, string Kind, string To, string Text);

    private static async Task<List<Row>> DutyRowsAsync(BotFactory h) =>
        [.. (await h.OutboxAsync()).Where(o => o.DedupeKey!.StartsWith("duty:")).Select(o => new Row(
            ChinaTime.ToLocal(o.CreatedAt).ToString("MM-dd"), o.DedupeKey!.Split(':')[1], o.Recipient,
            OutboundPayload.Deserialize<TextBody>(o.Payload).Content))];

    private static string Keys(IEnumerable<Row> rows) => string.Join(" ", rows.Select(r => $"{r.Day}/{r.Kind}/{r.To}"));

    [Fact]
    public void ReminderDate_ShouldMoveToThePreviousWorkingDay_WhenTheDayIsOff()
    {
        var cal = WorkingCalendar.LoadDefault();
        // 2026-08-09 is a Sunday: Friday the 7th, still before the 10th.
        Assert.Equal(new DateOnly(2026, 8, 7), DutyReminders.ReminderDate(cal, 2026, 8, 9, 10));
        // 2026-10-05 in the holiday and no working day before it in October: the next working day, 10-08, still before the 10th.
        Assert.Equal(new DateOnly(2026, 10, 8), DutyReminders.ReminderDate(cal, 2026, 10, 5, 10));
        // The report reminder on 10-03: no working day in October up to the 5th, so none this month.
        Assert.Null(DutyReminders.ReminderDate(cal, 2026, 10, 3, 5));
        // Self-check on the 25th: Sunday 10-25 → Friday 10-23; 31 in November means the 30th (a Monday).
        Assert.Equal(new DateOnly(2026, 10, 23), DutyReminders.ReminderDate(cal, 2026, 10, 25, 31));
        Assert.Equal(new DateOnly(2026, 11, 30), DutyReminders.ReminderDate(cal, 2026, 11, 31, 30));
        // 2026-05-09 is a Saturday but an adjusted working day (劳动节调休): it stays.
        Assert.Equal(new DateOnly(2026, 5, 9), DutyReminders.ReminderDate(cal, 2026, 5, 9, 10));
        Assert.Equal(new DateOnly(2026, 10, 8), DutyReminders.MissingListDate(cal, 2026, 10, 5));
    }

    [Fact]
    public async Task DutyJob_ShouldRemindOnTheMovedDaysOnceEach_WhenRunAcrossNationalDayAndRestarts()
    {
        var dir = SchedulerRuns.NewDirectory();
        await using (var h = await SchedulerRuns.StartAsync(dir, Bj(10, 8, 9)))
        {
            await RosterAsync(h);
            await using (var scope = h.Scope())
            {
                var db = scope.ServiceProvider.GetRequiredService<BotDb>();
                await DepartmentReports.SubmitAsync(db, "JT", "2026-09", "jt1", "自查发现问题0条", Bj(9, 30, 16));
                await db.SaveChangesAsync();
            }
            Assert.Equal("not yet", (await h.Heartbeat().WaitForAsync(DutyReminderJob.Key, Bj(10, 8, 9), SchedulerRuns.Wait)).Summary);

            // 10-08, the first working day of October: the screening reminders of the 5th (moved past the holiday) and the
            // missing-report list of September (due 10-05) to the county office. No report reminder: the 3rd had no working day.
            var run = await h.RunAtAsync(DutyReminderJob.Key, Bj(10, 8, 9, 20));
            Assert.Equal("4 reminder(s)", run.Summary);
            var rows = await DutyRowsAsync(h);
            Assert.Equal("10-08/screening/gm1 10-08/screening/gm2 10-08/screening/vc1 10-08/report-missing/co1", Keys(rows));
            var gm1 = rows[0].Text;
            Assert.Contains("李网格", gm1);
            Assert.Contains("10月10日前完成天池村本月的排查和核查", gm1);
            // 10-09 (Friday) and 10-10 (adjusted working Saturday).
            Assert.Contains("还有2个工作日", gm1);
            var missing = rows[3].Text;
            Assert.Contains("2026年9月", missing);
            Assert.Contains("以下2个部门", missing);
            Assert.Contains("- 县民政局\n- 县住建局", missing);
            Assert.DoesNotContain("县教体局", missing);
        }

        // Restart the same morning: the start-up run of the duty job finds everything sent.
        await using (var h = await SchedulerRuns.StartAsync(dir, Bj(10, 8, 10)))
        {
            Assert.Equal("0 reminder(s)", (await h.Heartbeat().WaitForAsync(DutyReminderJob.Key, Bj(10, 8, 10), SchedulerRuns.Wait)).Summary);
            Assert.Equal(4, (await DutyRowsAsync(h)).Count);

            // 10-09: the screening reminder of the 9th; the missing list is not repeated.
            await h.RunAtAsync(DutyReminderJob.Key, Bj(10, 9, 9, 20));
            var rows = await DutyRowsAsync(h);
            Assert.Equal("10-09/screening/gm1 10-09/screening/gm2 10-09/screening/vc1", Keys(rows.Skip(4)));
            Assert.Contains("还有1个工作日", rows[4].Text);
            Assert.Equal("nothing due", (await h.RunAtAsync(DutyReminderJob.Key, Bj(10, 10, 9, 20))).Summary);

            // Sunday 10-25's self-check reminder goes on Friday 10-23, to every department officer.
            Assert.Equal("nothing due", (await h.RunAtAsync(DutyReminderJob.Key, Bj(10, 22, 9, 20))).Summary);
            await h.RunAtAsync(DutyReminderJob.Key, Bj(10, 23, 9, 20));
            rows = await DutyRowsAsync(h);
            Assert.Equal("10-23/selfcheck/jt1 10-23/selfcheck/mz1 10-23/selfcheck/zj1", Keys(rows.Skip(7)));
            Assert.Contains("县住建局在10月31日前完成本月自查", rows[9].Text);
            Assert.Contains("11月5日前发“月报”", rows[9].Text);
            Assert.Equal("not a working day", (await h.RunAtAsync(DutyReminderJob.Key, Bj(10, 25, 9, 20))).Summary);

            // 民政 reports October on 11-02; then the host stops before the duty time on 11-03.
            await h.RunAtAsync(DutyReminderJob.Key, Bj(11, 2, 9, 20));
            await using var scope = h.Scope();
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            await DepartmentReports.SubmitAsync(db, "MZ", "2026-10", "mz1", "自查发现问题1条，已整改1条", Bj(11, 2, 10));
            await db.SaveChangesAsync();
            Time(h, Bj(11, 3, 9));
        }

        // Back at 11:00 on 11-03: the start-up run sends the report reminder of the 3rd, only to the departments without a report.
        await using (var h = await SchedulerRuns.StartAsync(dir, Bj(11, 3, 11)))
        {
            var run = await h.Heartbeat().WaitForAsync(DutyReminderJob.Key, Bj(11, 3, 11), SchedulerRuns.Wait);
            Assert.Equal("2 reminder(s)", run.Summary);
            var rows = (await DutyRowsAsync(h)).Where(r => r.Kind == "report").ToList();
            Assert.Equal("11-03/report/jt1 11-03/report/zj1", Keys(rows));
            Assert.Contains("县教体局2026年10月的自查问题清单和整改情况还没有报送，截止11月5日", rows[0].Text);
            Assert.Contains("月报 2026-10 自查发现问题X条", rows[0].Text);

            // After the 5th (Thursday): on Friday 11-06 the county office gets the list — 教体 reported late, 住建 not at all.
            await using (var scope = h.Scope())
            {
                var db = scope.ServiceProvider.GetRequiredService<BotDb>();
                await DepartmentReports.SubmitAsync(db, "JT", "2026-10", "jt1", "自查发现问题3条", Bj(11, 6, 8));
                await db.SaveChangesAsync();
            }
            await h.RunAtAsync(DutyReminderJob.Key, Bj(11, 6, 9, 20));
            await h.RunAtAsync(DutyReminderJob.Key, Bj(11, 9, 9, 20));
            var list = Assert.Single(await DutyRowsAsync(h), r => r.Kind == "report-missing" && r.Day == "11-06");
            Assert.Equal("co1", list.To);
            Assert.Contains("以下2个部门未报送2026年10月月报", list.Text);
            Assert.Contains("- 县教体局\n- 县住建局", list.Text);
            Assert.Equal(2, (await DutyRowsAsync(h)).Count(r => r.Kind == "report-missing"));
        }
    }

    private static void Time(BotFactory h, DateTimeOffset at) { if (at > h.Time.GetUtcNow()) h.Time.SetUtcNow(at); }
}
