using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using RapidResponse.Domain.Calendar;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>Server-side HTML of the console: one layout, encoded text, the antiforgery field. No script library, no CDN.</summary>
public static class Html
{
    public static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    public static string Q(string? s) => Uri.EscapeDataString(s ?? "");

    public static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? t) => t is { } v ? ChinaTime.ToLocal(v).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    /// <summary>The hidden antiforgery field every console form carries.</summary>
    public static string Antiforgery(HttpContext ctx)
    {
        var t = ctx.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(ctx);
        return $"<input type=\"hidden\" name=\"{E(t.FormFieldName)}\" value=\"{E(t.RequestToken)}\">";
    }

    /// <summary>The pages in the header, and who sees each link (the pages themselves refuse everyone else with 403).</summary>
    private static readonly (string Path, string Label, Func<ConsoleUser, bool> Shown)[] Nav =
    [
        ("/console", "总览", _ => true), ("/console/cases", "案件", _ => true), ("/console/overdue", "逾期", _ => true), ("/console/bulletins", "通报", _ => true),
        ("/console/rankings", "排名", _ => true), ("/console/score-items", "评分项", u => u.IsCounty || u.IsDepartment),
        ("/console/duty", "月报", u => u.IsCounty || u.IsDepartment), ("/console/import", "导入花名册", u => u.IsCountyOffice),
        ("/console/outbox", "失败消息", u => u.IsCountyOffice), ("/console/holidays", "节假日", _ => true), ("/console/doctor", "配置检查", u => u.IsCountyOffice),
    ];

    public static IResult Page(HttpContext ctx, ConsoleUser? user, string title, string body, int status = 200)
    {
        var sb = new StringBuilder(body.Length + 4096);
        sb.Append("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        sb.Append("<title>").Append(E(title)).Append(" · 防返贫快速响应</title><style>").Append(Css).Append("</style></head><body>");
        sb.Append("<header><strong>防返贫快速响应</strong>");
        if (user is not null)
        {
            sb.Append("<nav>");
            var path = ctx.Request.Path.Value ?? "";
            foreach (var (p, label, shown) in Nav)
            {
                if (!shown(user)) continue;
                var on = p == "/console" ? path is "/console" or "/console/" : path.StartsWith(p, StringComparison.Ordinal);
                sb.Append("<a href=\"").Append(p).Append('"').Append(on ? " class=\"on\"" : "").Append('>').Append(label).Append("</a>");
            }

            sb.Append("</nav><form method=\"post\" action=\"/console/logout\" class=\"who\">").Append(Antiforgery(ctx))
                .Append("<span data-testid=\"who\">").Append(E(user.Name)).Append(" · ").Append(E(user.RoleName)).Append(user.ReadOnly ? "（只读）" : "")
                .Append("</span> <button type=\"submit\">退出</button></form>");
        }

        sb.Append("</header><main><h1>").Append(E(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        return Results.Content(sb.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private const string Css = """
        *{box-sizing:border-box}body{margin:0;font:15px/1.5 "WenQuanYi Zen Hei","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1f2933;background:#f4f6f8}
        header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 1rem;background:#0b5cab;color:#fff}
        header nav{display:flex;flex-wrap:wrap;gap:.25rem}header nav a{color:#dbe9f8;text-decoration:none;padding:.2rem .5rem;border-radius:4px}
        header nav a.on,header nav a:hover{background:#094a8a;color:#fff}.who{margin-left:auto;display:flex;gap:.5rem;align-items:center}
        main{padding:1rem;max-width:1200px;margin:0 auto}h1{font-size:1.3rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
        .cards{margin-bottom:1rem;display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:.75rem}.card{background:#fff;border-radius:6px;padding:.75rem;box-shadow:0 1px 2px #0002}
        .card b{display:block;font-size:1.6rem}.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
        .panel{background:#fff;border-radius:6px;padding:.75rem;box-shadow:0 1px 2px #0002;overflow-x:auto}svg{max-width:100%;height:auto}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:.35rem .5rem;border-bottom:1px solid #e4e7eb;text-align:left;white-space:nowrap}
        th{background:#eef2f6}.late{color:#c62828;font-weight:bold}.ok{color:#2e7d32}.muted{color:#7b8794}
        form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:.75rem}form.filters label{display:flex;flex-direction:column;font-size:.85rem}
        input,select,button{font:inherit;padding:.25rem .4rem}button{cursor:pointer}.pager{margin:.75rem 0;display:flex;gap:1rem}
        .err{background:#fdecea;color:#8a1c1c;padding:.6rem;border-radius:6px}pre{white-space:pre-wrap;background:#fff;padding:.75rem;border-radius:6px}
        @media (max-width:600px){main{padding:.5rem}th,td{padding:.3rem}.who{margin-left:0}}
        """;
}
