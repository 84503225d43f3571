using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Import;

/// <summary>regions: code, name, parent_code, level — a village's parent is a township, a township's a county.</summary>
internal static class RegionImport
{
    private sealed record Row(int Line, string Code, string Name, string? ParentCode, RegionLevel Level);

    public static async Task RunAsync(ImportRun run, List<TableRow> rows)
    {
        var valid = new List<Row>();
        foreach (var r in rows)
        {
            var problems = new List<string>();
            var code = run.Cell(r, "code");
            var name = run.Cell(r, "name");
            var parent = run.Cell(r, "parent_code");
            var levelText = run.Cell(r, "level");
            if (Codes.Check(code, "区域代码") is { } bad) problems.Add(bad);
            else if (run.SeenBefore("code", code, r.Line) is { } first) problems.Add($"区域代码 {code} 与第{first}行重复");
            if (name.Length == 0) problems.Add("区域名称不能为空");
            if (!RosterValues.TryLevel(levelText, out var level))
                problems.Add(levelText.Length == 0 ? $"层级不能为空，可填 {RosterValues.LevelChoices}" : $"层级“{levelText}”不认识，可填 {RosterValues.LevelChoices}");
            else if (level != RegionLevel.County && parent.Length == 0)
                problems.Add($"{level.Chinese()}必须填写上级代码（所属{(level == RegionLevel.Village ? "乡镇" : "县")}）");
            if (parent.Length > 0 && parent == code) problems.Add("上级代码不能是自己");
            if (problems.Count > 0) run.Reject(r.Line, problems);
            else valid.Add(new Row(r.Line, code, name, parent.Length == 0 ? null : parent, level));
        }

        var inDb = await run.Db.Regions.AsNoTracking().Select(x => new { x.Code, x.Level }).ToDictionaryAsync(x => x.Code, x => x.Level, run.Ct);
        valid = CheckParents(run, valid, inDb);

        await run.UpsertAsync(valid, x => x.Code,
            keys => run.Db.Regions.Where(x => keys.Contains(x.Code)), x => x.Code,
            x => new Region { Code = x.Code, Name = x.Name, ParentCode = x.ParentCode, Level = x.Level },
            (e, x) =>
            {
                if (e.Name == x.Name && e.ParentCode == x.ParentCode && e.Level == x.Level) return false;
                (e.Name, e.ParentCode, e.Level) = (x.Name, x.ParentCode, x.Level);
                return true;
            });
    }

    /// <summary>
    /// A parent may come later in the same file or already be in the database; a row of this file overrides the database.
    /// Rejecting a row can orphan its children, so the check repeats until nothing more is rejected (at most three levels deep).
    /// </summary>
    private static List<Row> CheckParents(ImportRun run, List<Row> rows, Dictionary<string, RegionLevel> inDb)
    {
        while (true)
        {
            var known = new Dictionary<string, RegionLevel>(inDb);
            foreach (var x in rows) known[x.Code] = x.Level;
            var kept = new List<Row>();
            foreach (var x in rows)
            {
                if (x.Level == RegionLevel.County) { kept.Add(x); continue; }
                var wanted = x.Level - 1;
                if (!known.TryGetValue(x.ParentCode!, out var level))
                    run.Reject(x.Line, run.FirstLine("code", x.ParentCode!) is { } line
                        ? $"上级代码 {x.ParentCode} 所在的第{line}行有错误未导入，本行也未导入"
                        : $"上级代码 {x.ParentCode} 不存在：请先导入上级区域，或把它也写进本文件");
                else if (level != wanted)
                    run.Reject(x.Line, $"层级不匹配：{x.Level.Chinese()}的上级必须是{wanted.Chinese()}，而 {x.ParentCode} 是{level.Chinese()}");
                else kept.Add(x);
            }
            if (kept.Count == rows.Count) return kept;
            rows = kept;
        }
    }
}
