using System.Text;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>
/// <c>GET /console/cases/{number}</c>: each stage with start, due, completed and who, the audit trail, the household with ID
/// and phone masked; <c>POST …/reveal</c> ("查看完整") shows them in full to the household's village, township and the county
/// office only, and is itself audited.
/// </summary>
public static class CaseDetailPage
{
    public static Task<IResult> RenderAsync(HttpContext ctx, BotDb db, TimeProvider time, string number) => RenderAsync(ctx, db, time, number, reveal: false);

    public static async Task<IResult> RevealAsync(HttpContext ctx, BotDb db, TimeProvider time, string number)
    {
        var user = ctx.User();
        var c = await db.Cases.AsNoTracking().FirstOrDefaultAsync(x => x.Number == number, ctx.RequestAborted);
        if (c is null) return NotFound(ctx, number);
        var names = await RegionNames.LoadAsync(db, ctx.RequestAborted);
        if (!await user.Cases(db).AnyAsync(x => x.Id == c.Id, ctx.RequestAborted) || !user.MayReveal(c.VillageCode, names.TownshipOf(c.VillageCode)))
            return Html.Page(ctx, user, "无权查看", "<p class=\"err\" data-testid=\"forbidden\">只有该户所在村、乡镇和县级办公室可以查看完整身份证号和电话。</p>", 403);
        db.AuditEvents.Add(new AuditEvent
        {
            CaseId = c.Id, At = time.GetUtcNow(), Actor = user.UserId, ActorRole = user.Role.ToString(), Action = "console.reveal",
            Detail = $"{user.Name}在控制台查看了完整身份证号和电话",
        });
        await db.SaveChangesAsync(ctx.RequestAborted);
        return await RenderAsync(ctx, db, time, number, reveal: true);
    }

