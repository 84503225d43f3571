using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Templates;

namespace RapidResponse.Domain.Tests.Templates;

/// <summary>
/// Every file in templates/ rendered with sample models shaped as their callers build them (anonymous objects, records,
/// dictionaries, nested lists, nulls, instants) against the text committed in Golden/. A change of Liquid engine or of
/// the model conversion must keep every text as it is. RRB_UPDATE_GOLDEN=1 writes missing or changed files instead.
/// </summary>
public sealed class TemplateGoldenTests
{
    private sealed record Stage(string Name, string Limit);
    private sealed record Receipt(string CaseNumber, string FirstDue, IReadOnlyList<Stage> Stages);

    private static readonly string Repo = FindRepo();
    private static readonly string GoldenDir = Path.Combine(Repo, "tests", "Domain.Tests", "Templates", "Golden");
    private static readonly TemplateRenderer Renderer = new(Path.Combine(Repo, "templates"));

    private static readonly List<string> RiskOptions = ["1.因病", "2.因残", "3.因学", "4.因灾", "5.因意外事故", "6.产业失败", "7.务工就业不稳", "8.住房安全", "9.饮水安全", "10.其他"];

    // 2026-10-14 15:59:59+08:00 as the instant a caller hands in.
    private static readonly DateTimeOffset Due = new(2026, 10, 14, 7, 59, 59, TimeSpan.Zero);

    private static object ReportAsk(bool fromRoster) => new
    {
        Name = "张三", VillageName = "东岭镇桃园村", FromRoster = fromRoster, IdMasked = "4101**********1234", PhoneMasked = "138****1234",
        RiskTypes = fromRoster ? "因病、因学" : "", Description = "丈夫住院，花费较大", Options = RiskOptions,
    };

    private static object AlertAsk(string? severity) => new
    {
        HouseholdLabel = "530102001001-0001 王五（桃园村）", RiskTypes = "因病", Description = "户主务工受伤住院", Severity = severity, Options = RiskOptions,
    };

    private static Dictionary<string, object?> Township(string name, bool busy) => new()
    {
        ["name"] = name,
        ["new_cases"] = busy ? 12 : 0,
        ["channels"] = busy ? "自主申报7、干部排查5" : "",
        ["stages"] = busy ? "受理 5/6（83.3%）；信息比对 2/3（66.7%）" : "",
        ["rate"] = busy ? "77.8%" : "—",
        ["assistance_started"] = busy ? 3 : 0,
        ["assistance_within_month"] = busy ? 2 : 0,
        ["risk_eliminated"] = busy ? 1 : 0,
        ["overdue_total"] = busy ? 52 : 0,
        ["overdue"] = busy
            ? new List<Dictionary<string, object?>>
            {
                new() { ["case_number"] = "YL-2026-000101", ["village"] = "桃园村", ["stage"] = "入户核查", ["owners"] = "李树、王林", ["due"] = "10-09", ["days_late"] = 3 },
                new() { ["case_number"] = "YL-2026-000102", ["village"] = "河湾村", ["stage"] = "信息比对", ["owners"] = "民政局", ["due"] = "10-12", ["days_late"] = 1 },
            }
            : new List<Dictionary<string, object?>>(),
        ["overdue_more"] = busy ? 2 : 0,
    };

