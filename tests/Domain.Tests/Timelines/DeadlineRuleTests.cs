using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Timelines;
using static RapidResponse.Domain.Tests.T;

namespace RapidResponse.Domain.Tests.Timelines;

/// <summary>Both built-in profiles' deadline rules; expected dates worked out by hand from the holiday files.</summary>
public class DeadlineRuleTests
{
    private static DateTimeOffset? Due(string profile, StageKind kind, string start, bool active = false)
    {
        var p = Profile(profile);
        return p.DeadlineFor(kind, active).DueFrom(L(start), Cal, p.OfficeClosing);
    }

    [Theory]
    // 当天 (YL-1, FD-1): before closing on a working day → that day; at/after closing or on a day off → next working day.
    [InlineData("yunlong", "2026-02-13 10:00", "2026-02-13")]
    [InlineData("yunlong", "2026-02-13 17:29:59.9999999", "2026-02-13")]  // one tick before closing
    [InlineData("yunlong", "2026-02-13 17:30", "2026-02-14")]             // exactly at closing → adjusted Saturday
    [InlineData("yunlong", "2026-02-13 17:30:00.0000001", "2026-02-14")]  // one tick after closing
    [InlineData("yunlong", "2026-03-07 10:00", "2026-03-09")]             // plain Saturday → Monday
    [InlineData("yunlong", "2026-02-16 10:00", "2026-02-24")]             // 春节 holiday → first day back
    [InlineData("yunlong", "2026-02-14 10:00", "2026-02-14")]             // adjusted working Saturday
    [InlineData("yunlong", "2026-02-14 18:00", "2026-02-24")]             // adjusted Saturday after closing
    [InlineData("yunlong", "2026-09-30 18:00", "2026-10-08")]             // eve of National Day after closing
    [InlineData("yunlong", "2026-03-02 00:00", "2026-03-02")]             // first tick of a working day
    [InlineData("fengdu", "2026-02-13 10:00", "2026-02-13")]
    [InlineData("fengdu", "2026-02-13 17:29:59.9999999", "2026-02-13")]
    [InlineData("fengdu", "2026-02-13 17:30", "2026-02-14")]
    [InlineData("fengdu", "2026-02-13 17:30:00.0000001", "2026-02-14")]
    [InlineData("fengdu", "2026-03-07 10:00", "2026-03-09")]
    [InlineData("fengdu", "2026-10-03 09:00", "2026-10-08")]
    [InlineData("fengdu", "2026-09-20 09:00", "2026-09-20")]              // adjusted working Sunday
    public void DueFrom_ShouldFollowTheSameDayRule_ForIntake(string profile, string start, string dueDay) =>
        Assert.Equal(Eod(dueDay), Due(profile, StageKind.Intake, start));

