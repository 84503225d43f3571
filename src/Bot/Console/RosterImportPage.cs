using System.Text;
using RapidResponse.Bot.Import;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>
/// <c>/console/import</c>: the county office uploads a roster file (the kinds and formats of the <c>import</c> command and
/// <c>POST /api/import/{kind}</c>, DESIGN §5) and reads the answer in the page — the rows refused, each with its line and
/// reason; a file that cannot be read at all is refused as a whole and nothing is imported. The import itself is the API's.
/// </summary>
public static class RosterImportPage
{
    public static IResult Render(HttpContext ctx) =>
        ctx.User() is { IsCountyOffice: true } user ? Html.Page(ctx, user, "导入花名册", Form(ctx, null)) : Forbidden(ctx);

    /// <summary><c>POST /console/import</c> (multipart: <c>kind</c>, <c>file</c>).</summary>
    public static async Task<IResult> ImportAsync(HttpContext ctx, BotDb db, TimeProvider time)
    {
        var user = ctx.User();
        if (!user.IsCountyOffice) return Forbidden(ctx);
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        var kindText = form["kind"].ToString();
        if (!ImportKinds.TryParse(kindText, out var kind))
            return Answer(ctx, user, null, $"请选择导入类别：{ImportKinds.Described}。", 400);
        var (upload, problem) = await Upload.ReadAsync(ctx.Request, ImportKinds.Columns(kind), ctx.RequestAborted);
        if (upload is null) return Answer(ctx, user, kind, problem + "。没有导入任何数据。", 400);
        var (result, rejected) = await ImportEndpoints.RunAsync(kind, upload, ctx.RequestServices, db, time, ctx.RequestAborted);
        if (result is null)
            return Answer(ctx, user, kind, (rejected!.Line is { } l ? $"第{l}行：" : "") + rejected.Error + " 文件被拒绝，没有导入任何数据。", 400);

        db.AuditEvents.Add(new AuditEvent
        {
            At = time.GetUtcNow(), Actor = user.UserId, ActorRole = user.Role.ToString(), Action = "roster.imported",
            Detail = $"控制台导入{result.Summary}",
        });
        await db.SaveChangesAsync(ctx.RequestAborted);
        var b = new StringBuilder("<div class=\"panel\"><p data-testid=\"import-summary\" class=\"")
            .Append(result.Rejected == 0 ? "ok" : "late").Append("\">").Append(Html.E(result.Summary)).Append("</p>");
        foreach (var w in result.Warnings) b.Append("<p class=\"muted\">").Append(Html.E(w)).Append("</p>");
        if (result.Errors.Count > 0)
        {
            b.Append("<p>下面这些行没有导入（其余各行已导入）；改好后重新上传整个文件即可，已导入的行不会重复：</p><table data-testid=\"import-errors\"><thead><tr><th>行</th><th>原因</th></tr></thead><tbody>");
            foreach (var e in result.Errors)
                b.Append("<tr><td>第").Append(e.Line).Append("行</td><td style=\"white-space:normal\">").Append(Html.E(e.Reason)).Append("</td></tr>");
            b.Append("</tbody></table>");
        }

        b.Append("</div>");
        return Html.Page(ctx, user, "导入花名册", b + Form(ctx, kind));
    }

    private static IResult Answer(HttpContext ctx, ConsoleUser user, ImportKind? kind, string error, int status) =>
        Html.Page(ctx, user, "导入花名册", $"<p class=\"err\" data-testid=\"import-rejected\">{Html.E(error)}</p>" + Form(ctx, kind), status);

    private static string Form(HttpContext ctx, ImportKind? selected)
    {
        var b = new StringBuilder("<form method=\"post\" action=\"/console/import\" enctype=\"multipart/form-data\" class=\"filters panel\" data-testid=\"import-form\">")
            .Append(Html.Antiforgery(ctx)).Append("<label>类别<select name=\"kind\" data-testid=\"import-kind\">");
        foreach (var k in ImportKinds.All)
            b.Append("<option value=\"").Append(k.Name()).Append('"').Append(k == selected ? " selected" : "").Append('>').Append(k.ChineseName()).Append("（").Append(k.Name()).Append("）</option>");
        b.Append("</select></label><label>文件（.csv UTF-8 或 .xlsx）<input type=\"file\" name=\"file\" accept=\".csv,.xlsx\" required data-testid=\"import-file\"></label>")
            .Append("<button type=\"submit\" data-testid=\"import-submit\">上传并导入</button></form><div class=\"panel\"><p>第一行是列名：</p><ul>");
        foreach (var k in ImportKinds.All)
        {
            var optional = ImportKinds.OptionalColumns(k);
            b.Append("<li>").Append(k.ChineseName()).Append("：<code>").Append(string.Join(",", ImportKinds.Columns(k))).Append("</code>")
                .Append(optional.Count > 0 ? $"（可另加 <code>{string.Join(",", optional)}</code>）" : "").Append("</li>");
        }

        return b.Append("</ul><p class=\"muted\">有问题的行不导入并列出行号和原因，其余行照常导入；整个文件读不了（空文件、不是 UTF-8、列名不对）时什么也不导入。再次导入同一文件只更新，不重复。</p></div>").ToString();
    }

    private static IResult Forbidden(HttpContext ctx) =>
        Html.Page(ctx, ctx.User(), "无权操作", "<p class=\"err\" data-testid=\"forbidden\">只有县级办公室可以导入花名册。</p>", 403);
}
