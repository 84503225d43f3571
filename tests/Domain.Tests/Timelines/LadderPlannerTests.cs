using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Timelines;
using static RapidResponse.Domain.Tests.T;

namespace RapidResponse.Domain.Tests.Timelines;

/// <summary>Nags and overdue levels (DESIGN §3), expected instants worked out by hand.</summary>
public class LadderPlannerTests
{
    private static List<(LadderStepKind, DateTimeOffset)> Plan(string profile, string start, DateTimeOffset due)
    {
        var p = Profile(profile);
        return [.. LadderPlanner.Plan(L(start), due, EscalationLadder.Default, p.Hours, Cal)];
    }

    private static (LadderStepKind, DateTimeOffset) S(LadderStepKind k, string local) => (k, L(local));

    public static TheoryData<string, string, string, string, (LadderStepKind, DateTimeOffset)[]> Ladders => new()
    {
        {
            "plain week: 3wd from Monday", "yunlong", "2026-03-02 10:00", "2026-03-05",
            [
                S(LadderStepKind.Nag50, "2026-03-04 08:30"),          // 50% falls at 05:00 → first opening
                S(LadderStepKind.Nag75, "2026-03-05 08:30"),          // 75% falls at 02:30 → the due morning, one nag only
                S(LadderStepKind.Overdue1, "2026-03-06 08:30"),
                S(LadderStepKind.Overdue2, "2026-03-09 08:30"),       // one working day later, over the weekend
                S(LadderStepKind.Overdue3, "2026-03-11 08:30"),       // three working days after level 1
            ]
        },
        {
            "weekend breach: 2wd from Wednesday, due Friday", "yunlong", "2026-03-04 10:00", "2026-03-06",
            [
                S(LadderStepKind.Nag50, "2026-03-05 17:00"),
                S(LadderStepKind.Nag75, "2026-03-06 08:30"),
                S(LadderStepKind.Overdue1, "2026-03-09 08:30"),       // breach Saturday 00:00 → Monday opening
                S(LadderStepKind.Overdue2, "2026-03-10 08:30"),
                S(LadderStepKind.Overdue3, "2026-03-12 08:30"),
            ]
        },
        {
            "before National Day 2026: 2wd from Thursday 09-24", "yunlong", "2026-09-24 10:00", "2026-09-29",
            [
                S(LadderStepKind.Nag50, "2026-09-28 08:30"),          // 50% on 09-27 (中秋节) → Monday
                S(LadderStepKind.Nag75, "2026-09-28 14:30"),
                S(LadderStepKind.NagDueMorning, "2026-09-29 08:30"),
                S(LadderStepKind.Overdue1, "2026-09-30 08:30"),
                S(LadderStepKind.Overdue2, "2026-10-08 08:30"),       // over 10-01..10-07
                S(LadderStepKind.Overdue3, "2026-10-10 08:30"),       // 10-08, 10-09, 10-10 (adjusted Saturday)
            ]
        },
        {
            "across National Day 2026: 2wd from Tuesday 09-29", "yunlong", "2026-09-29 10:00", "2026-10-08",
            [
                S(LadderStepKind.Nag75, "2026-10-08 08:30"),          // both fractions fall in the holiday: one nag
                S(LadderStepKind.Overdue1, "2026-10-09 08:30"),
                S(LadderStepKind.Overdue2, "2026-10-10 08:30"),       // the adjusted Saturday is a working day
                S(LadderStepKind.Overdue3, "2026-10-13 08:30"),       // 10-10, 10-12, 10-13
            ]
        },
        {
            "Spring Festival 2026, fengdu hours: 1wd from Friday 02-13", "fengdu", "2026-02-13 10:00", "2026-02-14",
            [
                S(LadderStepKind.Nag50, "2026-02-14 09:00"),          // adjusted Saturday, opening at 09:00; the due-morning nag coincides
                S(LadderStepKind.Nag75, "2026-02-14 14:30"),
                S(LadderStepKind.Overdue1, "2026-02-24 09:00"),       // breach on 02-15 (holiday) → first day back
                S(LadderStepKind.Overdue2, "2026-02-25 09:00"),
                S(LadderStepKind.Overdue3, "2026-02-27 09:00"),
            ]
        },
        {
            "same day: the 75% nag would be after the deadline", "yunlong", "2026-03-02 10:00", "2026-03-02",
            [
                S(LadderStepKind.Nag50, "2026-03-02 17:00"),
                S(LadderStepKind.Overdue1, "2026-03-03 08:30"),
                S(LadderStepKind.Overdue2, "2026-03-04 08:30"),
                S(LadderStepKind.Overdue3, "2026-03-06 08:30"),
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Ladders))]
    public void Plan_ShouldPlaceNagsAndLevelsInWorkingHours_WhenTheStageDeadlineIsEndOfDay(
        string scenario, string profile, string start, string dueDay, (LadderStepKind, DateTimeOffset)[] expected)
    {
        var steps = Plan(profile, start, Eod(dueDay));
        Assert.True(expected.SequenceEqual(steps), $"{scenario}\nexpected: {string.Join(", ", expected)}\nactual:   {string.Join(", ", steps)}");
        var hours = Profile(profile).Hours;
        foreach (var (_, at) in steps)
        {
            var local = at.ToOffset(TimeSpan.FromHours(8));
            Assert.True(Cal.IsWorkingDay(DateOnly.FromDateTime(local.DateTime)), $"{scenario}: {local} is not a working day");
            Assert.InRange(TimeOnly.FromDateTime(local.DateTime), hours.Start, hours.End.Add(TimeSpan.FromTicks(-1)));
        }
    }

