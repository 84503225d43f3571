using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Import;

/// <summary>departments: code, name, kind, risk_types — risk types separated by ';', '；', '、' or '|'.</summary>
internal static class DepartmentImport
{
    private sealed record Row(int Line, string Code, string Name, DepartmentKind Kind, List<string> RiskTypes);

    private static readonly char[] Separators = [';', '；', '、', '|'];

    public static async Task RunAsync(ImportRun run, List<TableRow> rows)
    {
        var valid = new List<Row>();
        foreach (var r in rows)
        {
            var problems = new List<string>();
            var code = run.Cell(r, "code");
            var name = run.Cell(r, "name");
            var kindText = run.Cell(r, "kind");
            if (Codes.Check(code, "部门代码") is { } bad) problems.Add(bad);
            else if (run.SeenBefore("code", code, r.Line) is { } first) problems.Add($"部门代码 {code} 与第{first}行重复");
            if (name.Length == 0) problems.Add("部门名称不能为空");
            if (!RosterValues.TryKind(kindText, out var kind))
                problems.Add(kindText.Length == 0 ? $"部门类别不能为空，可填 {RosterValues.KindChoices}" : $"部门类别“{kindText}”不认识，可填 {RosterValues.KindChoices}");
            var risks = run.Cell(r, "risk_types").Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
            var unknown = risks.Where(x => !RiskTypes.IsKnown(x)).ToList();
            if (unknown.Count > 0)
                problems.Add($"风险类型“{string.Join("、", unknown)}”不认识，可填：{string.Join("、", RiskTypes.All)}（多个用;或、分隔）");
            if (problems.Count > 0) run.Reject(r.Line, problems);
            else valid.Add(new Row(r.Line, code, name, kind, risks));
        }

        await run.UpsertAsync(valid, x => x.Code,
            keys => run.Db.Departments.Where(x => keys.Contains(x.Code)), x => x.Code,
            x => new Department { Code = x.Code, Name = x.Name, Kind = x.Kind, RiskTypes = x.RiskTypes },
            (e, x) =>
            {
                if (e.Name == x.Name && e.Kind == x.Kind && e.RiskTypes.SequenceEqual(x.RiskTypes)) return false;
                (e.Name, e.Kind, e.RiskTypes) = (x.Name, x.Kind, x.RiskTypes);
                return true;
            });
    }
}