    private static async Task<IResult> RenderAsync(HttpContext ctx, BotDb db, TimeProvider time, string number, bool reveal)
    {
        var user = ctx.User();
        var c = await db.Cases.AsNoTracking().AsSplitQuery()
            .Include(x => x.Stages).ThenInclude(s => s.Assignments)
            .Include(x => x.Visits)
            .FirstOrDefaultAsync(x => x.Number == number, ctx.RequestAborted);
        if (c is null) return NotFound(ctx, number);
        if (!await user.Cases(db).AnyAsync(x => x.Id == c.Id, ctx.RequestAborted))
            return Html.Page(ctx, user, "无权查看", $"<p class=\"err\" data-testid=\"forbidden\">案件 {Html.E(number)} 不在你的管辖范围内（{Html.E(user.RoleName)}只能查看本辖区或本部门的案件）。</p>", 403);

        var now = time.GetUtcNow();
        var names = await RegionNames.LoadAsync(db, ctx.RequestAborted);
        var household = c.HouseholdId is { } hid ? await db.Households.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hid, ctx.RequestAborted) : null;
        var staffNames = await db.Staff.AsNoTracking().ToDictionaryAsync(s => s.UserId, s => s.Name, ctx.RequestAborted);
        var depts = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, ctx.RequestAborted);
        string Who(AssigneeKind k, string id) => k == AssigneeKind.Department ? depts.GetValueOrDefault(id, id) : staffNames.GetValueOrDefault(id, id);

        var id = household?.IdNumber ?? c.ApplicantIdNumber;
        var phone = household?.Phone ?? c.ApplicantPhone;
        var township = names.TownshipOf(c.VillageCode);
        var b = new StringBuilder("<div class=\"grid2\"><div class=\"panel\" data-testid=\"household\"><table>");
        Row(b, "编号", c.Number);
        Row(b, "户主/申请人", household?.HeadName ?? c.ApplicantName);
        Row(b, "身份证号", reveal ? id : Mask.IdNumber(id), "id-number");
        Row(b, "联系电话", reveal ? phone : Mask.Phone(phone), "phone");
        Row(b, "村 / 乡镇", $"{names.Name(c.VillageCode)} / {names.Name(township)}");
        Row(b, "困难类型", string.Join('、', c.RiskTypes));
        Row(b, "来源", c.Channel.ToChinese());
        Row(b, "状态", CaseListPage.StateName(c.State, c.Outcome));
        Row(b, "受理时间", Html.Time(c.CreatedAt));
        Row(b, "情况说明", Mask.Text(c.Description));
        if (c.Qualifies is { } q) Row(b, "认定结果", (q ? "符合条件" : "不符合条件") + (c.DecisionReason is { } r ? "：" + Mask.Text(r) : ""));
        if (c.AssistancePlan is { } plan) Row(b, "帮扶措施", Mask.Text(plan));
        b.Append("</table>");
        if (!reveal && user.MayReveal(c.VillageCode, township) && (id is not null || phone is not null))
            b.Append("<form method=\"post\" action=\"/console/cases/").Append(Html.Q(c.Number)).Append("/reveal\">").Append(Html.Antiforgery(ctx))
                .Append("<button type=\"submit\" data-testid=\"reveal\">查看完整</button> <span class=\"muted\">查看会记入审计</span></form>");
        b.Append("</div>");

        b.Append("<div class=\"panel\"><h2>办理环节</h2><table data-testid=\"stages\"><thead><tr><th>环节</th><th>开始</th><th>期限</th><th>完成</th><th>办理人</th></tr></thead><tbody>");
        foreach (var s in c.Stages.OrderBy(s => s.Sequence))
        {
            var tasks = s.Assignments.Where(a => !user.IsDepartment || (a.AssigneeKind == AssigneeKind.Department && a.AssigneeId == user.DepartmentCode)).ToList();
            if (user.IsDepartment && tasks.Count == 0) continue; // a department sees its own tasks only
            var late = s.CompletedLate || s.IsOverdue(now);
            b.Append("<tr><td>").Append(Html.E(s.Kind.ToChinese())).Append("</td><td>").Append(Html.Time(s.StartedAt)).Append("</td><td>").Append(Html.Time(s.DueAt))
                .Append("</td><td").Append(late ? " class=\"late\">" : ">").Append(s.CompletedAt is null ? (late ? "逾期未办" : "办理中") : Html.Time(s.CompletedAt) + (s.CompletedLate ? "（逾期）" : ""))
                .Append("</td><td>");
            b.Append(string.Join("<br>", tasks.Select(a => Html.E(Who(a.AssigneeKind, a.AssigneeId)) + (a.CompletedAt is null ? "" :
                $"：{Html.E(a.Result.ToChinese())}（{Html.E(a.CompletedBy is { } by ? staffNames.GetValueOrDefault(by, by) : "")}）"))));
            b.Append("</td></tr>");
        }

        b.Append("</tbody></table></div></div>");
        await EvidenceAsync(ctx, db, b, c);
        if (!user.IsDepartment)
        {
            var audit = await db.AuditEvents.AsNoTracking().Where(a => a.CaseId == c.Id).OrderBy(a => a.At).ThenBy(a => a.Id).ToListAsync(ctx.RequestAborted);
            b.Append("<h2>审计记录</h2><div class=\"panel\"><table data-testid=\"audit\"><thead><tr><th>时间</th><th>人员</th><th>动作</th><th>说明</th></tr></thead><tbody>");
            foreach (var a in audit)
                b.Append("<tr><td>").Append(Html.Time(a.At)).Append("</td><td>").Append(Html.E(staffNames.GetValueOrDefault(a.Actor, a.Actor))).Append("</td><td>")
                    .Append(Html.E(a.Action)).Append("</td><td style=\"white-space:normal\">").Append(Html.E(Mask.Text(a.Detail))).Append("</td></tr>");
            b.Append("</tbody></table></div>");
            if (c.Visits.Count > 0)
            {
                b.Append("<h2>走访记录</h2><div class=\"panel\"><table><tbody>");
                foreach (var v in c.Visits.OrderBy(v => v.At))
                    b.Append("<tr><td>").Append(Html.Time(v.At)).Append("</td><td>").Append(Html.E(staffNames.GetValueOrDefault(v.ByUserId, v.ByUserId)))
                        .Append("</td><td style=\"white-space:normal\">").Append(Html.E(Mask.Text(v.Note))).Append("</td></tr>");
                b.Append("</tbody></table></div>");
            }
        }

        return Html.Page(ctx, user, "案件 " + c.Number, b.ToString());
    }

    /// <summary>The case's evidence (材料): photos shown small, voice and files as links, each with who sent it and when.</summary>
    private static async Task EvidenceAsync(HttpContext ctx, BotDb db, StringBuilder b, Case c)
    {
        var items = await db.Evidence.AsNoTracking().Where(e => e.CaseId == c.Id && e.Status == Domain.Evidence.EvidenceStatus.Stored).OrderBy(e => e.Id).ToListAsync(ctx.RequestAborted);
        if (items.Count == 0) return;
        b.Append("<h2>材料</h2><div class=\"panel\" data-testid=\"evidence\"><table><tbody>");
        foreach (var e in items)
        {
            var url = $"/console/cases/{Html.Q(c.Number)}/evidence/{e.Id}";
            b.Append("<tr><td>").Append(Html.Time(e.ReceivedAt)).Append("</td><td>").Append(Domain.Evidence.EvidenceItem.Name(e.Kind)).Append("</td><td>");
            if (e.Kind == Domain.Evidence.EvidenceKind.Image)
                b.Append("<a href=\"").Append(url).Append("\"><img src=\"").Append(url).Append("\" alt=\"照片").Append(e.Id).Append("\" loading=\"lazy\" style=\"max-width:160px;max-height:120px\"></a>");
            else
                b.Append("<a href=\"").Append(url).Append("\">").Append(Html.E(Admin.EvidenceEndpoints.FileName(e))).Append("</a>");
            b.Append("</td><td style=\"white-space:normal\">").Append(Html.E(e.Note is null ? "" : Mask.Text(e.Note))).Append("</td></tr>");
        }

        b.Append("</tbody></table></div>");
    }

    /// <summary><c>GET /console/cases/{number}/evidence/{id}</c>: the file, to those who may see the case.</summary>
    public static async Task<IResult> EvidenceFileAsync(HttpContext ctx, BotDb db, Evidence.MediaStore store, string number, long id)
    {
        var user = ctx.User();
        var e = await (from x in db.Evidence.AsNoTracking()
                       join k in db.Cases.AsNoTracking() on x.CaseId equals k.Id
                       where x.Id == id && k.Number == number && x.Status == Domain.Evidence.EvidenceStatus.Stored
                       select new { Item = x, CaseId = k.Id }).FirstOrDefaultAsync(ctx.RequestAborted);
        if (e is null) return NotFound(ctx, number);
        if (!await user.Cases(db).AnyAsync(x => x.Id == e.CaseId, ctx.RequestAborted))
            return Html.Page(ctx, user, "无权查看", $"<p class=\"err\" data-testid=\"forbidden\">案件 {Html.E(number)} 不在你的管辖范围内。</p>", 403);
        var bytes = await store.ReadAsync(db, e.Item.Sha256!, ctx.RequestAborted);
        if (bytes is null) return Html.Page(ctx, user, "文件不在了", "<p class=\"err\">这份材料的文件不在存储里了，请联系县级办公室的信息员检查 Media:Directory。</p>", 404);
        return Results.File(bytes, e.Item.ContentType ?? "application/octet-stream", Admin.EvidenceEndpoints.FileName(e.Item));
    }

    private static void Row(StringBuilder b, string k, string? v, string? testId = null) =>
        b.Append("<tr><th>").Append(k).Append("</th><td style=\"white-space:normal\"").Append(testId is null ? "" : $" data-testid=\"{testId}\"").Append('>').Append(Html.E(v)).Append("</td></tr>");

    private static IResult NotFound(HttpContext ctx, string number) =>
        Html.Page(ctx, ctx.User(), "没有这个案件", $"<p class=\"err\">没有编号为 {Html.E(number)} 的案件。编号形如 YL-2026-000123，请从案件列表中打开。</p>", 404);
}
