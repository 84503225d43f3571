using System.Text;
using RapidResponse.Bot.GoLive;
using RapidResponse.Bot.WeCom.Api;

namespace RapidResponse.Bot.CountyConsole;

/// <summary>
/// <c>GET /console/doctor</c>: the checklist of <c>wecom doctor</c> (the same checks, asked of WeCom on each visit) for the
/// county office — each line passed, or the problem and its fix.
/// </summary>
public static class DoctorPage
{
    public static async Task<IResult> RenderAsync(HttpContext ctx, CancellationToken ct)
    {
        var user = ctx.User();
        if (!user.IsCountyOffice)
            return Html.Page(ctx, user, "无权操作", "<p class=\"err\" data-testid=\"forbidden\">只有县级办公室可以查看企业微信配置检查。</p>", 403);
        if (ctx.RequestServices.GetService<WeComApiClient>() is null)
            return Html.Page(ctx, user, "企业微信配置检查", "<p class=\"err\">企业微信未配置（WeCom:CorpId、WeCom:Secret），无法检查。</p>");
        var checks = await Doctor.CheckAsync(ctx.RequestServices, ct);
        var failed = checks.Count(c => !c.Passed);
        var b = new StringBuilder("<div class=\"panel\"><ul data-testid=\"doctor\" style=\"list-style:none;padding-left:0\">");
        foreach (var c in checks)
        {
            b.Append("<li style=\"margin:.4rem 0\"><span class=\"").Append(c.Passed ? "ok" : "late").Append("\">").Append(c.Passed ? "✔" : "✘").Append("</span> ").Append(Html.E(c.Name));
            if (!c.Passed) b.Append("<br><span class=\"muted\">解决：</span>").Append(Html.E(c.Fix));
            b.Append("</li>");
        }

        b.Append("</ul><p data-testid=\"doctor-result\" class=\"").Append(failed == 0 ? "ok" : "late").Append("\">")
            .Append(failed == 0 ? "全部通过，可以上线。" : $"{failed} 项未通过，按上面的办法改好后刷新本页（或运行 wecom doctor）。").Append("</p></div>");
        return Html.Page(ctx, user, "企业微信配置检查", b.ToString());
    }
}
