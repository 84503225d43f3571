using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.WeCom;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.GoLive;

/// <summary>One village's 微信客服 entry: the link its poster's QR code carries.</summary>
public sealed record VillageLink(string Code, string Village, string Township, string Url, string Poster);

/// <summary>
/// <c>wecom kf-links --out DIR</c>: one contact way per village (<c>kf/add_contact_way</c>, <c>scene</c> = the village code)
/// into the first configured 微信客服 account; the link carries the code as <c>scene_param</c> too, which the
/// enter_session event hands back, so a farmer who scans a village's poster has the village filled in. Writes a printable
/// poster PNG per village (<c>{code}.png</c>) and one <c>index.html</c> sheet of all of them. A village's link is kept
/// (<see cref="LinkKey"/>): running the command again creates no second contact way and reprints the same QR codes.
/// </summary>
public static class KfLinks
{
    public static async Task<int> RunAsync(IServiceProvider sp, string dir, TextWriter output, CancellationToken ct)
    {
        var o = sp.GetRequiredService<IOptions<WeComOptions>>().Value;
        if (o.Kf.OpenKfIds.FirstOrDefault() is not { Length: > 0 } kf)
        {
            await output.WriteLineAsync("还没有配置微信客服账号：请把 open_kfid（wk 开头）填入 WeCom:Kf:OpenKfIds，例如 [\"wkAJ2GCAAAxxxx\"]。");
            return 2;
        }

        var db = sp.GetRequiredService<BotDb>();
        var regions = await db.Regions.AsNoTracking().ToListAsync(ct);
        var byCode = regions.ToDictionary(r => r.Code);
        var villages = regions.Where(r => r.Level == RegionLevel.Village).OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
        if (villages.Count == 0)
        {
            await output.WriteLineAsync("名单里没有村：请先导入区域（import regions）。");
            return 1;
        }

        Directory.CreateDirectory(dir);
        var font = PosterPainter.FindCjkFont();
        if (font is null)
            await output.WriteLineAsync("提示：没有找到中文字体（Debian/Ubuntu：apt-get install fonts-wqy-zenhei）：海报只印二维码和村代码；装好字体后重新运行即可。");
        var api = sp.GetRequiredService<WeComApiClient>();
        var time = sp.GetRequiredService<TimeProvider>();
        var links = new List<VillageLink>();
        var failed = 0;
        var reused = 0;
        foreach (var v in villages)
        {
            var township = v.ParentCode is { } p && byCode.TryGetValue(p, out var t) ? t.Name : "";
            string url;
            var key = LinkKey(kf, v.Code);
            var known = await db.KeyValues.FirstOrDefaultAsync(x => x.Key == key, ct);
            if (known is not null) { url = known.Value; reused++; }
            else
            {
                try
                {
                    var r = await api.SendAsync(new KfAddContactWayRequest { OpenKfId = kf, Scene = v.Code }, ct);
                    url = WithSceneParam(r.Url ?? throw new WeComApiException(-1, "no url in the answer", "/cgi-bin/kf/add_contact_way"), v.Code);
                }
                catch (WeComApiException e)
                {
                    failed++;
                    await output.WriteLineAsync($"  未生成：{township}{v.Name}（{v.Code}）：{WeComProblems.Explain(e.ErrCode)}");
                    continue;
                }

                // Kept at once: WeCom has no call that lists contact ways, and a poster already printed must keep working.
                db.KeyValues.Add(new KeyValueEntry { Key = key, Value = url, UpdatedAt = time.GetUtcNow() });
                await db.SaveChangesAsync(ct);
            }

            var poster = v.Code + ".png";
            await File.WriteAllBytesAsync(Path.Combine(dir, poster), PosterPainter.Paint(url, v.Name, township, v.Code, font), ct);
            links.Add(new VillageLink(v.Code, v.Name, township, url, poster));
        }

        var county = regions.FirstOrDefault(r => r.Level == RegionLevel.County)?.Name ?? "";
        await File.WriteAllTextAsync(Path.Combine(dir, "index.html"), IndexHtml(county, links), new UTF8Encoding(false), ct);
        await output.WriteLineAsync($"已为 {links.Count} 个村生成微信客服入口和海报：{Path.Combine(dir, "index.html")}"
                                    + (reused > 0 ? $"（其中 {reused} 个村沿用已有入口，海报上的二维码不变）" : "") + (failed > 0 ? $"；{failed} 个村未生成" : ""));
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Where a village's link into a 微信客服 account is kept, so running the command again reuses it.</summary>
    public static string LinkKey(string openKfId, string villageCode) => $"kf:link:{openKfId}:{villageCode}";

    /// <summary>WeCom hands a link's <c>scene_param</c> (URL-encoded, ≤ 128 bytes) back in the enter_session event.</summary>
    public static string WithSceneParam(string url, string sceneParam) =>
        url + (url.Contains('?') ? "&" : "?") + "scene_param=" + Uri.EscapeDataString(sceneParam);

    private static string IndexHtml(string county, IReadOnlyList<VillageLink> links)
    {
        static string H(string s) => WebUtility.HtmlEncode(s);
        var b = new StringBuilder();
        b.Append($"""
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>{H(county)}各村微信客服入口</title>
            <style>body{"{"}font-family:sans-serif;margin:2em{"}"} table{"{"}border-collapse:collapse{"}"} td,th{"{"}border:1px solid #999;padding:.4em .8em;vertical-align:top{"}"} img{"{"}width:180px{"}"} @media print{"{"}a{"{"}color:#000{"}"}{"}"}</style>
            </head><body>
            <h1>{H(county)}各村微信客服入口</h1>
            <p>每个村一张海报，打印后张贴在村委会、便民服务点。群众微信扫一扫即可申报家庭困难、查询进度，村名会自动填好。</p>
            <table><thead><tr><th>乡镇</th><th>村</th><th>村代码</th><th>海报</th><th>链接</th></tr></thead><tbody>

            """);
        foreach (var l in links)
            b.Append($"""<tr><td>{H(l.Township)}</td><td>{H(l.Village)}</td><td>{H(l.Code)}</td><td><a href="{H(l.Poster)}"><img src="{H(l.Poster)}" alt="{H(l.Village)}海报"></a></td><td><a href="{H(l.Url)}">{H(l.Url)}</a></td></tr>""").Append('\n');
        b.Append("</tbody></table></body></html>\n");
        return b.ToString();
    }
}
