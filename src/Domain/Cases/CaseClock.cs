using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Timelines;

namespace RapidResponse.Domain.Cases;

/// <summary>Who is acting, in what role, through which message.</summary>
public sealed record Actor(string Id, string Role, string? SourceMessageId = null)
{
    public static Actor System(string? source = null) => new("system", "system", source);
}

/// <summary>Someone who will hold a task: a staff member or a department.</summary>
public sealed record Assignee(AssigneeKind Kind, string Id);

/// <summary>The rules and the instant a transition is computed against.</summary>
public sealed record CaseClock(TimelineProfile Profile, WorkingCalendar Calendar, DateTimeOffset Now);
