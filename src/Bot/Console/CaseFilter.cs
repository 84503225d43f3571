using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>The case list's filters, shared by the list page and the ledger (<c>/console/ledger.xlsx</c> takes the same query).</summary>
public sealed record CaseFilter(
    string? Township, string? Village, StageKind? Stage, string? State, bool Overdue, Channel? Channel, string? Risk,
    DateOnly? From, DateOnly? To, int Page)
{
    public static CaseFilter Parse(IQueryCollection q, out List<string> problems)
    {
        problems = [];
        var errs = problems;
        string? S(string k) => string.IsNullOrWhiteSpace(q[k]) ? null : q[k].ToString().Trim();
        DateOnly? D(string k)
        {
            var v = S(k);
            if (v is null) return null;
            if (DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            errs.Add($"日期“{v}”看不懂，请写成年-月-日，例如：2026-10-01");
            return null;
        }

        T? En<T>(string k) where T : struct, Enum
        {
            var v = S(k);
            if (v is null) return null;
            if (Enum.TryParse<T>(v, true, out var e) && Enum.IsDefined(e)) return e;
            errs.Add($"筛选项“{v}”无效，请从下拉列表中选择");
            return null;
        }

        var state = S("state");
        if (state is not null and not ("open" or "closed"))
        {
            problems.Add("状态只能是“办理中”或“已办结”");
            state = null;
        }

        var risk = S("risk");
        if (risk is not null && !RiskTypes.IsKnown(risk))
        {
            problems.Add($"困难类型“{risk}”不在列表中，例如：因病");
            risk = null;
        }

        var page = int.TryParse(S("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        return new CaseFilter(S("township"), S("village"), En<StageKind>("stage"), state, S("overdue") is "1" or "true" or "on",
            En<Channel>("channel"), risk, D("from"), D("to"), page);
    }

    /// <summary>The filters as a query string (without the page), for links and the ledger.</summary>
    public string Query()
    {
        var parts = new List<string>();
        void Add(string k, string? v) { if (!string.IsNullOrEmpty(v)) parts.Add($"{k}={Uri.EscapeDataString(v)}"); }
        Add("township", Township);
        Add("village", Village);
        Add("stage", Stage?.ToString());
        Add("state", State);
        if (Overdue) Add("overdue", "1");
        Add("channel", Channel?.ToString());
        Add("risk", Risk);
        Add("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return string.Join('&', parts);
    }

    public IQueryable<Case> Apply(IQueryable<Case> q, BotDb db, DateTimeOffset now)
    {
        if (Village is { } v) q = q.Where(c => c.VillageCode == v);
        if (Township is { } t)
        {
            var villages = db.Regions.Where(r => r.ParentCode == t && r.Level == RegionLevel.Village).Select(r => r.Code);
            q = q.Where(c => villages.Contains(c.VillageCode));
        }

        if (Stage is { } s)
        {
            var st = (CaseState)(int)s;
            q = q.Where(c => c.State == st);
        }

        if (State == "open") q = q.Where(c => c.State != CaseState.Closed);
        if (State == "closed") q = q.Where(c => c.State == CaseState.Closed);
        if (Overdue)
        {
            // "Id in (overdue stages' case ids)": found through the stages' (CompletedAt, DueAt) index, not a probe per case.
            var overdueCases = db.Stages.Where(x => x.CompletedAt == null && x.DueAt != null && x.DueAt < now).Select(x => x.CaseId);
            q = q.Where(c => overdueCases.Contains(c.Id));
        }
        if (Channel is { } ch) q = q.Where(c => c.Channel == ch);
        // Risk types are stored comma-joined ("因病,因学"); the list of names is fixed and none contains another.
        if (Risk is { } r) q = q.Where(c => EF.Functions.Like((string)(object)c.RiskTypes, "%" + r + "%"));
        if (From is { } f)
        {
            var start = ChinaTime.StartOfDay(f);
            q = q.Where(c => c.CreatedAt >= start);
        }

        if (To is { } to)
        {
            var end = ChinaTime.EndOfDay(to);
            q = q.Where(c => c.CreatedAt <= end);
        }

        return q;
    }
}

/// <summary>The county's regions in memory (a county has at most a few hundred villages): names and township of a village.</summary>
public sealed class RegionNames(IReadOnlyDictionary<string, Region> byCode)
{
    public static async Task<RegionNames> LoadAsync(BotDb db, CancellationToken ct) =>
        new(await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Code, ct));

    public string Name(string? code) => code is not null && byCode.TryGetValue(code, out var r) ? r.Name : code ?? "";

    public string? TownshipOf(string villageCode) => byCode.TryGetValue(villageCode, out var r) ? r.ParentCode : null;

    public IEnumerable<Region> Townships => byCode.Values.Where(r => r.Level == RegionLevel.Township).OrderBy(r => r.Code);

    public IEnumerable<Region> VillagesOf(string township) => byCode.Values.Where(r => r.ParentCode == township && r.Level == RegionLevel.Village).OrderBy(r => r.Code);
}
