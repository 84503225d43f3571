using RapidResponse.Domain.Audit;

namespace RapidResponse.Domain.Cases;

/// <summary>One risk clue about one household (风险线索 / 预警案件), on the clock of the profile it started with.</summary>
public partial class Case
{
    public long Id { get; set; }
    /// <summary>e.g. YL-2026-000123</summary>
    public string Number { get; set; } = "";
    public Channel Channel { get; set; }
    public CaseState State { get; set; } = CaseState.Intake;
    public CaseOutcome Outcome { get; set; }
    public List<string> RiskTypes { get; set; } = [];
    public string Description { get; set; } = "";
    public Severity Severity { get; set; } = Severity.General;
    /// <summary>The problem's class, chosen when it is reported (丰都 第五步 限时清零); 一般性问题 unless the reporter chose another.</summary>
    public ProblemClass ProblemClass { get; set; } = ProblemClass.General;

    /// <summary>The household on the roster, when known.</summary>
    public long? HouseholdId { get; set; }
    /// <summary>Applicant as reported (provisional when no household matched).</summary>
    public string? ApplicantName { get; set; }
    public string? ApplicantIdNumber { get; set; }
    public string? ApplicantPhone { get; set; }
    public required string VillageCode { get; set; }

    /// <summary>Who filed it: a WeCom userid, or a 微信客服 external user id for farmers.</summary>
    public string? ReporterId { get; set; }
    /// <summary>How to reach the reporter with the outcome: App (WeCom userid) or Kf (微信客服 external id).</summary>
    public Messaging.InboundChannel? ReporterChannel { get; set; }
    /// <summary>The 微信客服 account the farmer wrote to (open_kfid), for replies.</summary>
    public string? ReporterKfId { get; set; }
    /// <summary>
    /// True when the reporter proved they belong to <see cref="HouseholdId"/> (ID number, name and the roster phone's last
    /// four digits matched). Only a verified reporter is told decisions, reasons and plans.
    /// </summary>
    public bool ReporterVerified { get; set; }
    /// <summary>True when a cadre found it by their own screening (云龙 三(三): same-day household check).</summary>
    public bool ActiveScreening { get; set; }

    public string ProfileName { get; set; } = "";
    public int ProfileVersion { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    public bool? Qualifies { get; set; }
    public string? DecisionReason { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? AssistancePlan { get; set; }
    public DateTimeOffset? AssistanceStartedAt { get; set; }
    public DateTimeOffset? RiskEliminatedAt { get; set; }

    /// <summary>A pending risk-elimination proposal (风险消除): when, by whom, on what grounds; null when none is pending.</summary>
    public DateTimeOffset? EliminationProposedAt { get; set; }
    public string? EliminationProposedBy { get; set; }
    public string? EliminationReason { get; set; }
    /// <summary>知情同意 (云龙 预警机制 二(九)): who in the household agreed, when and how.</summary>
    public string? ConsentBy { get; set; }
    public DateTimeOffset? ConsentAt { get; set; }
    public string? ConsentHow { get; set; }

    /// <summary>Idempotency key of the source (e.g. a department list row), unique when set.</summary>
    public string? SourceKey { get; set; }

    /// <summary>
    /// Concurrency token: raised by every change to the case or its stages (each one is audited, see <c>Record</c>), so two
    /// people acting on one case at the same moment cannot both save what they saw; the later one is redone from fresh state.
    /// An integer rather than a rowversion: SQLite has none, and the same model serves PostgreSQL.
    /// </summary>
    public long Version { get; set; }

    public List<CaseStage> Stages { get; set; } = [];
    public List<Visit> Visits { get; set; } = [];
    public List<AuditEvent> Audit { get; set; } = [];

    public bool IsOpen => State != CaseState.Closed;

    /// <summary>
    /// A warning the county found itself (丰都 第二步 “县级通过系统信息比对或信访、舆情及市级反馈等渠道发现的各类预警信息”): a
    /// department's list, a petition, public opinion. A profile may send these to the township as a list first (FD-5).
    /// </summary>
    public bool FoundByCounty => Channel is Channel.DepartmentList or Channel.Petition or Channel.PublicOpinion;

    /// <summary>The stage being worked, if any.</summary>
    public CaseStage? CurrentStage => Stages.Where(s => s.CompletedAt is null).OrderByDescending(s => s.Sequence).FirstOrDefault();
}

/// <summary>A tracking visit (走访) recorded by the contact person or a cadre.</summary>
public class Visit
{
    public long Id { get; set; }
    public long CaseId { get; set; }
    public required string ByUserId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Note { get; set; }
}