    [Theory]
    // YL-2 comparison 2wd, YL-3 forward 2wd, YL-4 check 3wd, decision 5wd; FD-6 check 1wd, FD-7 decision 1wd, FD-9 plan 5wd.
    [InlineData("yunlong", StageKind.Comparison, "2026-02-13 10:00", "2026-02-24")]
    [InlineData("yunlong", StageKind.Comparison, "2026-02-13 18:00", "2026-02-24")]        // closing time does not matter for wd
    [InlineData("yunlong", StageKind.Comparison, "2026-02-13 23:59:59.9999999", "2026-02-24")]
    [InlineData("yunlong", StageKind.Comparison, "2026-02-14 00:00", "2026-02-25")]        // one tick later: the adjusted Saturday is the start day
    [InlineData("yunlong", StageKind.Comparison, "2026-09-30 10:00", "2026-10-09")]
    [InlineData("yunlong", StageKind.Comparison, "2026-10-03 10:00", "2026-10-09")]        // started on a holiday
    [InlineData("yunlong", StageKind.ForwardToVillage, "2025-09-26 10:00", "2025-09-29")]  // Fri → adjusted Sun 09-28 → Mon
    [InlineData("yunlong", StageKind.ForwardToVillage, "2025-12-31 10:00", "2026-01-05")]  // 01-04 adjusted Sunday, then Monday
    [InlineData("yunlong", StageKind.HouseholdCheck, "2026-09-30 10:00", "2026-10-10")]    // lands on the adjusted Saturday
    [InlineData("yunlong", StageKind.HouseholdCheck, "2026-03-04 10:00", "2026-03-09")]    // over a plain weekend
    [InlineData("fengdu", StageKind.HouseholdCheck, "2026-02-13 10:00", "2026-02-14")]
    [InlineData("fengdu", StageKind.HouseholdCheck, "2026-02-14 10:00", "2026-02-24")]
    [InlineData("fengdu", StageKind.Decision, "2026-09-30 16:00", "2026-10-08")]
    [InlineData("fengdu", StageKind.AssistanceStart, "2026-02-13 10:00", "2026-02-27")]
    [InlineData("fengdu", StageKind.AssistanceStart, "2026-09-28 10:00", "2026-10-10")]   // 09-29, 09-30, 10-08, 10-09, 10-10 (adjusted Sat)
    public void DueFrom_ShouldCountWorkingDaysAfterTheStartDay_WhenTheRuleIsNwd(string profile, StageKind kind, string start, string dueDay) =>
        Assert.Equal(Eod(dueDay), Due(profile, kind, start));

    [Theory]
    // YL-6 assistance 1 month; tracking 1 month in both profiles. Month ends clamp.
    [InlineData("yunlong", StageKind.AssistanceStart, "2026-01-31 10:00", "2026-02-28")]
    [InlineData("yunlong", StageKind.AssistanceStart, "2024-01-31 10:00", "2024-02-29")]  // leap year
    [InlineData("yunlong", StageKind.AssistanceStart, "2026-03-31 10:00", "2026-04-30")]
    [InlineData("yunlong", StageKind.AssistanceStart, "2026-02-13 18:00", "2026-03-13")]  // a month is calendar time: holidays do not move it
    [InlineData("yunlong", StageKind.Tracking, "2026-12-31 09:00", "2027-01-31")]
    [InlineData("fengdu", StageKind.Tracking, "2024-02-29 09:00", "2024-03-29")]
    [InlineData("fengdu", StageKind.Tracking, "2026-01-29 09:00", "2026-02-28")]
    public void DueFrom_ShouldAddCalendarMonthsWithClamping_WhenTheRuleIsNm(string profile, StageKind kind, string start, string dueDay) =>
        Assert.Equal(Eod(dueDay), Due(profile, kind, start));

    [Theory]
    [InlineData("15d", "2026-02-13 10:00", "2026-02-28 23:59:59.9999999")]  // FD-19 general problem: 15 days
    [InlineData("5d", "2026-09-30 18:00", "2026-10-05 23:59:59.9999999")]   // calendar days ignore the holiday
    [InlineData("1d", "2026-02-28 23:59:59.9999999", "2026-03-01 23:59:59.9999999")]
    [InlineData("2m", "2026-12-31 09:00", "2027-02-28 23:59:59.9999999")]
    [InlineData("12m", "2024-02-29 09:00", "2025-02-28 23:59:59.9999999")]
    [InlineData("48h", "2026-02-13 10:00", "2026-02-15 10:00")]              // FC-5 emergency report, to the minute
    [InlineData("48h", "2026-02-13 17:30", "2026-02-15 17:30")]
    [InlineData("1h", "2026-02-13 23:30", "2026-02-14 00:30")]
    public void DueFrom_ShouldUseCalendarArithmetic_WhenTheRuleIsDaysMonthsOrHours(string rule, string start, string due)
    {
        Assert.True(ProfileLoader.TryParseDeadline(rule, out var r));
        Assert.Equal(L(due), r.DueFrom(L(start), Cal, new TimeOnly(17, 30)));
    }

