using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Domain.Reports;

namespace RapidResponse.Scheduler;

/// <summary>
/// Command line: <c>bulletin preview monthly 2026-10</c> or <c>bulletin preview quarterly 2026-Q3</c> prints the bulletin
/// as it would be posted (each group's parts), without posting anything or writing the ledger.
/// </summary>
public static class BulletinCommand
{
    public const string Usage = """
        用法 / usage:
          bulletin preview monthly 2026-10     预览2026年10月（双月通报时为含10月的两个月）的通报（不发送）
          bulletin preview quarterly 2026-Q3   预览2026年第三季度的季度通报（不发送）
        """;

    /// <summary>Runs the command; returns the process exit code (0 ok, 2 bad arguments).</summary>
    public static Task<int> RunAsync(IServiceProvider sp, string[] args) => RunAsync(sp, args, Console.Out, Console.Error);

    public static async Task<int> RunAsync(IServiceProvider sp, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var a = args.SkipWhile(x => x.Equals("bulletin", StringComparison.OrdinalIgnoreCase)).ToArray();
        if (a.Length != 3 || !a[0].Equals("preview", StringComparison.OrdinalIgnoreCase))
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }
        await using var scope = sp.CreateAsyncScope();
        var publisher = scope.ServiceProvider.GetRequiredService<Bulletins.BulletinPublisher>();
        Bulletins.BulletinDraft draft;
        switch (a[1].ToLowerInvariant())
        {
            case "monthly" when MonthPeriod.TryParse(a[2], out var m):
                // Under a bimonthly cadence "2026-10" previews the two-month 通报 that contains October.
                draft = await publisher.DraftMonthlyAsync(publisher.PeriodOf(m));
                break;
            case "quarterly" when QuarterPeriod.TryParse(a[2], out var q):
                draft = await publisher.DraftQuarterlyAsync(q);
                break;
            default:
                await stderr.WriteLineAsync($"无法识别“{string.Join(' ', a.Skip(1))}”：月度通报写成 monthly 2026-10，季度通报写成 quarterly 2026-Q3。");
                await stderr.WriteLineAsync(Usage);
                return 2;
        }
        await stdout.WriteLineAsync(draft.Markdown);
        if (draft.Posts.Count == 0) await stdout.WriteLineAsync("\n（没有绑定通报群或县领导群：正式发布时不会发送。）");
        foreach (var (to, parts) in draft.Posts)
            await stdout.WriteLineAsync($"\n— 将发往 {to.Channel} {to.Recipient[..Math.Min(6, to.Recipient.Length)]}…：{parts.Count}条（每条不超过{to.MarkdownLimitBytes}字节）{(draft.ChartTargets.Contains(to) ? "，文字后附图表" : "")}");
        await stdout.WriteLineAsync(draft.Chart is { } png ? $"\n图表：{draft.Layout?.Title}（PNG，{png.Length / 1024 + 1} KB）" : $"\n图表：不发送（{draft.ChartProblem}）");
        return 0;
    }
}
