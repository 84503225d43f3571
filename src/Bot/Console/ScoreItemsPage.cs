using System.Text;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Domain;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Roster;
using RapidResponse.Domain.Scoring;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>
/// <c>/console/score-items?quarter=…</c>: the quarter's score items of the department ranking (方城 附件3) with their state, and
/// what each role may do — the county office enters, decides a contest and voids (with a reason, audited); a department
/// confirms or contests its own pending item within its 2 working days; county leaders read. The rules are the domain's
/// (<see cref="ScoreEntry"/>, <see cref="ScoreVerification"/>) and the chat card's (<see cref="ScoreCardFlow"/>).
/// </summary>
public static class ScoreItemsPage
{
    public static async Task<IResult> RenderAsync(HttpContext ctx, BotDb db, TimeProvider time, string? quarter) =>
        await PageAsync(ctx, db, time, quarter, null, null);

    /// <summary><c>POST /console/score-items</c>: the county office enters an item.</summary>
    public static async Task<IResult> EnterAsync(HttpContext ctx, BotDb db, TimeProvider time, WorkingCalendar calendar)
    {
        var user = ctx.User();
        if (!user.IsCountyOffice) return Forbidden(ctx, user, "只有县级办公室可以录入评分。");
        var f = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        var now = time.GetUtcNow();
        string? V(string k) => f[k].ToString() is { Length: > 0 } v ? v : null;
        var errors = await ScoreEntry.ValidateAsync(db, V("department"), V("quarter"), V("rule"), V("reason"), now, ctx.RequestAborted);
        if (errors.Count > 0) return await PageAsync(ctx, db, time, V("quarter"), errors.Values.SelectMany(x => x).ToList(), f);
        await ScoreEntry.EnterAsync(db, calendar, V("department")!, V("quarter")!, V("rule")!, V("reason")!, user.Name, user.UserId, user.Role.ToString(), now, ctx.RequestAborted);
        await db.SaveChangesAsync(ctx.RequestAborted);
        return Results.Redirect("/console/score-items?quarter=" + Html.Q(QuarterPeriod.Parse(V("quarter")!).ToString()));
    }

    /// <summary><c>POST /console/score-items/{id}/{action}</c>: confirm, contest (department); decide, void (county office).</summary>
    public static async Task<IResult> ActAsync(HttpContext ctx, BotDb db, TimeProvider time, ScoreCardFlow cards, long id, string action)
    {
        var user = ctx.User();
        var e = await db.ScoreEvents.FirstOrDefaultAsync(x => x.Id == id, ctx.RequestAborted);
        if (e is null) return Html.Page(ctx, user, "评分项不存在", $"<p class=\"err\">没有编号为 {id} 的评分项。</p><p><a href=\"/console/score-items\">返回</a></p>", 404);
        var f = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        var reason = f["reason"].ToString().Trim();
        var now = time.GetUtcNow();
        try
        {
            switch (action)
            {
                case "confirm" or "contest":
                    // 附件3 ①: the department whose item it is checks it, no one else.
                    if (!user.IsDepartment || user.DepartmentCode != e.DepartmentCode) return Forbidden(ctx, user, "这条扣分由被扣分部门核实，您不是该部门的账号。");
                    var staff = await db.Staff.AsNoTracking().SingleAsync(s => s.UserId == user.UserId, ctx.RequestAborted);
                    if (action == "confirm") await cards.ConfirmAsync(e, staff, ctx.RequestAborted);
                    else await cards.ContestAsync(e, staff, reason, ctx.RequestAborted);
                    break;
                case "decide" or "void":
                    if (!user.IsCountyOffice) return Forbidden(ctx, user, "只有县级办公室可以裁定异议或作废评分。");
                    if (action == "decide")
                    {
                        var uphold = f["uphold"].ToString() switch { "yes" => true, "no" => (bool?)false, _ => null };
                        if (uphold is null) throw new DomainException("请选择裁定结果：异议不成立（计分）或异议成立（作废）");
                        if (ScoreEntry.ReasonProblem(reason, "裁定理由", ScoreEntry.DecideExample) is { } p) throw new DomainException(p);
                        ScoreVerification.Decide(db, e, uphold.Value, Mask.Text(reason), user.UserId, now);
                    }
                    else
                    {
                        if (ScoreEntry.ReasonProblem(reason, "作废理由", ScoreEntry.VoidExample) is { } p) throw new DomainException(p);
                        await cards.VoidAsync(e, Mask.Text(reason), user.UserId, ctx.RequestAborted);
                    }
                    break;
                default:
                    return Html.Page(ctx, user, "无效操作", "<p class=\"err\">不认识的操作。</p>", 404);
            }
        }
        catch (DomainException x)
        {
            return await PageAsync(ctx, db, time, e.Quarter, [$"评分项 #{e.Id}：{x.Message}"], null);
        }

        await db.SaveChangesAsync(ctx.RequestAborted);
        return Results.Redirect("/console/score-items?quarter=" + Html.Q(e.Quarter));
    }

