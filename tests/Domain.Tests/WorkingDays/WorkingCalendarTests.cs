using RapidResponse.Domain.Calendar;
using static RapidResponse.Domain.Tests.T;

namespace RapidResponse.Domain.Tests.WorkingDays;

/// <summary>
/// Expected dates are read by hand from Calendar/Data/2025.json and 2026.json (State Council notices
/// 国办发明电〔2024〕12号 and 〔2025〕7号), not computed by the calendar under test.
/// </summary>
public class WorkingCalendarTests
{
    [Theory]
    // 2026 春节: 02-15 (Sun) … 02-23 (Mon) off; 02-14 (Sat) and 02-28 (Sat) worked.
    [InlineData("2026-02-13", true)]   // Friday before the holiday
    [InlineData("2026-02-14", true)]   // Saturday, 调休 working day
    [InlineData("2026-02-15", false)]  // Sunday, first holiday day
    [InlineData("2026-02-17", false)]  // 正月初一, Tuesday
    [InlineData("2026-02-23", false)]  // Monday, last holiday day
    [InlineData("2026-02-24", true)]   // Tuesday, back to work
    [InlineData("2026-02-28", true)]   // Saturday, 调休 working day
    [InlineData("2026-03-01", false)]  // plain Sunday
    // 2025 国庆节、中秋节: 10-01 … 10-08 off; 09-28 (Sun) and 10-11 (Sat) worked.
    [InlineData("2025-09-27", false)]  // plain Saturday
    [InlineData("2025-09-28", true)]   // Sunday, 调休
    [InlineData("2025-09-30", true)]
    [InlineData("2025-10-01", false)]
    [InlineData("2025-10-06", false)]  // 中秋节 inside the merged holiday
    [InlineData("2025-10-08", false)]
    [InlineData("2025-10-09", true)]
    [InlineData("2025-10-11", true)]   // Saturday, 调休
    [InlineData("2025-10-12", false)]
    // 2026 中秋节 09-25 … 09-27 and 国庆节 10-01 … 10-07; 09-20 (Sun) and 10-10 (Sat) worked.
    [InlineData("2026-09-19", false)]
    [InlineData("2026-09-20", true)]   // Sunday, 调休
    [InlineData("2026-09-25", false)]  // 中秋节, Friday
    [InlineData("2026-09-28", true)]
    [InlineData("2026-10-01", false)]
    [InlineData("2026-10-07", false)]
    [InlineData("2026-10-08", true)]
    [InlineData("2026-10-10", true)]   // Saturday, 调休
    [InlineData("2026-10-11", false)]
    // 2026 元旦: 01-01 … 01-03 off; 01-04 (Sun) worked.
    [InlineData("2025-12-31", true)]
    [InlineData("2026-01-01", false)]
    [InlineData("2026-01-02", false)]  // Friday
    [InlineData("2026-01-03", false)]
    [InlineData("2026-01-04", true)]   // Sunday, 调休
    public void IsWorkingDay_ShouldFollowTheStateCouncilNotice_WhenTheYearHasData(string date, bool working) =>
        Assert.Equal(working, Cal.IsWorkingDay(D(date)));

    [Theory]
    // Friday 2026-02-13 before 春节: +1 is the adjusted Saturday, then the nine days off.
    [InlineData("2026-02-13", 1, "2026-02-14")]
    [InlineData("2026-02-13", 2, "2026-02-24")]
    [InlineData("2026-02-13", 3, "2026-02-25")]
    [InlineData("2026-02-13", 6, "2026-02-28")]
    [InlineData("2026-02-13", 7, "2026-03-02")]
    [InlineData("2026-02-14", 1, "2026-02-24")]   // start on the adjusted Saturday
    [InlineData("2026-02-16", 1, "2026-02-24")]   // start inside the holiday
    // 2025 National Day / Mid-Autumn.
    [InlineData("2025-09-26", 1, "2025-09-28")]   // Friday → the adjusted Sunday
    [InlineData("2025-09-26", 4, "2025-10-09")]
    [InlineData("2025-09-30", 1, "2025-10-09")]
    [InlineData("2025-09-30", 3, "2025-10-11")]   // the adjusted Saturday counts
    [InlineData("2025-09-30", 4, "2025-10-13")]
    // 2026 Mid-Autumn + National Day.
    [InlineData("2026-09-18", 1, "2026-09-20")]
    [InlineData("2026-09-18", 2, "2026-09-21")]
    [InlineData("2026-09-24", 1, "2026-09-28")]
    [InlineData("2026-09-24", 4, "2026-10-08")]
    [InlineData("2026-09-30", 1, "2026-10-08")]
    [InlineData("2026-09-30", 3, "2026-10-10")]
    [InlineData("2026-09-30", 4, "2026-10-12")]
    // 2026 New Year: across the year boundary into the adjusted Sunday.
    [InlineData("2025-12-31", 1, "2026-01-04")]
    [InlineData("2025-12-31", 2, "2026-01-05")]
    [InlineData("2026-03-02", 0, "2026-03-02")]   // zero working days: the start day itself
    public void AddWorkingDays_ShouldSkipHolidaysAndCountAdjustedDays_WhenCrossingAHoliday(string start, int n, string expected) =>
        Assert.Equal(D(expected), Cal.AddWorkingDays(D(start), n));

