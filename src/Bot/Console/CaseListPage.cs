using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.CountyConsole;

/// <summary><c>GET /console/cases</c>: the cases this person may see, filtered and paged.</summary>
public static class CaseListPage
{
    public static async Task<IResult> RenderAsync(HttpContext ctx, BotDb db, TimeProvider time, IOptions<ConsoleOptions> o)
    {
        var user = ctx.User();
        var f = CaseFilter.Parse(ctx.Request.Query, out var problems);
        var now = time.GetUtcNow();
        var names = await RegionNames.LoadAsync(db, ctx.RequestAborted);
        var q = f.Apply(user.Cases(db), db, now);
        var total = await q.CountAsync(ctx.RequestAborted);
        var size = Math.Clamp(o.Value.PageSize, 5, 500);
        // The page's ids first, then their columns: SQLite works out a row's select list before it sorts, so the household and
        // deadline lookups would otherwise run for every matching case, not just the page's.
        var ids = await q.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Skip((f.Page - 1) * size).Take(size)
            .Select(c => c.Id).ToListAsync(ctx.RequestAborted);
        var found = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new
            {
                c.Id, c.Number, c.VillageCode, c.State, c.Outcome, c.Channel, c.RiskTypes, c.CreatedAt, c.ApplicantName,
                Head = db.Households.Where(h => h.Id == c.HouseholdId).Select(h => h.HeadName).FirstOrDefault(),
                Due = db.Stages.Where(s => s.CaseId == c.Id && s.CompletedAt == null).OrderByDescending(s => s.Sequence).Select(s => s.DueAt).FirstOrDefault(),
            }).ToDictionaryAsync(c => c.Id, ctx.RequestAborted);
        var rows = ids.Where(found.ContainsKey).Select(id => found[id]).ToList();

        var b = new StringBuilder();
        foreach (var p in problems) b.Append("<p class=\"err\">").Append(Html.E(p)).Append("</p>");
        b.Append(await FiltersAsync(user, db, names, f, ctx.RequestAborted));
        b.Append("<p><span data-testid=\"total\">共 ").Append(total).Append(" 件</span> · <a data-testid=\"ledger\" href=\"/console/ledger.xlsx?")
            .Append(Html.E(f.Query())).Append("\">导出台账（Excel）</a></p>");
        b.Append("<div class=\"panel\"><table data-testid=\"cases\"><thead><tr><th>编号</th><th>户主/申请人</th><th>村</th><th>乡镇</th><th>困难类型</th><th>来源</th><th>状态</th><th>当前期限</th><th>受理时间</th></tr></thead><tbody>");
        foreach (var r in rows)
        {
            var late = r.Due is { } d && d < now && r.State != CaseState.Closed;
            b.Append("<tr><td><a href=\"/console/cases/").Append(Html.Q(r.Number)).Append("\">").Append(Html.E(r.Number)).Append("</a></td><td>")
                .Append(Html.E(r.Head ?? r.ApplicantName)).Append("</td><td>").Append(Html.E(names.Name(r.VillageCode))).Append("</td><td>")
                .Append(Html.E(names.Name(names.TownshipOf(r.VillageCode)))).Append("</td><td>").Append(Html.E(string.Join('、', r.RiskTypes))).Append("</td><td>")
                .Append(Html.E(r.Channel.ToChinese())).Append("</td><td>").Append(Html.E(StateName(r.State, r.Outcome))).Append("</td><td")
                .Append(late ? " class=\"late\">逾期 " : ">").Append(Html.Time(r.State == CaseState.Closed ? null : r.Due)).Append("</td><td>").Append(Html.Time(r.CreatedAt)).Append("</td></tr>");
        }

        if (rows.Count == 0) b.Append("<tr><td colspan=\"9\" class=\"muted\">没有符合条件的案件</td></tr>");
        b.Append("</tbody></table></div><div class=\"pager\">");
        var baseQ = f.Query();
        if (f.Page > 1) b.Append("<a href=\"?").Append(Html.E(baseQ)).Append("&amp;page=").Append(f.Page - 1).Append("\">上一页</a>");
        b.Append("<span>第 ").Append(f.Page).Append(" 页 / 共 ").Append(Math.Max(1, (total + size - 1) / size)).Append(" 页</span>");
        if (f.Page * size < total) b.Append("<a data-testid=\"next\" href=\"?").Append(Html.E(baseQ)).Append("&amp;page=").Append(f.Page + 1).Append("\">下一页</a>");
        b.Append("</div>");
        return Html.Page(ctx, user, "案件", b.ToString());
    }

    public static string StateName(CaseState s, CaseOutcome o) => s == CaseState.Closed ? o.ToChinese() : ((StageKind)(int)s).ToChinese();

    private static async Task<string> FiltersAsync(ConsoleUser user, BotDb db, RegionNames names, CaseFilter f, CancellationToken ct)
    {
        var b = new StringBuilder("<form class=\"filters\" method=\"get\" action=\"/console/cases\" data-testid=\"filters\">");
        var towns = await user.TownshipsAsync(db, ct);
        Select(b, "township", "乡镇", f.Township, towns.Select(t => (t.Code, t.Name)));
        var villages = towns.SelectMany(t => names.VillagesOf(t.Code));
        if (user.IsVillage) villages = villages.Where(v => v.Code == user.RegionCode);
        Select(b, "village", "村", f.Village, villages.Select(v => (v.Code, v.Name)));
        Select(b, "stage", "环节", f.Stage?.ToString(), Enum.GetValues<StageKind>().Select(s => (s.ToString(), s.ToChinese())));
        Select(b, "state", "状态", f.State, [("open", "办理中"), ("closed", "已办结")]);
        Select(b, "channel", "来源", f.Channel?.ToString(), Enum.GetValues<Channel>().Select(c => (c.ToString(), c.ToChinese())));
        Select(b, "risk", "困难类型", f.Risk, RiskTypes.All.Select(r => (r, r)));
        b.Append("<label>受理起<input type=\"date\" name=\"from\" value=\"").Append(f.From?.ToString("yyyy-MM-dd")).Append("\"></label>")
            .Append("<label>受理止<input type=\"date\" name=\"to\" value=\"").Append(f.To?.ToString("yyyy-MM-dd")).Append("\"></label>")
            .Append("<label><span><input type=\"checkbox\" name=\"overdue\" value=\"1\"").Append(f.Overdue ? " checked" : "").Append("> 只看逾期</span></label>")
            .Append("<button type=\"submit\" data-testid=\"apply\">筛选</button> <a href=\"/console/cases\">清除</a></form>");
        return b.ToString();
    }

    private static void Select(StringBuilder b, string name, string label, string? value, IEnumerable<(string Value, string Text)> options)
    {
        b.Append("<label>").Append(label).Append("<select name=\"").Append(name).Append("\" data-testid=\"f-").Append(name).Append("\"><option value=\"\">全部</option>");
        foreach (var (v, t) in options)
            b.Append("<option value=\"").Append(Html.E(v)).Append('"').Append(v == value ? " selected" : "").Append('>').Append(Html.E(t)).Append("</option>");
        b.Append("</select></label>");
    }
}