    public static string StateName(ScoreStatus s) => s switch
    {
        ScoreStatus.Pending => "待核实",
        ScoreStatus.Verified => "已核实",
        ScoreStatus.Contested => "有异议",
        ScoreStatus.Voided => "作废",
        _ => s.ToString(),
    };

    private static async Task<IResult> PageAsync(HttpContext ctx, BotDb db, TimeProvider time, string? quarter, List<string>? problems, IFormCollection? form)
    {
        var user = ctx.User();
        if (!user.IsCounty && !user.IsDepartment) return Forbidden(ctx, user, "评分项是部门排名的内容，只有县级人员和行业部门可以查看。");
        var now = time.GetUtcNow();
        var current = QuarterPeriod.Of(ChinaTime.DateOf(now));
        var q = current;
        if (quarter is not null && !QuarterPeriod.TryParse(quarter, out q))
            return Html.Page(ctx, user, "评分项", $"<p class=\"err\">季度“{Html.E(quarter)}”看不懂，请写成例如 {Html.E(current.ToString())}。</p>", 400);
        var key = q.ToString();
        var rows = db.ScoreEvents.AsNoTracking().Where(x => x.Quarter == key);
        if (user.IsDepartment) rows = rows.Where(x => x.DepartmentCode == user.DepartmentCode);
        var items = await rows.OrderBy(x => x.Id).ToListAsync(ctx.RequestAborted);
        var depts = await db.Departments.AsNoTracking().OrderBy(d => d.Code).ToListAsync(ctx.RequestAborted);
        var names = depts.ToDictionary(d => d.Code, d => d.Name);

        var b = new StringBuilder();
        b.Append("<form method=\"get\" class=\"filters\"><label>季度<input name=\"quarter\" value=\"").Append(Html.E(key)).Append("\" placeholder=\"2026-Q4\"></label><button type=\"submit\">查看</button></form>");
        foreach (var p in problems ?? []) b.Append("<p class=\"err\" data-testid=\"problem\">").Append(Html.E(p)).Append("</p>");
        if (user.IsCountyOffice) EnterForm(ctx, b, depts, form, key);
        b.Append("<div class=\"panel\"><table data-testid=\"score-items\"><thead><tr><th>#</th><th>单位</th><th>评分项</th><th>分值</th><th>理由</th><th>状态</th><th>核实期限</th><th>说明</th><th>操作</th></tr></thead><tbody>");
        foreach (var e in items)
        {
            var rule = ScoreRules.Find(e.RuleCode);
            b.Append("<tr data-testid=\"item-").Append(e.Id).Append("\"><td>").Append(e.Id).Append("</td><td>").Append(Html.E(names.GetValueOrDefault(e.DepartmentCode, e.DepartmentCode)))
                .Append("</td><td>").Append(Html.E(rule?.Name ?? e.RuleCode)).Append("</td><td>").Append(e.Points.ToString("+0;-0")).Append("</td><td style=\"white-space:normal\">")
                .Append(Html.E(Mask.Text(e.Reason))).Append(e.CaseNumber is { } n ? $"<br><a href=\"/console/cases/{Html.Q(n)}\">{Html.E(n)}</a>" : "")
                .Append("</td><td data-testid=\"state-").Append(e.Id).Append("\">").Append(StateName(e.Status)).Append("</td><td>").Append(Html.Time(e.RespondBy))
                .Append("</td><td style=\"white-space:normal\">").Append(Html.E(Note(e))).Append("</td><td>");
            Actions(ctx, b, user, e, now);
            b.Append("</td></tr>");
        }

        if (items.Count == 0) b.Append("<tr><td colspan=\"9\" class=\"muted\">本季度没有评分项</td></tr>");
        b.Append("</tbody></table></div><p class=\"muted\">方城附件3：扣分项先由被扣分部门在2个工作日内佐证核实，属实或逾期未提出异议的计入；有异议的由县级办公室裁定；只有“已核实”的计分。</p>");
        return Html.Page(ctx, user, "评分项", b.ToString(), problems is { Count: > 0 } ? 400 : 200);
    }

