using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;

namespace RapidResponse.Domain.Reports;

/// <summary>The outcome of a submission: the stored report, whether it replaced an earlier one, and whether it was late.</summary>
public sealed record ReportSubmission(DepartmentReport Report, bool Replaced, bool Late, DateTimeOffset DueAt);

/// <summary>Monthly department reports (月报): submit, and find who has not reported.</summary>
public static class DepartmentReports
{
    /// <summary>Day of the next month by which a month's report is due (方城: 每月5日前).</summary>
    public const int DueDay = 5;

    /// <summary>End of the due day (the 5th of the month after <paramref name="period"/>), Beijing time.</summary>
    public static DateTimeOffset DueAt(MonthPeriod period, int dueDay = DueDay) =>
        ChinaTime.EndOfDay(period.Next.FirstDay.AddDays(dueDay - 1));

    /// <summary>
    /// Records a department's report for <paramref name="period"/> ("2026-10"). A second submission for the same month
    /// replaces the content and keeps the first submission time. Changes tracked entities only; the caller saves
    /// (with any outbox rows, in one transaction). Throws <see cref="DomainException"/> with a Chinese message on bad input.
    /// </summary>
    public static async Task<ReportSubmission> SubmitAsync(BotDb db, string deptCode, string period, string by, string content, DateTimeOffset now,
        CancellationToken ct = default)
    {
        if (!MonthPeriod.TryParse(period, out var p)) throw new DomainException($"月份“{period}”格式不对，请写成年-月，例如：月报 2026-10 本月自查发现问题2条，已整改1条");
        if (string.IsNullOrWhiteSpace(content)) throw new DomainException("月报内容不能为空，请写明本月自查发现的问题和整改情况，例如：月报 2026-10 自查发现问题2条，已整改1条");
        if (p.Start > now) throw new DomainException($"{p.ToChinese()}还没有开始，不能提前报送月报");
        var dept = await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Code == deptCode, ct)
                   ?? throw new DomainException($"没有找到部门“{deptCode}”，请县级办公室检查花名册");
        var key = p.ToString();
        var existing = db.Set<DepartmentReport>().Local.FirstOrDefault(r => r.DepartmentCode == deptCode && r.Period == key)
                       ?? await db.Set<DepartmentReport>().FirstOrDefaultAsync(r => r.DepartmentCode == deptCode && r.Period == key, ct);
        var due = DueAt(p);
        var replaced = existing is not null;
        if (existing is null)
        {
            existing = new DepartmentReport { DepartmentCode = deptCode, Period = key, SubmittedAt = now, SubmittedBy = by, Content = content.Trim() };
            db.Add(existing);
        }
        else
        {
            existing.Content = content.Trim();
            existing.SubmittedBy = by;
            existing.UpdatedAt = now;
        }
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = by, ActorRole = "department", Action = replaced ? "report.replaced" : "report.submitted",
            Detail = $"{dept.Name}{p.ToChinese()}月报：{Mask.Text(Shorten(content.Trim(), 200))}",
        });
        return new ReportSubmission(existing, replaced, existing.SubmittedAt > due, due);
    }

    /// <summary>Departments with no report for <paramref name="period"/> submitted by its due time (as of <paramref name="asOf"/>), ordered by code.</summary>
    public static async Task<IReadOnlyList<Roster.Department>> MissingAsync(BotDb db, MonthPeriod period, DateTimeOffset asOf, int dueDay = DueDay, CancellationToken ct = default)
    {
        var key = period.ToString();
        var due = DueAt(period, dueDay);
        var cutoff = asOf < due ? asOf : due;
        var onTime = db.Set<DepartmentReport>().Where(r => r.Period == key && r.SubmittedAt <= cutoff).Select(r => r.DepartmentCode);
        var list = await db.Departments.AsNoTracking().Where(d => !onTime.Contains(d.Code)).ToListAsync(ct);
        return [.. list.OrderBy(d => d.Code, StringComparer.Ordinal)];
    }

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