    [Theory]
    [InlineData("2026-02-15", "2026-02-24")]
    [InlineData("2026-02-14", "2026-02-14")]
    [InlineData("2026-10-03", "2026-10-08")]
    [InlineData("2026-01-01", "2026-01-04")]
    public void OnOrNextWorkingDay_ShouldReturnTheFirstWorkingDay_WhenStartingOnAnyDay(string date, string expected) =>
        Assert.Equal(D(expected), Cal.OnOrNextWorkingDay(D(date)));

    [Theory]
    [InlineData(2026, 1, "2026-01-04")]   // 01-01..03 off, the 4th is an adjusted Sunday
    [InlineData(2026, 2, "2026-02-02")]   // 02-01 is a Sunday
    [InlineData(2026, 10, "2026-10-08")]
    [InlineData(2025, 10, "2025-10-09")]
    public void FirstWorkingDayOfMonth_ShouldSkipHolidays_WhenTheMonthStartsWithOne(int year, int month, string expected) =>
        Assert.Equal(D(expected), Cal.FirstWorkingDayOfMonth(year, month));

    [Fact]
    public void WorkingDaysBetween_ShouldCountAdjustedDaysAndExcludeTheStart_WhenSpanningSpringFestival() =>
        // 02-14, 02-24, 02-25, 02-26, 02-27, 02-28
        Assert.Equal(6, Cal.WorkingDaysBetween(D("2026-02-13"), D("2026-02-28")));

    [Fact]
    public void HolidayName_ShouldNameTheHoliday_WhenTheDayIsListed()
    {
        Assert.Equal("春节", Cal.HolidayName(D("2026-02-14")));
        Assert.Equal("国庆节、中秋节", Cal.HolidayName(D("2025-10-06")));
        Assert.Null(Cal.HolidayName(D("2026-03-02")));
    }

    [Theory]
    [InlineData("2027-01-01", true)]    // would be 元旦, but there is no 2027 notice: a plain Friday
    [InlineData("2027-01-02", false)]   // plain Saturday
    [InlineData("2027-02-06", false)]   // plain Saturday
    [InlineData("2027-10-01", true)]    // plain Friday
    public void IsWorkingDay_ShouldFallBackToPlainWeekends_WhenTheYearHasNoData(string date, bool working)
    {
        var calendar = WorkingCalendar.LoadDefault();
        Assert.Equal(working, calendar.IsWorkingDay(D(date)));
        Assert.Contains(2027, calendar.MissingYears);
    }

    [Fact]
    public void MissingYear_ShouldBeRaisedOnceAndReported_WhenAYearWithoutDataIsUsed()
    {
        var calendar = WorkingCalendar.LoadDefault();
        var raised = new List<int>();
        calendar.MissingYear += raised.Add;

        Assert.False(calendar.HasDataFor(2027));
        Assert.Empty(calendar.Warnings);
        Assert.Equal(D("2027-01-01"), calendar.AddWorkingDays(D("2026-12-31"), 1));
        Assert.Equal(D("2027-01-04"), calendar.AddWorkingDays(D("2026-12-31"), 2));
        calendar.IsWorkingDay(D("2027-05-01"));

        Assert.Equal([2027], raised);
        Assert.Equal([2027], calendar.MissingYears);
        var warning = Assert.Single(calendar.Warnings);
        Assert.Contains("2027", warning);
        Assert.Contains("缺少2027年节假日安排数据", warning);
    }

    [Fact]
    public void WarningsFor_ShouldReportMissingYears_WhenNotAskedAboutYet()
    {
        var calendar = WorkingCalendar.LoadDefault();
        var raised = new List<int>();
        calendar.MissingYear += raised.Add;

        var warnings = calendar.WarningsFor(2026, 2027);

        Assert.Equal([2027], raised);
        Assert.Contains("2027", Assert.Single(warnings));
        Assert.True(calendar.HasDataFor(2026));
    }

    [Fact]
    public void MissingYear_ShouldNotBeRaised_WhenOnlyYearsWithDataAreUsed()
    {
        var calendar = WorkingCalendar.LoadDefault();
        var raised = new List<int>();
        calendar.MissingYear += raised.Add;
        calendar.AddWorkingDays(D("2024-01-02"), 300);
        calendar.AddWorkingDays(D("2025-12-01"), 20);
        Assert.Empty(raised);
        Assert.Empty(calendar.Warnings);
        Assert.Equal([2024, 2025, 2026], calendar.Years.Order());
    }