    private static string Note(ScoreEvent e) => e.Status switch
    {
        ScoreStatus.Contested => "异议：" + Mask.Text(e.ContestReason),
        ScoreStatus.Voided => "作废：" + Mask.Text(e.VoidReason),
        ScoreStatus.Verified => e.VerifiedHow switch
        {
            "department" => "部门确认属实", "deadline" => "期限内未提出异议", "county" => "异议不成立（县级裁定）" + (e.ContestReason is { } c ? "；异议：" + Mask.Text(c) : ""),
            "entered" => "加分项，录入即计", _ => "",
        },
        _ => "",
    };

    private static void Actions(HttpContext ctx, StringBuilder b, ConsoleUser user, ScoreEvent e, DateTimeOffset now)
    {
        string Open(string action) => $"<form method=\"post\" action=\"/console/score-items/{e.Id}/{action}\" class=\"filters\">{Html.Antiforgery(ctx)}";
        if (user.IsDepartment && user.DepartmentCode == e.DepartmentCode && e.Status == ScoreStatus.Pending && now <= e.RespondBy)
        {
            b.Append(Open("confirm")).Append("<button type=\"submit\" data-testid=\"confirm-").Append(e.Id).Append("\">属实</button></form>");
            b.Append(Open("contest")).Append("<input name=\"reason\" placeholder=\"异议理由\" required minlength=\"4\"><button type=\"submit\" data-testid=\"contest-")
                .Append(e.Id).Append("\">有异议</button></form>");
        }

        if (!user.IsCountyOffice) return;
        if (e.Status == ScoreStatus.Contested)
            b.Append(Open("decide")).Append("<select name=\"uphold\"><option value=\"yes\">异议不成立（计分）</option><option value=\"no\">异议成立（作废）</option></select>")
                .Append("<input name=\"reason\" placeholder=\"裁定理由\" required minlength=\"4\"><button type=\"submit\" data-testid=\"decide-").Append(e.Id).Append("\">裁定</button></form>");
        if (e.Status != ScoreStatus.Voided)
            b.Append(Open("void")).Append("<input name=\"reason\" placeholder=\"作废理由\" required minlength=\"4\"><button type=\"submit\" data-testid=\"void-")
                .Append(e.Id).Append("\">作废</button></form>");
    }

    private static void EnterForm(HttpContext ctx, StringBuilder b, List<Department> depts, IFormCollection? form, string quarter)
    {
        string V(string k, string d = "") => form?[k].ToString() is { Length: > 0 } v ? v : d;
        b.Append("<h2>录入评分</h2><form method=\"post\" action=\"/console/score-items\" class=\"filters panel\" data-testid=\"enter\">").Append(Html.Antiforgery(ctx))
            .Append("<label>单位<select name=\"department\">");
        foreach (var d in depts.Where(d => d.Kind != DepartmentKind.CountyOffice))
            b.Append("<option value=\"").Append(Html.E(d.Code)).Append('"').Append(V("department") == d.Code ? " selected" : "").Append('>').Append(Html.E(d.Name)).Append("</option>");
        b.Append("</select></label><label>评分项<select name=\"rule\">");
        foreach (var r in ScoreRules.All)
            b.Append("<option value=\"").Append(r.Code).Append('"').Append(V("rule") == r.Code ? " selected" : "").Append('>')
                .Append(Html.E($"{r.Code} {r.Name}（{r.Points:+0;-0}分）")).Append("</option>");
        b.Append("</select></label><label>季度<input name=\"quarter\" value=\"").Append(Html.E(V("quarter", quarter))).Append("\"></label>")
            .Append("<label>理由<input name=\"reason\" size=\"30\" value=\"").Append(Html.E(V("reason"))).Append("\" placeholder=\"例如：县督查暗访发现某村饮水问题未主动报告\"></label>")
            .Append("<button type=\"submit\" data-testid=\"enter-submit\">录入</button></form>");
    }

    private static IResult Forbidden(HttpContext ctx, ConsoleUser user, string why) =>
        Html.Page(ctx, user, "无权操作", $"<p class=\"err\" data-testid=\"forbidden\">{Html.E(why)}</p>", 403);
}