    private static Dictionary<string, object?> Monthly(bool busy) => new()
    {
        ["period"] = "2026年10月",
        ["as_of"] = "2026-10-31",
        ["new_cases"] = busy ? 12 : 0,
        ["completed"] = busy ? 9 : 0,
        ["on_time"] = busy ? 7 : 0,
        ["rate"] = busy ? "77.8%" : "—",
        ["overdue_total"] = busy ? 52 : 0,
        ["townships"] = busy ? new List<Dictionary<string, object?>> { Township("东岭镇", true), Township("河口乡", false) } : new List<Dictionary<string, object?>>(),
        ["report_period"] = "2026年9月",
        ["missing_reports"] = busy ? new List<string> { "县教体局", "县民政局" } : new List<string>(),
        ["supervised"] = busy
            ? new List<Dictionary<string, object?>> { new() { ["case_number"] = "YL-2026-000090", ["township"] = "东岭镇", ["village"] = "桃园村", ["stage"] = "入户核查", ["due"] = "10-02" } }
            : new List<Dictionary<string, object?>>(),
        ["interviews"] = busy
            ? new List<Dictionary<string, object?>>
            {
                new() { ["name"] = "东岭镇", ["who"] = "县委、县政府主要领导约谈东岭镇主要领导（连续两次问题较多且整改落实不到位）", ["problems"] = 5, ["unrectified"] = 3, ["principal"] = true },
                new() { ["name"] = "县教体局", ["who"] = "县委、县政府分管领导约谈县教体局分管领导", ["problems"] = 3, ["unrectified"] = 1, ["principal"] = false },
            }
            : new List<Dictionary<string, object?>>(),
        ["referrals"] = busy
            ? new List<Dictionary<string, object?>> { new() { ["what"] = "东岭镇桃园村 YL-2026-000090 入户核查逾期", ["times"] = 3 } }
            : new List<Dictionary<string, object?>>(),
        ["show_rankings"] = busy,
        ["evaluation"] = busy ? Evaluation() : null,
        ["year_total"] = busy ? Evaluation() : null,
        ["year"] = 2026,
    };

    private static Dictionary<string, object?> EvalLine(int rank, string name, string rate, int onTime, int completed, int open) => new()
    {
        ["rank"] = rank, ["name"] = name, ["rate"] = rate, ["on_time"] = onTime, ["completed"] = completed, ["open_overdue"] = open, ["due"] = completed + open,
    };

    private static Dictionary<string, object?> Evaluation() => new()
    {
        ["ranked"] = new List<Dictionary<string, object?>>
        {
            EvalLine(1, "东岭镇", "100%", 4, 4, 0), EvalLine(2, "河口乡", "66.7%", 2, 3, 0), EvalLine(3, "城关镇", "66.7%", 2, 2, 1), EvalLine(4, "西山乡", "25%", 1, 2, 2),
        },
        ["no_due"] = new List<string> { "北坡乡" },
        ["top"] = new List<string> { "东岭镇", "河口乡", "城关镇" },
        ["last"] = "西山乡",
    };

    private static Dictionary<string, object?> Dept(int rank, string name, int score, int deducted, int bonus, params string[] items) => new()
    {
        ["rank"] = rank, ["name"] = name, ["score"] = score, ["deductions"] = items.Length, ["deducted"] = deducted, ["bonus"] = bonus, ["items"] = items.ToList(),
    };

    private static Dictionary<string, object?> Quarterly(bool ranked, bool withLast)
    {
        return new()
        {
            ["quarter"] = "2026年第三季度",
            ["show_rankings"] = ranked,
            ["close_monitoring"] = new List<Dictionary<string, object?>>
            {
                Dept(1, "县民政局", 102, 0, 2, "信息共享及时（+2）"),
                Dept(2, "县教体局", 95, 5, 0, "交办问题未及时整改（-5）"),
            },
            ["related"] = new List<Dictionary<string, object?>> { Dept(1, "县交通局", 100, 0, 0) },
            ["pending"] = withLast ? new List<string> { "县教体局：交办问题未及时整改（-3分，待核实）", "县民政局：督查暗访交办问题，行业部门未主动报告（-2分，有异议待裁定）" } : new List<string>(),
            ["county_offices"] = ranked
                ? new List<Dictionary<string, object?>> { new() { ["name"] = "县乡村振兴局", ["result"] = withLast ? "好（综合评价第一等次）" : null } }
                : new List<Dictionary<string, object?>>(),
        };
    }

    private static Dictionary<string, object?> Escalation(int level, string leads) => new()
    {
        ["level"] = level, ["case_number"] = "YL-2026-000101", ["village"] = "桃园村", ["township"] = "东岭镇", ["stage"] = "入户核查",
        ["action"] = "两人入户核实家庭情况", ["due"] = "10月14日（星期三）24时前", ["overdue_for"] = "已逾期3天（2个工作日）",
        ["owners"] = "李树、王林", ["leads"] = leads, ["deferrals"] = 0,
    };

