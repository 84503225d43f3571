namespace RapidResponse.Domain.Cases;

/// <summary>One stage of a case with its clock: started, due, completed, and who holds it.</summary>
public class CaseStage
{
    public long Id { get; set; }
    public long CaseId { get; set; }
    public Case? Case { get; set; }
    public StageKind Kind { get; set; }
    /// <summary>Order within the case (1, 2, …); tracking repeats.</summary>
    public int Sequence { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>Null when the profile sets no deadline for the stage.</summary>
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>Completed after <see cref="DueAt"/>.</summary>
    public bool CompletedLate { get; set; }
    public int Deferrals { get; set; }
    public List<StageAssignment> Assignments { get; set; } = [];
    public List<LadderStep> Steps { get; set; } = [];

    public bool IsOpen => CompletedAt is null;
    public bool IsOverdue(DateTimeOffset now) => CompletedAt is null && DueAt is { } due && now > due;
}

/// <summary>A task held by one assignee within a stage (a task card).</summary>
public class StageAssignment
{
    public long Id { get; set; }
    public long StageId { get; set; }
    public CaseStage? Stage { get; set; }
    public AssigneeKind AssigneeKind { get; set; }
    /// <summary>WeCom userid or department code.</summary>
    public required string AssigneeId { get; set; }
    /// <summary>Card task_id: unique, [A-Za-z0-9_-@], ≤ 128 bytes.</summary>
    public required string TaskId { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? CompletedBy { get; set; }
    public TaskResult Result { get; set; }
    public string? Note { get; set; }

    /// <summary>
    /// Staff member one level up who holds the task because no holder could be reached (WeCom reported them all
    /// undeliverable); the assignee stays the one responsible. Null when not moved.
    /// </summary>
    public string? EscalatedTo { get; set; }

    /// <summary>Why the task moved up (who could not be reached and why).</summary>
    public string? EscalationReason { get; set; }

    public bool IsOpen => CompletedAt is null;
}

/// <summary>Nags and overdue levels of the escalation ladder (DESIGN §3).</summary>
public enum LadderStepKind
{
    Nag50 = 1,
    Nag75 = 2,
    NagDueMorning = 3,
    /// <summary>A public notice (公示) has run its course: its holder is asked to confirm and pass the case on.</summary>
    NoticeEnded = 4,
    Overdue1 = 11,
    Overdue2 = 12,
    Overdue3 = 13,
}

/// <summary>A planned nag or escalation of a stage; fires at most once.</summary>
public class LadderStep
{
    public long Id { get; set; }
    public long StageId { get; set; }
    public CaseStage? Stage { get; set; }
    public LadderStepKind Kind { get; set; }
    public DateTimeOffset FireAt { get; set; }
    /// <summary>Set when fired or cancelled; the sweep only looks at rows where this is null.</summary>
    public DateTimeOffset? DoneAt { get; set; }
    public bool Cancelled { get; set; }

    public bool IsOverdueLevel => Kind >= LadderStepKind.Overdue1;
}
