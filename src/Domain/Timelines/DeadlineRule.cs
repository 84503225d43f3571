using RapidResponse.Domain.Calendar;

namespace RapidResponse.Domain.Timelines;

/// <summary>How a stage's deadline is counted from its start (DESIGN §2).</summary>
public enum DeadlineKind
{
    /// <summary>No deadline (no ladder).</summary>
    None = 0,
    /// <summary>当天: end of the start day if it is a working day and the start is before closing time, else end of the next working day.</summary>
    SameDay = 1,
    /// <summary>N个工作日: end of the Nth working day after the start day (the start day is not counted).</summary>
    WorkingDays = 2,
    /// <summary>N days: calendar days, end of day.</summary>
    CalendarDays = 3,
    /// <summary>N months: calendar months, end of day, clamped to the month's last day.</summary>
    Months = 4,
    /// <summary>N hours, to the minute (e.g. the 48-hour emergency report).</summary>
    Hours = 5,
    /// <summary>月底前: end of the last day of the start's month (丰都 第五步 每月末).</summary>
    MonthEnd = 6,
}

/// <summary>A deadline rule of a profile stage.</summary>
public sealed record DeadlineRule(DeadlineKind Kind, int Value = 0)
{
    public static readonly DeadlineRule None = new(DeadlineKind.None);

    /// <summary>The due instant for a stage started at <paramref name="start"/>, or null when the rule sets none.</summary>
    public DateTimeOffset? DueFrom(DateTimeOffset start, WorkingCalendar calendar, TimeOnly officeClosing)
    {
        var local = ChinaTime.ToLocal(start);
        var day = DateOnly.FromDateTime(local.DateTime);
        return Kind switch
        {
            DeadlineKind.None => null,
            DeadlineKind.SameDay => ChinaTime.EndOfDay(
                calendar.IsWorkingDay(day) && TimeOnly.FromDateTime(local.DateTime) < officeClosing
                    ? day
                    : calendar.AddWorkingDays(day, 1)),
            DeadlineKind.WorkingDays => ChinaTime.EndOfDay(calendar.AddWorkingDays(day, Value)),
            DeadlineKind.CalendarDays => ChinaTime.EndOfDay(day.AddDays(Value)),
            // DateOnly.AddMonths clamps Jan 31 + 1 month to Feb 28/29.
            DeadlineKind.Months => ChinaTime.EndOfDay(day.AddMonths(Value)),
            DeadlineKind.Hours => local.AddHours(Value),
            DeadlineKind.MonthEnd => ChinaTime.EndOfDay(new DateOnly(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month))),
            _ => throw new InvalidOperationException($"unknown deadline kind {Kind}"),
        };
    }

    /// <summary>Short Chinese description used in receipts: "当天", "2个工作日", "1个月".</summary>
    public string Describe() => Kind switch
    {
        DeadlineKind.None => "不限时",
        DeadlineKind.SameDay => "当天",
        DeadlineKind.WorkingDays => $"{Value}个工作日",
        DeadlineKind.CalendarDays => $"{Value}天",
        DeadlineKind.Months => $"{Value}个月",
        DeadlineKind.Hours => $"{Value}小时",
        DeadlineKind.MonthEnd => "当月月底前",
        _ => Kind.ToString(),
    };
}
