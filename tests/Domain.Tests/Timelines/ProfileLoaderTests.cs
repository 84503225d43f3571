using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Domain.Tests.Timelines;

public class ProfileLoaderTests
{
    [Fact]
    public void Load_ShouldReadTheYunlongProfile_WhenGivenItsName()
    {
        var p = ProfileLoader.Load("yunlong");

        Assert.Equal(("yunlong", 3, "YL"), (p.Name, p.Version, p.CasePrefix));
        Assert.Equal(new TimeOnly(17, 30), p.OfficeClosing);
        Assert.Equal(new WorkingHours(new(8, 30), new(17, 30), new(8, 30)), p.Hours);
        Assert.Equal(
            [StageKind.Intake, StageKind.Comparison, StageKind.ForwardToVillage, StageKind.HouseholdCheck, StageKind.Appraisal, StageKind.VillageNotice,
             StageKind.TownshipNotice, StageKind.Decision, StageKind.AssistanceStart, StageKind.Tracking,
             StageKind.EliminationAppraisal, StageKind.EliminationVillageNotice, StageKind.EliminationReview, StageKind.EliminationConfirmation],
            p.Stages.Select(s => s.Kind));
        // 云龙 预警机制 二(七)(八): no invented 研判认定 limit; the two notices run 5 calendar days (公示5天). 二(九): elimination passes
        // the same 民主评议、逐级审定.
        Assert.Equal(["sameDay", "2wd", "2wd", "3wd", "monthEnd", "none", "none", "none", "1m", "1m", "monthEnd", "none", "none", "monthEnd"], p.Stages.Select(s => Syntax(s.Deadline)));
        Assert.Equal([null, null, null, null, null, "5d", "5d", null, null, null, null, "5d", "5d", null], p.Stages.Select(s => s.Notice is { } n ? Syntax(n) : null));
        Assert.Equal([StageKind.EliminationAppraisal, StageKind.EliminationVillageNotice, StageKind.EliminationReview, StageKind.EliminationConfirmation], p.EliminationOrder);
        Assert.Equal(StageActor.County, p.Stage(StageKind.Decision).Actor);
        Assert.Null(p.Elimination!.LastDays);
        Assert.Equal([1, 4, 7, 10], p.Elimination!.Months);
        Assert.Equal(StageActor.Departments, p.Stage(StageKind.Comparison).Actor);
        Assert.Equal(2, p.Stage(StageKind.HouseholdCheck).Assignees);
        Assert.Equal(new DeadlineRule(DeadlineKind.SameDay), p.Stage(StageKind.HouseholdCheck).ActiveScreeningDeadline);
        Assert.Equal(
            [StageKind.Intake, StageKind.HouseholdCheck, StageKind.Comparison, StageKind.Appraisal, StageKind.VillageNotice, StageKind.TownshipNotice,
             StageKind.Decision, StageKind.AssistanceStart, StageKind.Tracking],
            p.ActiveScreeningOrder);
        Assert.Equal([0.5, 0.75], p.Stage(StageKind.Comparison).Ladder.NagAtFractions);
        Assert.Equal([(1, 0), (2, 1), (3, 3)], p.Stage(StageKind.Comparison).Ladder.Levels.Select(l => (l.Level, l.AfterWorkingDays)));
        Assert.True(p.ShowRankings);
        Assert.Equal(5, p.MaxHouseholdsPerContact);
    }

    /// <summary>云龙 责任追溯 三(一) 双月一通报 and 四(三) 约谈 threshold; 丰都 sets no rhythm (monthly).</summary>
    [Fact]
    public void Load_ShouldReadTheBulletinCadenceAndInterviewThreshold_WhenTheProfileSetsThem()
    {
        var yl = ProfileLoader.Load("yunlong");
        Assert.Equal((RapidResponse.Domain.Bulletins.BulletinCadence.Bimonthly, 3), (yl.BulletinCadence, yl.InterviewThreshold));
        var fd = ProfileLoader.Load("fengdu");
        Assert.Equal((RapidResponse.Domain.Bulletins.BulletinCadence.Monthly, 3), (fd.BulletinCadence, fd.InterviewThreshold));
        const string bad = """
            { "name": "x", "version": 1, "casePrefix": "X", "bulletinCadence": "weekly", "interviewThreshold": 0,
              "stages": [ { "kind": "intake", "name": "受理", "actor": "village", "deadline": "sameDay" } ] }
            """;
        var e = Assert.Throws<InvalidProfileException>(() => ProfileLoader.Parse(bad, "bad.json"));
        Assert.Contains(e.Problems, p => p.Contains("'bulletinCadence': 'weekly' is not one of monthly, bimonthly"));
        Assert.Contains(e.Problems, p => p.Contains("'interviewThreshold' must be at least 1"));
    }

