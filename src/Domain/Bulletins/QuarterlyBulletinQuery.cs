using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Scoring;

namespace RapidResponse.Domain.Bulletins;

/// <summary>A deduction still waiting for the department's check (待核实) or the county office's decision: listed, not counted.</summary>
public sealed record PendingScore(string DepartmentCode, string Department, string Rule, int Points, string Reason, ScoreStatus Status);

/// <summary>The unit hosting the 5+2 office: not ranked with the units, shown with the higher level's 后评估 result.</summary>
public sealed record CountyOfficeResult(string Code, string Name, string? Result);

/// <summary>
/// The quarterly bulletin: both department rankings of 方城 annex 3 (verified items only), the items still being checked, and the
/// 5+2 office's unit with its 后评估 result. The township evaluation is monthly (沈丘 五(四)) and lives in the 通报.
/// </summary>
public sealed record QuarterlyFigures(QuarterPeriod Quarter, DepartmentRankings Departments, bool ShowRankings)
{
    public IReadOnlyList<PendingScore> Pending { get; init; } = [];
    public IReadOnlyList<CountyOfficeResult> CountyOffices { get; init; } = [];
}

/// <summary>Computes the quarterly ranking from the score items.</summary>
public sealed class QuarterlyBulletinQuery(BotDb db)
{
    /// <summary>KeyValues key of a unit's 后评估 result for a quarter, entered by the county office.</summary>
    public static string PostEvaluationKey(QuarterPeriod q, string code) => $"post-evaluation:{q}:{code}";

    public async Task<QuarterlyFigures> ComputeAsync(QuarterPeriod quarter, bool showRankings, CancellationToken ct = default)
    {
        var departments = await db.Departments.AsNoTracking().ToListAsync(ct);
        var q = quarter.ToString();
        var entered = await db.ScoreEvents.AsNoTracking().Where(e => e.Quarter == q).OrderBy(e => e.Id).ToListAsync(ct);
        // 附件3 ①: only items verified (经核实属实) count; a voided item never does.
        var items = entered.Where(e => e.Status == ScoreStatus.Verified).GroupBy(e => (e.DepartmentCode, e.RuleCode, Auto: e.SourceKey != null))
            .SelectMany(g => g.Key.Auto
                ? [new ScoreItem(g.Key.DepartmentCode, g.Key.RuleCode, g.Sum(e => e.Points), $"{ScoreRules.Find(g.Key.RuleCode)?.Name ?? g.Key.RuleCode}{g.Count()}件（自动计入，已核实）", g.Count())]
                : g.Select(e => new ScoreItem(e.DepartmentCode, e.RuleCode, e.Points, e.Reason)))
            .ToList();
        var names = departments.ToDictionary(d => d.Code, d => d.Name);
        var pending = entered.Where(e => e.Status is ScoreStatus.Pending or ScoreStatus.Contested)
            .Select(e => new PendingScore(e.DepartmentCode, names.GetValueOrDefault(e.DepartmentCode, e.DepartmentCode), ScoreRules.Find(e.RuleCode)?.Name ?? e.RuleCode, e.Points, e.Reason, e.Status))
            .ToList();
        var offices = new List<CountyOfficeResult>();
        foreach (var d in departments.Where(d => d.Kind == DepartmentKind.CountyOffice).OrderBy(d => d.Code, StringComparer.Ordinal))
        {
            var key = PostEvaluationKey(quarter, d.Code);
            var json = await db.KeyValues.AsNoTracking().Where(k => k.Key == key).Select(k => k.Value).FirstOrDefaultAsync(ct);
            offices.Add(new CountyOfficeResult(d.Code, d.Name, json is null ? null : System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("result").GetString()));
        }
        return new QuarterlyFigures(quarter, DepartmentRanking.Rank(departments, items), showRankings) { Pending = pending, CountyOffices = offices };
    }
}