    [Fact]
    public void DueFrom_ShouldBeNull_WhenTheRuleIsNone() =>
        Assert.Null(DeadlineRule.None.DueFrom(L("2026-03-02 10:00"), Cal, new TimeOnly(17, 30)));

    [Theory]
    // YL-5: a household found by a cadre's own screening is checked the same day (当天完成入户核查).
    [InlineData("2026-03-02 10:00", true, "2026-03-02")]
    [InlineData("2026-03-02 17:29:59.9999999", true, "2026-03-02")]
    [InlineData("2026-03-02 17:30", true, "2026-03-03")]
    [InlineData("2026-03-02 17:30:00.0000001", true, "2026-03-03")]
    [InlineData("2026-02-13 18:00", true, "2026-02-14")]
    [InlineData("2026-03-02 10:00", false, "2026-03-05")]  // not active: 3 working days
    public void DeadlineFor_ShouldApplyTheSameDayCheck_WhenTheCaseWasFoundByActiveScreening(string start, bool active, string dueDay) =>
        Assert.Equal(Eod(dueDay), Due("yunlong", StageKind.HouseholdCheck, start, active));

    [Fact]
    public void DeadlineFor_ShouldKeepTheNormalRule_WhenTheProfileHasNoActiveScreeningDeadline()
    {
        Assert.Equal(new DeadlineRule(DeadlineKind.WorkingDays, 1), Fengdu.DeadlineFor(StageKind.HouseholdCheck, activeScreening: true));
        Assert.Equal(new DeadlineRule(DeadlineKind.SameDay), Yunlong.DeadlineFor(StageKind.HouseholdCheck, activeScreening: true));
        Assert.Equal(new DeadlineRule(DeadlineKind.WorkingDays, 3), Yunlong.DeadlineFor(StageKind.HouseholdCheck, activeScreening: false));
    }

    [Theory]
    [InlineData("none", DeadlineKind.None, 0)]
    [InlineData("sameDay", DeadlineKind.SameDay, 0)]
    [InlineData("SAMEDAY", DeadlineKind.SameDay, 0)]
    [InlineData("2wd", DeadlineKind.WorkingDays, 2)]
    [InlineData(" 3WD ", DeadlineKind.WorkingDays, 3)]
    [InlineData("15d", DeadlineKind.CalendarDays, 15)]
    [InlineData("1m", DeadlineKind.Months, 1)]
    [InlineData("48h", DeadlineKind.Hours, 48)]
    [InlineData("366d", DeadlineKind.CalendarDays, 366)]
    public void TryParseDeadline_ShouldParse_WhenTheSyntaxIsValid(string text, DeadlineKind kind, int value)
    {
        Assert.True(ProfileLoader.TryParseDeadline(text, out var r));
        Assert.Equal(new DeadlineRule(kind, value), r);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0wd")]
    [InlineData("-1d")]
    [InlineData("+2wd")]
    [InlineData("2 wd")]
    [InlineData("1.5d")]
    [InlineData("367d")]
    [InlineData("2w")]
    [InlineData("wd")]
    [InlineData("2y")]
    [InlineData("2个工作日")]
    public void TryParseDeadline_ShouldRefuse_WhenTheSyntaxIsInvalid(string text) =>
        Assert.False(ProfileLoader.TryParseDeadline(text, out _));

    [Theory]
    [InlineData("sameDay", "当天")]
    [InlineData("2wd", "2个工作日")]
    [InlineData("1m", "1个月")]
    [InlineData("48h", "48小时")]
    [InlineData("15d", "15天")]
    [InlineData("none", "不限时")]
    public void Describe_ShouldSayTheRuleInChinese_ForEveryKind(string text, string chinese)
    {
        Assert.True(ProfileLoader.TryParseDeadline(text, out var r));
        Assert.Equal(chinese, r.Describe());
    }
}
