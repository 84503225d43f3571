namespace RapidResponse.Domain.Roster;

/// <summary>
/// 方城 "5+2": the close-monitoring units (密切监测单位) and the related units (相关单位) are ranked separately; the unit that hosts
/// the 5+2 office (县乡村振兴局 or its successor) is not ranked with them — 附件3: “县乡村振兴局排序运用上级对我县后评估结果”.
/// </summary>
public enum DepartmentKind { CloseMonitoring = 1, Related = 2, CountyOffice = 3 }

/// <summary>A county line department (行业部门) that compares data for the risk types it covers.</summary>
public class Department
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public DepartmentKind Kind { get; set; }
    /// <summary>Risk types this department compares (信息比对), e.g. 因病, 因学.</summary>
    public List<string> RiskTypes { get; set; } = [];
}