    [Fact]
    public void Load_ShouldReadTheFengduProfile_WhenGivenItsNameInAnyCase()
    {
        var p = ProfileLoader.Load("FengDu");

        Assert.Equal(("fengdu", 3, "FD"), (p.Name, p.Version, p.CasePrefix));
        Assert.Equal(new TimeOnly(9, 0), p.Hours.Start);
        Assert.Equal(
            [StageKind.Intake, StageKind.CountyForward, StageKind.SeriousRiskReport, StageKind.HouseholdCheck, StageKind.Decision, StageKind.AssistanceStart, StageKind.Implementation,
             StageKind.DepartmentReply, StageKind.ProblemClearance, StageKind.Tracking, StageKind.EliminationReview, StageKind.EliminationConfirmation],
            p.Stages.Select(s => s.Kind));
        Assert.Equal(["sameDay", "1wd", "3wd", "1wd", "1wd", "5wd", "5wd", "5wd", "15d", "1m", "monthEnd", "monthEnd"], p.Stages.Select(s => Syntax(s.Deadline)));
        // FD-19: 一般性问题15日内、疑难问题半年内、特殊问题一年内.
        Assert.Equal(["15d", "6m", "12m"], Enum.GetValues<ProblemClass>().Select(c => Syntax(p.Stage(StageKind.ProblemClearance).DeadlineFor(c))));
        // FD-5: a warning the county found itself goes to the township as a list, in place of the village's grid summary.
        Assert.True(p.Stage(StageKind.CountyForward).CountyFoundOnly);
        Assert.Equal(StageActor.County, p.Stage(StageKind.CountyForward).Actor);
        Assert.Equal([StageKind.CountyForward, StageKind.HouseholdCheck], p.OrderFor(activeScreening: false, countyFound: true).Take(2));
        Assert.Equal([StageKind.Intake, StageKind.HouseholdCheck], p.OrderFor(activeScreening: false).Take(2));
        Assert.Equal(StageKind.ProblemClearance, p.Next(StageKind.Implementation, activeScreening: false));   // the reply only on a referral
        Assert.True(p.Stage(StageKind.SeriousRiskReport).SeriousOnly);
        Assert.DoesNotContain(StageKind.SeriousRiskReport, p.OrderFor(activeScreening: false, serious: false));
        Assert.Contains(StageKind.SeriousRiskReport, p.OrderFor(activeScreening: false, serious: true));
        Assert.Equal(5, p.Elimination!.LastDays);
        Assert.Equal(new DeadlineRule(DeadlineKind.WorkingDays, 20), p.MeasuresWithin);   // FD-13
        Assert.False(p.Has(StageKind.Comparison));
        Assert.False(p.ShowRankings);
        Assert.Equal(2, p.MaxHouseholdsPerContact);   // FD: 每名联系人最多不超过2户
        Assert.Same(EscalationLadder.Default, p.Stage(StageKind.Intake).Ladder);   // no defaultLadder: the built-in default
    }