    [Fact]
    public void Plan_ShouldFireLevelOneAtTheBreach_WhenItFallsInsideWorkingHours()
    {
        // An 8-hour rule from 08:30 is due at 16:30: level 1 one tick later, not the next morning.
        var steps = Plan("yunlong", "2026-03-02 08:30", L("2026-03-02 16:30"));
        Assert.Equal(
            [
                S(LadderStepKind.Nag50, "2026-03-02 12:30"),
                S(LadderStepKind.Nag75, "2026-03-02 14:30"),
                (LadderStepKind.Overdue1, L("2026-03-02 16:30").AddTicks(1)),
                S(LadderStepKind.Overdue2, "2026-03-03 08:30"),
                S(LadderStepKind.Overdue3, "2026-03-05 08:30"),
            ],
            steps);
    }

    [Fact]
    public void Plan_ShouldPlanNothing_WhenTheLadderIsSilent() =>
        Assert.Empty(LadderPlanner.Plan(L("2026-03-02 10:00"), Eod("2026-03-05"), EscalationLadder.Silent, Yunlong.Hours, Cal));

    [Fact]
    public void Plan_ShouldSkipTheDueMorningNag_WhenTheLadderSaysSo()
    {
        var ladder = EscalationLadder.Default with { NagOnDueMorning = false };
        var steps = LadderPlanner.Plan(L("2026-09-24 10:00"), Eod("2026-09-29"), ladder, Yunlong.Hours, Cal);
        Assert.DoesNotContain(steps, s => s.Kind == LadderStepKind.NagDueMorning);
        Assert.Equal(5, steps.Count);
    }

    [Theory]
    [InlineData("2026-03-02 08:29:59.9999999", "2026-03-02 08:30")]   // one tick before opening
    [InlineData("2026-03-02 08:30", "2026-03-02 08:30")]               // exactly at opening
    [InlineData("2026-03-02 08:30:00.0000001", "2026-03-02 08:30:00.0000001")]
    [InlineData("2026-03-02 17:29:59.9999999", "2026-03-02 17:29:59.9999999")]
    [InlineData("2026-03-02 17:30", "2026-03-03 08:30")]               // exactly at closing: next working day
    [InlineData("2026-03-06 17:30", "2026-03-09 08:30")]               // Friday closing → Monday
    [InlineData("2026-02-13 17:30", "2026-02-14 08:30")]               // → adjusted Saturday
    [InlineData("2026-02-15 10:00", "2026-02-24 08:30")]               // holiday → first day back
    [InlineData("2026-10-10 12:00", "2026-10-10 12:00")]               // adjusted Saturday, inside hours
    public void NextOpening_ShouldReturnTheFirstInstantInWorkingHours_AtEveryThreshold(string t, string expected) =>
        Assert.Equal(L(expected), LadderPlanner.NextOpening(L(t), Yunlong.Hours, Cal));

    [Theory]
    [InlineData("2026-03-02 08:29:59.9999999", false)]
    [InlineData("2026-03-02 08:30", true)]
    [InlineData("2026-03-02 17:29:59.9999999", true)]
    [InlineData("2026-03-02 17:30", false)]
    [InlineData("2026-03-07 10:00", false)]   // plain Saturday
    [InlineData("2026-02-14 10:00", true)]    // adjusted Saturday
    [InlineData("2026-10-05 10:00", false)]   // National Day
    public void IsWithinWorkingHours_ShouldBeTrue_OnlyInsideHoursOnAWorkingDay(string t, bool expected) =>
        Assert.Equal(expected, LadderPlanner.IsWithinWorkingHours(L(t), Yunlong.Hours, Cal));
}