    /// <summary>Template name, case label ("" for the only case), model.</summary>
    public static TheoryData<string, string, object?> Cases() => new()
    {
        { "alert.ask_confirm", "", AlertAsk("严重") },
        { "alert.ask_confirm_household", "", AlertAsk(null) },
        { "alert.ask_description", "", AlertAsk(null) },
        { "alert.ask_household", "", AlertAsk(null) },
        { "alert.ask_risk", "", AlertAsk(null) },
        { "alert.ask_severity", "", AlertAsk(null) },
        { "alert.ask_problem_class", "", new { Limits = "一般性问题15天内、疑难问题6个月内、特殊问题12个月内" } },
        { "alert.ask_confirm", "fengdu", new { HouseholdLabel = "530102001001-0001 王五（桃园村）", RiskTypes = "住房安全", Description = "房屋墙体开裂", Severity = "一般", ProblemClass = "疑难问题" } },
        { "alert.cancelled", "", null },
        { "alert.help", "", null },
        { "alert.not_allowed", "", null },
        { "alert.receipt", "", new { Number = "YL-2026-000130", Stage = "入户核查", Due = "10月14日（星期三）24时前" } },
        { "app.unregistered", "", null },
        { "bulletin.monthly", "busy", Monthly(true) },
        { "bulletin.monthly", "quiet", Monthly(false) },
        { "bulletin.quarterly", "ranked", Quarterly(true, true) },
        { "bulletin.quarterly", "ranked-no-last", Quarterly(true, false) },
        { "bulletin.quarterly", "unranked", Quarterly(false, false) },
        { "bulletin.township", "busy", new Dictionary<string, object?> { ["period"] = "2026年10月", ["as_of"] = "2026-10-31", ["county_rate"] = "80.0%", ["township"] = Township("东岭镇", true) } },
        { "bulletin.township", "quiet", new Dictionary<string, object?> { ["period"] = "2026年10月", ["as_of"] = "2026-10-31", ["county_rate"] = "—", ["township"] = Township("河口乡", false) } },
        { "duty.screening_list", "", new Dictionary<string, object?>
            {
                ["village"] = "桃园村", ["month"] = 11, ["due"] = "11月10日", ["line"] = "6900", ["count"] = 2,
                ["households"] = new List<Dictionary<string, object?>>
                {
                    new() { ["no"] = "H-0001", ["head"] = "张大山", ["members"] = 4, ["income"] = "6500" },
                    new() { ["no"] = "H-0007", ["head"] = "李小花", ["members"] = 2, ["income"] = "5820.5" },
                },
            } },
        { "staff.emergency_received", "on-time", new { Unit = "县教体局", Reporter = "陈石", Event = "11月2日14:30", Hours = 20, Late = false, Text = "桃园村学生家中失火", Deducted = false } },
        { "staff.emergency_received", "late", new { Unit = "县教体局", Reporter = "陈石", Event = "10月30日08:00", Hours = 49, Late = true, Text = "桃园村学生家中失火", Deducted = true } },
        { "staff.emergency_office", "on-time", new { Unit = "东岭镇", Reporter = "赵乡长", Event = "11月2日14:30", Hours = 3, Late = false, Text = "山体滑坡，2户房屋受损", Deducted = false } },
        { "staff.emergency_office", "late", new { Unit = "县教体局", Reporter = "陈石", Event = "10月30日08:00", Hours = 49, Late = true, Text = "桃园村学生家中失火", Deducted = true } },
        { "staff.score_ask_reason", "", new { Reason = "案件YL-2026-000101信息比对未在期限（10月14日）内反馈" } },
        { "staff.score_contested", "", new { Id = 12, Department = "县教体局", Reason = "案件YL-2026-000101信息比对未在期限内反馈", Contest = "10月13日已在系统反馈，附截图", By = "陈石" } },
        { "staff.score_voided", "", new { Id = 13, Department = "县民政局", Rule = "自查问题未及时整改", Points = -2, Quarter = "2026年第四季度", Reason = "自查问题未及时整改（录入错误）", VoidReason = "录入错误，部门不对" } },
        { "duty.report-missing", "", new Dictionary<string, object?> { ["period"] = "2026年9月", ["due"] = "10月5日", ["departments"] = new List<string> { "县教体局", "县民政局" }, ["count"] = 2 } },
        { "duty.report", "", new Dictionary<string, object?> { ["name"] = "陈石", ["department"] = "县民政局", ["period"] = "2026年9月", ["period_code"] = "2026-09", ["due"] = "10月5日" } },
        { "duty.screening", "days-left", new Dictionary<string, object?> { ["name"] = "李树", ["village"] = "桃园村", ["month"] = 10, ["due"] = "10月10日", ["days_left"] = 2 } },
        { "duty.screening", "last-day", new Dictionary<string, object?> { ["name"] = "李树", ["village"] = "桃园村", ["month"] = 10, ["due"] = "10月10日", ["days_left"] = 0 } },
        { "duty.selfcheck", "", new Dictionary<string, object?> { ["name"] = "陈石", ["department"] = "县民政局", ["month"] = 10, ["period_code"] = "2026-10", ["due"] = "10月31日", ["report_due"] = "11月5日" } },
        { "escalation.level1", "leads", Escalation(1, "赵乡长") },
        { "escalation.level1", "no-leads", Escalation(1, "") },
        { "escalation.level2", "leads", Escalation(2, "赵乡长、钱书记") },
        { "escalation.level2", "no-leads", Escalation(2, "") },
        { "escalation.level3", "leads", Escalation(3, "赵乡长") },
        { "escalation.level3", "no-leads", Escalation(3, "") },
        { "farmer.assistance_started", "", new { CaseNumber = "YL-2026-000101", Plan = "落实医疗救助，安排1个公益性岗位" } },
        { "farmer.decision_not_qualified", "", new { CaseNumber = "YL-2026-000101", Reason = "家庭年人均纯收入1.2万元，高于监测范围" } },
        { "farmer.decision_qualifies", "", new { CaseNumber = "YL-2026-000101", Limit = "1个月" } },
        { "farmer.progress", "none", new Dictionary<string, object?> { ["cases"] = new List<object>() } },
        { "farmer.progress", "some", new Dictionary<string, object?> { ["cases"] = new List<object>
            {
                new { Number = "YL-2026-000101", RiskTypes = "因病、因学", Status = "正在入户核查", Due = (string?)"10月14日（星期三）24时前" },
                new { Number = "YL-2026-000088", RiskTypes = "因灾", Status = "不符合（收入高于监测范围）", Due = (string?)null },
            } } },
        { "farmer.welcome", "", null },
        { "nag", "", new Dictionary<string, object?>
            {
                ["case_number"] = "YL-2026-000101", ["village"] = "桃园村", ["township"] = "东岭镇", ["stage"] = "入户核查", ["action"] = "两人入户核实家庭情况",
                ["due"] = "10月14日（星期三）24时前", ["left"] = "还有2个工作日到期", ["assignee"] = "李树", ["kind"] = "Nag50",
            } },
        { "report.ask_confirm", "", ReportAsk(true) },
        { "report.ask_description", "", ReportAsk(false) },
        { "report.ask_id", "", ReportAsk(false) },
        { "report.ask_name", "", ReportAsk(false) },
        { "report.ask_phone", "", ReportAsk(false) },
        { "report.ask_risk", "roster", ReportAsk(true) },
        { "report.ask_risk", "typed", ReportAsk(false) },
        { "report.ask_village", "", ReportAsk(false) },
        { "report.ask_village_suggest", "one", new { Options = new[] { new { No = 1, Display = "东岭镇桃园村" } }.ToList() } },
        { "report.ask_village_suggest", "two", new { Options = new[] { new { No = 1, Display = "东岭镇桃园村" }, new { No = 2, Display = "河口乡桃源村" } }.ToList() } },
        { "report.back_at_start", "", null },
        { "report.cancelled", "", null },
        { "report.confirm_hint", "", null },
        { "report.ask_photo", "", ReportAsk(false) },
        { "report.ask_photo_hint", "", null },
        { "evidence.received", "image", new { Kind = "照片", Number = "YL-2026-000101", Voice = false } },
        { "evidence.received", "voice", new { Kind = "语音", Number = "YL-2026-000101", Voice = true } },
        { "evidence.received_form", "image", new { Kind = "照片", Number = (string?)null, Voice = false } },
        { "evidence.received_form", "voice", new { Kind = "语音", Number = (string?)null, Voice = true } },
        { "evidence.no_case", "farmer", new { Kind = "照片", Staff = false } },
        { "evidence.no_case", "staff", new { Kind = "文件", Staff = true } },
        { "evidence.too_large", "", new { Kind = "文件", Size = "25MB", Limit = "20MB" } },
        { "evidence.too_large", "image", new { Kind = "照片", Size = "12.5MB", Limit = "10MB" } },
        { "evidence.wrong_type", "", new { Kind = "文件", Type = "exe 文件" } },
        { "evidence.failed", "expired", new { Kind = "照片", Expired = true } },
        { "evidence.failed", "busy", new { Kind = "照片", Expired = false } },
        { "evidence.note_saved", "", new { Number = "YL-2026-000101" } },
        { "evidence.list", "none", new { Number = "YL-2026-000101", Count = 0, More = 0, Items = new List<object>() } },
        { "evidence.list", "some", new { Number = "YL-2026-000101", Count = 11, More = 2, Items = new List<object>
            {
                new { No = 1, Kind = "照片", At = "10月12日09:10", From = "农户", Note = (string?)null },
                new { No = 2, Kind = "语音", At = "10月12日09:12", From = "王网格", Note = "东墙裂缝，下雨漏水" },
            } } },
        { "report.expired", "", new { Minutes = 30 } },
        { "report.help", "", new { Step = "name" } },
        { "report.invalid", "", new { Problem = "身份证号应为18位，最后一位可以是X" } },
        { "report.oneshot_problems", "", new { Problems = new List<string> { "身份证号应为18位", "没有找到“李村”，请写全村名" } } },
        { "report.receipt", "", new Receipt("YL-2026-000101", "10月9日（星期五）24时前",
            [new("受理", "当天内"), new("信息比对", "2个工作日内"), new("入户核查", "3个工作日内"), new("民主评议", "当月月底前"), new("村级公示", "公示5天"), new("县级确定", ""), new("启动帮扶", "1个月内")]) },
        { "farmer.check_passed", "", new { CaseNumber = "YL-2026-000101", Next = (string?)"民主评议" } },
        { "farmer.risk_eliminated", "", new { CaseNumber = "YL-2026-000101" } },
        { "notice.ended", "", new Dictionary<string, object?> { ["case_number"] = "YL-2026-000101", ["village"] = "桃园村", ["township"] = "东岭镇", ["stage"] = "村级公示", ["action"] = "公示期满无异议后上报乡镇", ["ended"] = "10月4日（星期日）24时", ["assignee"] = "李树" } },
        { "notice.ended", "elimination", new Dictionary<string, object?> { ["case_number"] = "YL-2026-000101", ["village"] = "桃园村", ["township"] = "东岭镇", ["stage"] = "风险消除村级公示", ["action"] = "公示5天", ["ended"] = "10月4日（星期日）24时", ["assignee"] = "李树", ["elimination"] = true } },
        { "staff.ask_consent", "first", new { Number = "YL-2026-000101", Again = false } },
        { "staff.ask_consent", "again", new { Number = "YL-2026-000101", Again = true } },
        { "staff.elimination_usage", "", new { Prefix = "YL" } },
        { "staff.elimination_proposed", "review", new { Number = "YL-2026-000101", Next = (string?)"风险消除乡镇审核", Due = (string?)DueText.Of(Due), Eliminated = false } },
        { "staff.elimination_proposed", "eliminated", new { Number = "YL-2026-000101", Next = (string?)null, Due = (string?)null, Eliminated = true } },
        { "staff.ask_note", "propose_elimination", new { Number = "YL-2026-000101", Key = "propose_elimination", Stage = "跟踪帮扶" } },
        { "report.start", "", null },
        { "escalation.farmer_notice", "", new Dictionary<string, object?> { ["case_number"] = "YL-2026-000101", ["due"] = "10月14日 23:59" } },
        { "inbox.failed_apology", "", null },
        { "inbox.failed_notice", "apologised", new { Id = 4711L, Sender = "vi***on", Channel = "企业微信应用", Summary = "文字：申报", Attempts = 5, Error = "DbUpdateException: … ← SqliteException: disk I/O error, on call 138****5678", Apologised = true } },
        { "inbox.failed_notice", "unreadable", new { Id = 4712L, Sender = "wm***Ab", Channel = "微信客服", Summary = "（内容无法读取）", Attempts = 5, Error = "JsonException: bad payload", Apologised = false } },
        { "outbox.circuit_open", "", new { Code = "60020", Reason = "服务器IP不在企业可信IP列表中", Channel = "应用消息", Id = 4711L, Recipient = "zh***an", Fix = "把服务器的出口IP加入企业微信管理后台 应用管理→本应用→企业可信IP（约1分钟生效）" } },
        { "nag.farmer_notice", "", new Dictionary<string, object?> { ["case_number"] = "YL-2026-000101", ["due"] = "10月14日 23:59" } },
        { "staff.farmer_told", "", new { Number = "YL-2026-000101" } },
        { "staff.undeliverable", "moved", new { Name = "李树", Role = "网格监测员", Region = "桃园村", UserId = "gm_lishu", Phone = "139****0001", Reason = "账号未激活或不在应用可见范围", Moved = 2 } },
        { "staff.undeliverable", "none", new { Name = "李树", Role = "网格监测员", Region = "桃园村", UserId = "gm_lishu", Phone = "139****0001", Reason = "未分配许可", Moved = 0 } },
        { "farmer.clue_invalid", "", new { CaseNumber = "YL-2026-000101", Reason = "与YL-2026-000099重复" } },
        { "farmer.result_ready", "", new { CaseNumber = "YL-2026-000101" } },
        { "report.identity_unverified", "again", new { Exhausted = false } },
        { "report.identity_unverified", "exhausted", new { Exhausted = true } },
        { "report.joined", "", new { CaseNumber = "YL-2026-000101" } },
        { "report.limit", "", new { Count = 3, Max = 3 } },
        { "staff.case_reopened", "", new { Number = "YL-2026-000101", Due = "10月14日（星期三）24时前", Assignees = "gm_lishu" } },
        { "staff.reopen_usage", "", null },
        { "staff.report_joined", "", new { Number = "YL-2026-000101", RiskTypes = "因病", Stage = "受理", Description = "又住院了" } },
        { "staff.action_done", "next", new { Number = "YL-2026-000101", Stage = "受理", Label = "已受理", Next = (string?)"信息比对", Due = DueText.Of(Due) } },
        { "staff.action_done", "last", new { Number = "YL-2026-000101", Stage = "风险消除", Label = "已消除", Next = (string?)null, Due = DueText.Of(null) } },
        { "staff.ask_note", "problem", new { Number = "YL-2026-000101", Key = "problem", Stage = "信息比对" } },
        { "staff.ask_note", "not_qualifies", new { Number = "YL-2026-000101", Key = "not_qualifies", Stage = "研判认定" } },
        { "staff.ask_note", "start_assistance", new { Number = "YL-2026-000101", Key = "start_assistance", Stage = "启动帮扶" } },
        { "staff.ask_note", "visit", new { Number = "YL-2026-000101", Key = "visit", Stage = "跟踪帮扶" } },
        { "staff.ask_note", "defer", new { Number = "YL-2026-000101", Key = "defer", Stage = "入户核查" } },
        { "staff.ask_note", "other", new { Number = "YL-2026-000101", Key = "whatever", Stage = "" } },
        { "staff.case_detail", "", new
            {
                Number = "YL-2026-000101", Channel = "自主申报", Who = "张三（4101**********1234）", RiskTypes = "因病、因学", Description = "丈夫住院，花费较大",
                Status = "入户核查中",
                Stages = new[]
                {
                    new { Name = "受理", Due = "10月9日（星期五）24时前", Done = "按时完成" },
                    new { Name = "入户核查", Due = "10月14日（星期三）24时前", Done = "按时完成" },
                    new { Name = "村级公示", Due = "公示至10月19日（星期一）24时", Done = "办理中" },
                }.ToList(),
            } },
        { "staff.case_missing", "", new { Number = "YL-2026-000999" } },
        { "staff.deferral_approved", "", new { Number = "YL-2026-000101", By = "赵乡长", Due = "10月16日（星期五）24时前" } },
        { "staff.deferral_declined", "", new { Number = "YL-2026-000101", By = "赵乡长" } },
        { "staff.deferral_requested", "", new { Number = "YL-2026-000101", Stage = "入户核查", Days = 2 } },
        { "staff.deferral_usage", "", null },
        { "staff.help", "", new { Role = "网格监测员" } },
        { "staff.interview_usage", "pending", new { Problem = (string?)null, Pending = new[] { new { Id = 7L, Period = "2026-09~10", Unit = "诺邓镇", Level = "主要领导" } }.ToList() } },
        { "staff.interview_usage", "problem-none", new { Problem = (string?)"没有看懂“约谈 诺邓镇”。", Pending = new List<object>() } },
        { "staff.interview_recorded", "", new { Period = "2026-09~10", Unit = "诺邓镇", Level = "主要领导", HeldAt = "11月5日", HeldBy = "县长王某", Note = (string?)"限11月底前全部整改" } },
        { "staff.my_tasks", "none", new { Items = new List<object>(), Total = 0 } },
        { "staff.my_tasks", "two", new
            {
                Items = new[]
                {
                    new { Number = "YL-2026-000101", Stage = "入户核查", Due = "10月14日（星期三）24时前", Left = "今天到期" },
                    new { Number = "YL-2026-000102", Stage = "受理", Due = "10月15日（星期四）24时前", Left = "还有1个工作日" },
                }.ToList(),
                Total = 2,
            } },
        { "staff.note_cancelled", "", null },
        { "staff.note_not_reason", "not_qualifies", new { Number = "YL-2026-000101", Key = "not_qualifies", Text = "我的任务", Menu = false } },
        { "staff.note_not_reason", "problem_menu", new { Number = "YL-2026-000101", Key = "problem", Text = "我的任务", Menu = true } },
        { "staff.report_received", "new", new { Period = "2026-09", Replaced = false, Late = false, Due = "10月5日（星期一）24时前" } },
        { "staff.report_received", "replaced-late", new { Period = "2026-09", Replaced = true, Late = true, Due = "10月5日（星期一）24时前" } },
        { "staff.task_done", "", new { Number = "YL-2026-000101", Stage = "受理", Result = "已受理" } },
        { "staff.task_missing", "", null },
        { "staff.unknown", "", new { Role = "村两委" } },
        { "staff.visit_recorded", "next", new { Number = "YL-2026-000101", Next = (string?)"11月14日（星期六）24时前" } },
        { "staff.visit_recorded", "last", new { Number = "YL-2026-000101", Next = (string?)null } },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_ShouldMatchGoldenText_ForEveryTemplate(string template, string label, object? model)
    {
        var text = Renderer.Render(template, model);
        var path = GoldenPath(template, label);
        if (Environment.GetEnvironmentVariable("RRB_UPDATE_GOLDEN") == "1" && (!File.Exists(path) || File.ReadAllText(path) != text))
            File.WriteAllText(path, text);
        Assert.True(File.Exists(path), $"no golden text {path} (run with RRB_UPDATE_GOLDEN=1 once and review it)");
        Assert.Equal(File.ReadAllText(path), text);
    }

    [Fact]
    public void Cases_ShouldCoverEveryTemplateFile_AndEveryGoldenFileHasACase()
    {
        var cases = Cases().Select(c => ((string)c[0], (string)c[1])).ToList();
        var templates = Directory.GetFiles(Path.Combine(Repo, "templates"), "*.liquid").Select(f => Path.GetFileNameWithoutExtension(f)).Order().ToList();
        Assert.Empty(templates.Except(cases.Select(c => c.Item1)));
        var golden = Directory.GetFiles(GoldenDir, "*.txt").Select(f => Path.GetFileName(f)!).Order().ToList();
        Assert.Equal(cases.Select(c => Path.GetFileName(GoldenPath(c.Item1, c.Item2))!).Order().ToList(), golden);
    }

    private static string GoldenPath(string template, string label) =>
        Path.Combine(GoldenDir, label.Length == 0 ? $"{template}.txt" : $"{template}.{label}.txt");

    private static string FindRepo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Bot.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root (Bot.sln) not found above " + AppContext.BaseDirectory);
    }
}
