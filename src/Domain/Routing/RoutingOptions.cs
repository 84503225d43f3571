namespace RapidResponse.Domain.Routing;

/// <summary>
/// Which departments compare which risk types (configurable: section "Routing:RiskDepartments").
/// When a risk type has no entry here, the departments whose roster row lists the type are used.
/// </summary>
public sealed class RoutingOptions
{
    /// <summary>Risk type → department codes, e.g. 因病 → [WJ, YB].</summary>
    public Dictionary<string, List<string>> RiskDepartments { get; set; } = new()
    {
        ["因病"] = ["WJ", "YB"],
        ["因学"] = ["JT"],
        ["住房安全"] = ["ZJ"],
        ["饮水安全"] = ["SL"],
        ["因灾"] = ["YJ"],
        ["因残"] = ["CL"],
        ["因意外事故"] = ["YJ", "MZ"],
        ["务工就业不稳"] = ["RS"],
        ["产业失败"] = ["NY"],
        ["其他"] = ["MZ"],
    };

    /// <summary>Department always asked in addition (民政: 低保/特困 status), if present on the roster.</summary>
    public List<string> AlwaysCompare { get; set; } = ["MZ"];
}
