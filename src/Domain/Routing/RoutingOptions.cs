namespace RapidResponse.Domain.Routing;

/// <summary>
/// Which departments compare which risk types (section "Routing"). When a risk type has no entry, the departments whose
/// roster row lists the type are used.
/// </summary>
public sealed class RoutingOptions
{
    public const string Section = "Routing";

    /// <summary>
    /// Risk type → department codes, e.g. 因病 → [WJ, YB]. Configured entries replace <see cref="DefaultRiskDepartments"/>
    /// as a whole (a configuration binder would merge lists element by element).
    /// </summary>
    public Dictionary<string, List<string>> RiskDepartments { get; set; } = [];

    /// <summary>The table used while Routing:RiskDepartments is not set.</summary>
    public static readonly IReadOnlyDictionary<string, List<string>> DefaultRiskDepartments = new Dictionary<string, List<string>>
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

    /// <summary>Departments always asked in addition (民政: 低保/特困 status), if present on the roster.</summary>
    public List<string> AlwaysCompare { get; set; } = ["MZ"];

    /// <summary>The departments mapped to a risk type: the configured table, else the default one.</summary>
    public IReadOnlyList<string> DepartmentsFor(string riskType) =>
        (RiskDepartments.Count > 0 ? RiskDepartments : DefaultRiskDepartments).TryGetValue(riskType, out var codes) ? codes : [];
}