    [Fact]
    public void Parse_ShouldReadTheDocumentedExample_WithNoticesConditionsWindowAndVisitIntervals()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "docs", "timeline-profiles.md"))) dir = dir.Parent;
        var md = File.ReadAllText(Path.Combine(dir.FullName, "docs", "timeline-profiles.md"));
        var start = md.IndexOf("```jsonc", StringComparison.Ordinal) + "```jsonc".Length;
        var p = ProfileLoader.Parse(md[start..md.IndexOf("```", start, StringComparison.Ordinal)], "docs/timeline-profiles.md");

        Assert.Equal(new DeadlineRule(DeadlineKind.CalendarDays, 5), p.Stage(StageKind.VillageNotice).Notice);
        Assert.True(p.Stage(StageKind.SeriousRiskReport).SeriousOnly);
        Assert.Equal(new DeadlineRule(DeadlineKind.MonthEnd), p.Stage(StageKind.Appraisal).Deadline);
        Assert.Equal([1, 4, 7, 10], p.Elimination!.Months);
        Assert.Equal(new DeadlineRule(DeadlineKind.Months, 3), p.TrackingFor(Roster.HouseholdCategory.LiftedOut));
        Assert.Equal(new DeadlineRule(DeadlineKind.Months, 1), p.TrackingFor(Roster.HouseholdCategory.MarginalAtRisk));
    }

    [Fact]
    public void Parse_ShouldListEveryProblem_WhenTheNewKeysAreWrong()
    {
        var e = Assert.Throws<InvalidProfileException>(() => ProfileLoader.Parse("""
            { "name": "x", "version": 1, "casePrefix": "X",
              "stages": [ { "kind": "intake", "name": "受理", "actor": "village", "deadline": "sameDay", "when": "urgent", "notice": "5 days" },
                          { "kind": "tracking", "name": "跟踪", "actor": "contactPerson", "deadline": "1m" } ],
              "eliminationWindow": { "months": [0, 4], "lastDays": 40 },
              "trackingByCategory": { "poor": "1m", "liftedOut": "soon" } }
            """, "bad.json"));
        Assert.Contains(e.Problems, x => x.Contains("when: 'urgent' is not known"));
        Assert.Contains(e.Problems, x => x.Contains("notice: '5 days' is not a deadline"));
        Assert.Contains(e.Problems, x => x.Contains("eliminationWindow.months: 0"));
        Assert.Contains(e.Problems, x => x.Contains("lastDays must be 1–28"));
        Assert.Contains(e.Problems, x => x.Contains("trackingByCategory: 'poor'"));
        Assert.Contains(e.Problems, x => x.Contains("trackingByCategory.liftedOut: 'soon'"));
    }

    [Fact]
    public void Load_ShouldReadACountysOwnProfile_WhenGivenAFilePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"qingxi-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            {
              // a county's own profile: comments and trailing commas are allowed
              "name": "qingxi", "version": 3, "title": "青溪县快速反应", "casePrefix": "QX",
              "officeClosing": "18:00",
              "workingHours": { "start": "08:00", "end": "18:00", "dueMorningNagAt": "08:30" },
              "stages": [
                { "kind": "intake", "name": "受理", "actor": "village", "deadline": "sameDay" },
                { "kind": "householdCheck", "name": "入户核查", "actor": "village", "assignees": 2, "deadline": "2wd",
                  "ladder": { "nagAt": [0.5], "nagOnDueMorning": false, "levels": [ { "level": 1, "afterWorkingDays": 0, "target": "townshipGroup" } ] } },
                { "kind": "decision", "name": "研判认定", "actor": "county", "deadline": "none" },
              ],
            }
            """);
        try
        {
            var p = ProfileLoader.Load(path);
            Assert.Equal(("qingxi", 3, "QX"), (p.Name, p.Version, p.CasePrefix));
            Assert.Equal(new TimeOnly(18, 0), p.OfficeClosing);
            Assert.Equal([0.5], p.Stage(StageKind.HouseholdCheck).Ladder.NagAtFractions);
            Assert.False(p.Stage(StageKind.HouseholdCheck).Ladder.NagOnDueMorning);
            Assert.Same(EscalationLadder.Silent, p.Stage(StageKind.Decision).Ladder);   // no deadline, no ladder
            Assert.Same(EscalationLadder.Default, p.Stage(StageKind.Intake).Ladder);
            Assert.Equal(5, p.MaxHouseholdsPerContact);
            Assert.True(p.ShowRankings);
            Assert.Empty(p.ActiveScreeningOrder);

            // Cases keep name + version: the registry finds the county profile and the built-ins.
            var registry = new ProfileRegistry(p);
            Assert.Same(p, registry.Get("qingxi", 3));
            Assert.Equal("yunlong", registry.Get("yunlong", 1).Name);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Parse_ShouldListEveryProblem_WhenSeveralFieldsAreBroken()
    {
        const string json = """
            {
              "name": "broken", "version": 0, "casePrefix": "yl", "officeClosing": "5pm",
              "workingHours": { "start": "18:00", "end": "08:00" },
              "showRankings": "yes",
              "maxHouseholdsPerContact": 0,
              "escalation": {},
              "defaultLadder": { "nagAt": [1.5, "half"], "levels": [ { "level": 4, "afterWorkingDays": -1, "target": "mayor" } ] },
              "stages": [
                { "kind": "comparison", "name": "信息比对", "actor": "departments", "deadline": "2 weeks" },
                { "kind": "intake", "actor": "mayor", "deadline": 2 },
                { "kind": "comparison", "name": "again", "actor": "departments", "deadline": "2wd", "deadLine": "3wd" },
                { "kind": "visit", "name": "x", "actor": "village" }
              ],
              "activeScreeningOrder": ["householdCheck", 7]
            }
            """;

        var e = Assert.Throws<InvalidProfileException>(() => ProfileLoader.Parse(json, "broken.json"));

        string[] expected =
        [
            "'version' must be a positive integer",
            "'casePrefix' must be 1–6 upper-case letters",
            "'officeClosing': '5pm' is not a time of day",
            "'workingHours.start' must be before 'workingHours.end'",
            "'escalation' is not a known key",
            "defaultLadder.nagAt: 1.5 must be a fraction",
            "defaultLadder.nagAt: \"half\" must be a fraction",
            "defaultLadder.levels: level must be 1, 2 or 3",
            "defaultLadder.levels: afterWorkingDays must not be negative",
            "defaultLadder.levels.target: 'mayor' is not one of",
            "stages[0].deadline: '2 weeks' is not a deadline",
            "the first stage must be 'intake'",
            "stages[1].actor: 'mayor' is not one of",
            "stages[1].deadline: 2 must be a string",
            "'stages[1].name' is required",
            "'stages[2].deadLine' is not a known key",
            "stages[3].kind: 'visit' is not one of",
            "stages[3].deadline is missing",
            "stage 'comparison' appears 2 times",
            "activeScreeningOrder: 'householdCheck' is not a stage of this profile",
            "activeScreeningOrder: '7' is not a stage of this profile",
            "'showRankings' must be true or false",
            "'maxHouseholdsPerContact' must be at least 1",
        ];
        foreach (var x in expected)
            Assert.True(e.Problems.Any(p => p.Contains(x, StringComparison.Ordinal)), $"missing problem: {x}\nall:\n{string.Join("\n", e.Problems)}");
        Assert.Equal(expected.Length, e.Problems.Count);
        Assert.Contains("broken.json", e.Message);
        foreach (var x in expected) Assert.Contains(x, e.Message);
    }

    [Fact]
    public void Load_ShouldListEveryProblem_WhenACountyFileByPathIsInvalid()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            { "name": "bad", "version": 1, "casePrefix": "BD",
              "workingHours": { "start": "08:30", "end": "17:30", "dueMorningNagAt": "07:00" },
              "stages": [ { "kind": "intake", "name": "受理", "actor": "village", "deadline": "sameDay", "assignees": 9,
                            "ladder": { "nagAt": [0.75, 0.5, 0.9], "nagOnDueMorning": "no" } } ] }
            """);
        try
        {
            var e = Assert.Throws<InvalidProfileException>(() => ProfileLoader.Load(path));
            Assert.Contains(e.Problems, p => p.Contains("dueMorningNagAt' must lie inside working hours"));
            Assert.Contains(e.Problems, p => p.Contains("stages[0].assignees must be 1–5"));
            Assert.Contains(e.Problems, p => p.Contains("at most two nag fractions"));
            Assert.Contains(e.Problems, p => p.Contains("nagAt must be in increasing order"));
            Assert.Contains(e.Problems, p => p.Contains("nagOnDueMorning' must be true or false"));
            Assert.Equal(5, e.Problems.Count);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("{}", "'name' is required")]
    public void Parse_ShouldExplain_WhenTheFileIsNotAProfile(string json, string problem)
    {
        var e = Assert.Throws<InvalidProfileException>(() => ProfileLoader.Parse(json, "x.json"));
        Assert.Contains(e.Problems, p => p.Contains(problem));
    }

    [Fact]
    public void Load_ShouldExplain_WhenNeitherABuiltInNameNorAFile()
    {
        var e = Assert.Throws<InvalidProfileException>(() => ProfileLoader.Load("no-such-county.json"));
        Assert.Contains("yunlong, fengdu", Assert.Single(e.Problems));
    }

    [Fact]
    public void Parse_ShouldRefuseALadderWithLevelsOutOfOrder_WhenALevelRepeats()
    {
        const string json = """
            { "name": "x", "version": 1, "casePrefix": "X",
              "defaultLadder": { "levels": [ { "level": 1, "afterWorkingDays": 0, "target": "townshipGroup" },
                                             { "level": 1, "afterWorkingDays": 2, "target": "countyGroup" } ] },
              "stages": [ { "kind": "intake", "name": "受理", "actor": "village", "deadline": "sameDay" } ],
              "activeScreeningOrder": ["intake", "intake"] }
            """;
        var e = Assert.Throws<InvalidProfileException>(() => ProfileLoader.Parse(json, "x"));
        Assert.Contains(e.Problems, p => p.Contains("levels 1, 2, 3 once each"));
        Assert.Contains(e.Problems, p => p.Contains("'intake' appears more than once"));
        Assert.Equal(2, e.Problems.Count);
    }

    private static string Syntax(DeadlineRule r) => r.Kind switch
    {
        DeadlineKind.None => "none",
        DeadlineKind.SameDay => "sameDay",
        DeadlineKind.WorkingDays => $"{r.Value}wd",
        DeadlineKind.CalendarDays => $"{r.Value}d",
        DeadlineKind.Months => $"{r.Value}m",
        DeadlineKind.MonthEnd => "monthEnd",
        _ => $"{r.Value}h",
    };
}
