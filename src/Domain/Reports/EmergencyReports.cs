using System.Globalization;
using System.Text.RegularExpressions;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Scoring;

namespace RapidResponse.Domain.Reports;

/// <summary>
/// Emergency reports (急报) to the 5+2 office. 方城 二(二)1: “因天灾人祸、突发重病等特殊原因，引发‘两不愁三保障’及饮水安全问题或易致贫返贫问题发生，
/// 要随时发生、即时报送”; 附件3 ①: “涉及紧急或重大问题，未及时主动报告的(48小时内)，扣3分”. The clock runs from the event, in hours
/// (weekends and holidays included); a department's report later than 48 hours creates the −3 item as 待核实.
/// </summary>
public static partial class EmergencyReports
{
    public const string Usage = "急报格式：急报 事件时间 情况，例如：急报 11月2日14:30 李树村张某家房屋因暴雨倒塌，一家4口暂住亲戚家（也可写 今天8:30、昨天20点、2026-11-02 14:30）";

    /// <summary>Reads the event time at the start of <paramref name="text"/> (Beijing time); the rest is the situation.</summary>
    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset eventAt, out string situation, out string? problem)
    {
        eventAt = default;
        situation = "";
        problem = null;
        var t = text.Trim();
        var today = ChinaTime.DateOf(now);
        DateOnly date;
        Match m;
        if ((m = RelativeRe().Match(t)).Success)
            date = today.AddDays(m.Groups["rel"].Value switch { "今天" => 0, "昨天" => -1, _ => -2 });
        else if ((m = AbsoluteRe().Match(t)).Success)
        {
            var y = m.Groups["y"].Success ? int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture) : today.Year;
            var mo = int.Parse(m.Groups["mo"].Value, CultureInfo.InvariantCulture);
            var d = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
            if (mo is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo)) { problem = $"日期“{m.Value.Trim()}”不存在。{Usage}"; return false; }
            date = new DateOnly(y, mo, d);
            // "12月31日" written on 1 January means last year.
            if (!m.Groups["y"].Success && date > today) date = date.AddYears(-1);
        }
        else { problem = $"没有读出事件发生的时间。{Usage}"; return false; }
        var h = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
        var mi = m.Groups["mi"].Success ? int.Parse(m.Groups["mi"].Value, CultureInfo.InvariantCulture)
            : m.Groups["mi2"].Success ? int.Parse(m.Groups["mi2"].Value, CultureInfo.InvariantCulture) : 0;
        if (h > 23 || mi > 59) { problem = $"时间“{m.Value.Trim()}”不对，小时应为0–23，分钟0–59。{Usage}"; return false; }
        eventAt = ChinaTime.At(date, new TimeOnly(h, mi));
        if (eventAt > now.AddMinutes(5)) { problem = $"事件时间{ChinaTime.ToLocal(eventAt):M月d日HH:mm}晚于现在，请写事件实际发生的时间。{Usage}"; return false; }
        situation = t[m.Length..].Trim().TrimStart('，', ',', '：', ':').Trim();
        if (situation.Length < 4) { problem = $"请写明情况（至少4个字）：哪里、谁家、发生了什么。{Usage}"; return false; }
        return true;
    }

    /// <summary>
    /// Records the report of <paramref name="reporter"/> (a department officer or a township officer / lead) and, when a department
    /// reports later than 48 hours after the event, the 附件3 ① item (D1b, −3) as 待核实. Changes tracked entities only; the caller saves.
    /// </summary>
    public static EmergencyReport Submit(BotDb db, WorkingCalendar calendar, Staff reporter, DateTimeOffset eventAt, string situation, DateTimeOffset now, string? messageId)
    {
        var (kind, code) = reporter.Role switch
        {
            StaffRole.DepartmentOfficer when reporter.DepartmentCode is { } d => ("department", d),
            StaffRole.TownshipOfficer or StaffRole.TownshipLead => ("township", reporter.RegionCode),
            _ => throw new DomainException("急报由行业部门或乡镇报送到“5+2”联动小组办公室；村里发现的情况请发“预警”上报。"),
        };
        var r = new EmergencyReport
        {
            ReporterId = reporter.UserId, UnitKind = kind, UnitCode = code, EventAt = eventAt, ReportedAt = now,
            Text = Mask.Text(situation), Late = now - eventAt > EmergencyReport.Limit, SourceMessageId = messageId,
        };
        db.EmergencyReports.Add(r);
        db.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = reporter.UserId, ActorRole = reporter.Role.ToString(), Action = "emergency.reported", SourceMessageId = messageId,
            Detail = $"{kind} {code} 急报，事件时间{ChinaTime.ToLocal(eventAt):yyyy-MM-dd HH:mm}，{(r.Late ? "超过48小时" : "48小时内")}：{Shorten(r.Text, 200)}",
        });
        if (r.Late && kind == "department")
        {
            var rule = ScoreRules.Find("D1b")!;
            var e = ScoreVerification.NewItem(code, QuarterPeriod.Of(ChinaTime.DateOf(now)), rule,
                $"紧急事件（{ChinaTime.ToLocal(eventAt):M月d日HH:mm}发生）于{ChinaTime.ToLocal(now):M月d日HH:mm}才报告，超过48小时：{Shorten(r.Text, 60)}",
                "system", now, calendar, sourceKey: $"emergency:{reporter.UserId}:{now.UtcTicks}");
            db.ScoreEvents.Add(e);
            r.ScoreEvent = e;
        }
        return r;
    }

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    private const string Clock = @"\s*(?<h>\d{1,2})(?:[:：](?<mi>\d{2})|[时点](?:(?<mi2>\d{1,2})分?)?)";
    [GeneratedRegex(@"^(?<rel>今天|昨天|前天)" + Clock)] private static partial Regex RelativeRe();
    [GeneratedRegex(@"^(?:(?<y>\d{4})[-/年])?(?<mo>\d{1,2})[-/月](?<d>\d{1,2})日?" + Clock)] private static partial Regex AbsoluteRe();
}