    [Fact]
    public void Reload_ShouldSwapTheYearsAtOnceAndStopTheWarning_WhenAMissingYearArrives()
    {
        var calendar = WorkingCalendar.LoadDefault();
        Assert.Equal(D("2027-01-01"), calendar.AddWorkingDays(D("2026-12-31"), 1)); // plain Friday
        Assert.Single(calendar.WarningsFor(2027));
        var year = HolidayYear.Parse(new MemoryStream("""{"year":2027,"source":"test","days":[{"date":"2027-01-01","name":"元旦","isOffDay":true}]}"""u8.ToArray()));

        calendar.Reload(WorkingCalendar.Compose(WorkingCalendar.BuiltInYears(), [year]));

        Assert.Equal(D("2027-01-04"), calendar.AddWorkingDays(D("2026-12-31"), 1));
        Assert.Equal([2024, 2025, 2026, 2027], calendar.Years.Order());
        Assert.Empty(calendar.MissingYears);
        Assert.Empty(calendar.WarningsFor(2026, 2027));
        Assert.True(calendar.IsWorkingDay(D("2026-10-12")), "the built-in years stay");
    }

    [Fact]
    public async Task Reload_ShouldNeverMixTables_WhenSwappedWhileDeadlinesAreComputed()
    {
        // Two tables that differ on every January day of 2027: a computation reading both would land between the answers.
        HolidayYear Year(bool off) => new(2027, "test", [.. Enumerable.Range(1, 31).Select(d => new HolidayDay(new DateOnly(2027, 1, d), "测试", off && d % 2 == 1))]);
        var calendar = new WorkingCalendar([Year(false)]);
        var allWorking = calendar.AddWorkingDays(D("2026-12-31"), 10);
        calendar.Reload([Year(true)]);
        var oddOff = calendar.AddWorkingDays(D("2026-12-31"), 10);
        Assert.NotEqual(allWorking, oddOff);

        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var swapper = Task.Run(() => { for (var i = 0; !stop.IsCancellationRequested; i++) calendar.Reload([Year(i % 2 == 0)]); });
        var seen = new HashSet<DateOnly>();
        while (!stop.IsCancellationRequested) seen.Add(calendar.AddWorkingDays(D("2026-12-31"), 10));
        await swapper;
        Assert.Subset(new HashSet<DateOnly> { allWorking, oddOff }, seen);
    }

    [Fact]
    public void LoadDefault_ShouldAddAYear_WhenAnExtraDirectoryHoldsItsFile()
    {
        var dir = Directory.CreateTempSubdirectory("holidays-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "2027.json"),
                """{"year":2027,"source":"test","days":[{"date":"2027-01-01","name":"元旦","isOffDay":true}]}""");
            var calendar = WorkingCalendar.LoadDefault(dir.FullName);
            Assert.True(calendar.HasDataFor(2027));
            Assert.False(calendar.IsWorkingDay(D("2027-01-01")));
            Assert.Empty(calendar.MissingYears);
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void Parse_ShouldRefuse_WhenAFileListsADateOfAnotherYear()
    {
        using var s = new MemoryStream("""{"year":2027,"days":[{"date":"2026-12-31","name":"元旦","isOffDay":true}]}"""u8.ToArray());
        Assert.Throws<InvalidDataException>(() => HolidayYear.Parse(s));
    }
}

public class ChinaTimeTests
{
    [Fact]
    public void EndOfDay_ShouldBeTheLastTickOfTheShanghaiDay_WhenGivenADate()
    {
        var eod = ChinaTime.EndOfDay(D("2026-02-13"));
        Assert.Equal(new DateTimeOffset(2026, 2, 13, 15, 59, 59, TimeSpan.Zero).AddTicks(9_999_999), eod);
        Assert.Equal(ChinaTime.StartOfDay(D("2026-02-14")), eod.AddTicks(1));
    }

    [Theory]
    [InlineData(-1, "2026-02-13")]  // one tick before the end of day
    [InlineData(0, "2026-02-13")]   // exactly at the end of day
    [InlineData(1, "2026-02-14")]   // one tick after: the next day
    public void DateOf_ShouldChangeDay_OnlyAfterTheLastTick(int ticks, string expected) =>
        Assert.Equal(D(expected), ChinaTime.DateOf(ChinaTime.EndOfDay(D("2026-02-13")).AddTicks(ticks)));

    [Theory]
    [InlineData("2026-02-13T15:59:59.9999999Z", "2026-02-13")]
    [InlineData("2026-02-13T16:00:00Z", "2026-02-14")]
    [InlineData("2026-02-14T00:30:00+08:00", "2026-02-14")]
    public void DateOf_ShouldUseShanghaiTime_WhenTheInstantIsInAnotherOffset(string instant, string expected) =>
        Assert.Equal(D(expected), ChinaTime.DateOf(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
}
