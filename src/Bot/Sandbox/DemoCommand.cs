using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations.Access;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;

namespace RapidResponse.Bot.Sandbox;

/// <summary>
/// <c>dotnet run --project src/Bot -- demo</c>: plays one farmer's report through the whole chain in the sandbox —
/// report, intake, data comparison, forward to the village, household check, decision — then moves the virtual clock
/// past the next deadline so the overdue escalation shows in the township group (when the scheduler is in this build),
/// and prints the transcript: who said what, what the bot answered, which cards, which group messages.
/// </summary>
public static class DemoCommand
{
    public static Task<int> RunAsync(IServiceProvider sp, string[] args) => RunAsync(sp, args, Console.Out);

    /// <summary>
    /// Before AddBotDatabase: <c>demo</c> plays on a fresh temporary SQLite file, so the sandbox's own data stays as it was;
    /// <c>demo --here</c> plays on the configured database.
    /// </summary>
    public static WebApplicationBuilder UseDemoDatabase(this WebApplicationBuilder b, string[] args)
    {
        if (args is not ["demo", ..]) return b;
        b.Logging.AddFilter("RapidResponse", LogLevel.Warning); // the transcript is the output; the bot's info lines would interleave
        if (args.Contains("--here")) return b;
        var file = Path.Combine(Path.GetTempPath(), "rrb-demo", $"{Guid.NewGuid():N}.db");
        b.Configuration["ConnectionStrings:Bot"] = $"Data Source={file}";
        return b;
    }

    public static async Task<int> RunAsync(IServiceProvider sp, string[] args, TextWriter output, CancellationToken ct = default)
    {
        if (sp.GetService<SandboxClock>() is not { } clock)
        {
            await output.WriteLineAsync("演示只能在沙盒模式下运行：请用 dotnet run --project src/Bot -- demo（开发环境，不配置 WeCom:*），或设置 Sandbox:Enabled=true。");
            return 2;
        }
        // `demo --here` on a real county's database: refused before the inbox, delivery or scheduler start.
        if (await sp.GetRequiredService<SandboxSeeder>().RosterProblemAsync(ct) is { } problem)
        {
            await output.WriteLineAsync(problem);
            return 2;
        }
        var started = await StartBackgroundAsync(sp, ct);
        try
        {
            await sp.GetRequiredService<SandboxSeeder>().SeedAsync(ct);
            var play = await DemoScript.CreateAsync(sp, clock, output, ct);
            await play.RunAsync(ct);
            return 0;
        }
        finally
        {
            foreach (var s in Enumerable.Reverse(started)) await s.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The command runs before the web host starts: the bot's background services (inbox, delivery, scheduler) are started
    /// here, without the web server. When the host already runs (a test), nothing is started twice.
    /// </summary>
    private static async Task<List<IHostedService>> StartBackgroundAsync(IServiceProvider sp, CancellationToken ct)
    {
        var started = new List<IHostedService>();
        if (sp.GetService<IHostApplicationLifetime>()?.ApplicationStarted.IsCancellationRequested == true) return started;
        foreach (var s in sp.GetServices<IHostedService>())
        {
            if (s.GetType().FullName == "Microsoft.AspNetCore.Hosting.GenericWebHostService" || s is SandboxSeeder) continue;
            await s.StartAsync(ct);
            started.Add(s);
        }
        return started;
    }
}

/// <summary>The demo's script and its transcript printer.</summary>
internal sealed class DemoScript(IServiceProvider sp, SandboxClock clock, TextWriter output, Dictionary<string, string> names, string farmerId, string report)
{
    private long _seen;

    public static async Task<DemoScript> CreateAsync(IServiceProvider sp, SandboxClock clock, TextWriter output, CancellationToken ct)
    {
        await using var scope = sp.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var roster = new SandboxRoster(db);
        var names = (await db.Staff.AsNoTracking().ToListAsync(ct)).ToDictionary(s => s.UserId, s => $"{s.Name}（{Jurisdiction.RoleName(s.Role)}）");
        foreach (var g in await roster.GroupsAsync(ct)) names[g.To] = $"群「{g.Name}」";
        var household = (await roster.FarmerHouseholdsAsync(ct)).FirstOrDefault()
                        ?? throw new InvalidOperationException("演示需要花名册里至少有一户农户（samples/households.csv）。");
        var village = await db.Regions.Where(r => r.Code == household.VillageCode).Select(r => r.Name).FirstAsync(ct);
        var farmer = SandboxRoster.FarmerId(1);
        names[farmer] = $"{household.HeadName}（农户，微信客服）";
        var script = new DemoScript(sp, clock, output, names, farmer, SandboxRoster.OneShotReport(household, village));
        script._seen = await db.SandboxMailbox.MaxAsync(m => (long?)m.Id, ct) ?? 0;
        return script;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        await MorningAsync(ct);
        await Line($"== 示范县沙盒演示 · 北京时间 {SandboxEndpoints.Text(clock.GetUtcNow())} ==");
        await Line("（所有人名、身份证号、电话都是虚构的；身份证号和电话在记录里打码）");

        await SayAsync(farmerId, report, ct);
        await SayAsync(farmerId, "确认", ct);
        await ClickAllAsync("受理任务", "accept", ct, first: true);
        await ClickAllAsync("信息比对任务", "no_anomaly", ct);
        await ClickAllAsync("反馈到村任务", "forward", ct, first: true);
        await ClickAllAsync("入户核查任务", "qualifies", ct, first: true);
        await ClickAllAsync("研判认定任务", "qualifies", ct, first: true);
        await SayAsync(farmerId, "进度", ct);
        await OverdueAsync(ct);
        await Line("== 演示结束 ==");
    }

    /// <summary>The demo starts in office hours on a working day, so intake and deadlines read naturally.</summary>
    private async Task MorningAsync(CancellationToken ct)
    {
        var calendar = sp.GetRequiredService<WorkingCalendar>();
        var now = ChinaTime.ToLocal(clock.GetUtcNow());
        var today = DateOnly.FromDateTime(now.DateTime);
        if (calendar.IsWorkingDay(today) && now.TimeOfDay >= TimeSpan.FromHours(8.5) && now.TimeOfDay < TimeSpan.FromHours(11)) return;
        var day = calendar.OnOrNextWorkingDay(now.TimeOfDay < TimeSpan.FromHours(8.5) ? today : today.AddDays(1));
        clock.SetNow(ChinaTime.At(day, new TimeOnly(9, 0)));
        await Task.CompletedTask.WaitAsync(ct);
    }

    private async Task SayAsync(string from, string text, CancellationToken ct)
    {
        await Line($"[{Now()}] {Name(from)}：{Indent(Mask.Text(text))}");
        await sp.GetRequiredService<SandboxChat>().SendAsync(from, text, ct);
        await PrintNewAsync(ct);
    }

    /// <summary>Every holder of a card with this title (or the first only) clicks the button.</summary>
    private async Task ClickAllAsync(string titleStart, string key, CancellationToken ct, bool first = false)
    {
        List<(string To, string TaskId, string Button)> cards;
        await using (var scope = sp.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            var all = await db.SandboxMailbox.AsNoTracking().Where(m => m.Kind == Domain.Messaging.OutboundKind.Card).OrderBy(m => m.Id).ToListAsync(ct);
            cards = all.Select(m => (m, r: SandboxMailbox.Render(m.WeComJson, m.Kind, m.TaskId)))
                .Where(x => x.r.Title?.StartsWith(titleStart, StringComparison.Ordinal) == true && x.r.Buttons!.Any(b => b.Key == key))
                .Select(x => (x.m.To, x.r.TaskId!, x.r.Buttons!.First(b => b.Key == key).Text)).ToList();
        }
        if (cards.Count == 0) { await Line($"（没有找到“{titleStart}”卡片，跳过）"); return; }
        clock.Advance(TimeSpan.FromHours(1)); // an hour of office work between steps
        foreach (var (to, taskId, button) in first ? cards.Take(1) : cards)
        {
            var outcome = await sp.GetRequiredService<SandboxChat>().ClickAsync(to, taskId, key, ct);
            if (outcome is null) { await Line($"[{Now()}] {Name(to)} 的卡片已由同一任务的其他人办理，按钮已变灰"); continue; }
            await Line($"[{Now()}] {Name(to)} 点击卡片按钮「{button}」→ {(string.IsNullOrEmpty(outcome.Label) ? "（卡片随后更新）" : outcome.Label)}");
            await PrintNewAsync(ct);
        }
    }

    /// <summary>Moves the clock past the open stage's deadline; the scheduler (when present) escalates into the township group.</summary>
    private async Task OverdueAsync(CancellationToken ct)
    {
        DateTimeOffset? due;
        await using (var scope = sp.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            due = (await db.Stages.AsNoTracking().Where(s => s.CompletedAt == null && s.DueAt != null).Select(s => s.DueAt).ToListAsync(ct)).Min();
        }
        if (due is null) { await Line("（没有带期限的未办环节，跳过逾期演示）"); return; }
        var calendar = sp.GetRequiredService<WorkingCalendar>();
        var after = ChinaTime.At(calendar.OnOrNextWorkingDay(ChinaTime.DateOf(due.Value).AddDays(1)), new TimeOnly(10, 0));
        await Line($"[{Now()}] —— 时间快进：下一环节期限是 {ChinaTime.ToLocal(due.Value):M月d日 HH:mm}，拨到 {ChinaTime.ToLocal(after):M月d日 HH:mm}（已逾期）——");
        clock.SetNow(after);
        if (!SchedulerPresent())
        {
            await Line("（这个构建还没有调度器：逾期升级提醒要等调度器合并后才会发到乡镇工作群）");
            await PrintNewAsync(ct);
            return;
        }
        // The scheduler's sweep runs on the app's clock; give it a little real time to notice the jump.
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(20) && !await GroupMessageSinceAsync(ct)) await Task.Delay(200, ct);
        await PrintNewAsync(ct);
    }

    private static readonly string[] SchedulerServices = ["Quartz.ISchedulerFactory, Quartz"];

    /// <summary>True when the scheduler (Quartz) is registered in this build.</summary>
    private bool SchedulerPresent() =>
        SchedulerServices.Select(n => Type.GetType(n)).Any(t => t is not null && sp.GetService(t) is not null);

    private async Task<bool> GroupMessageSinceAsync(CancellationToken ct)
    {
        await using var scope = sp.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        return await db.SandboxMailbox.AnyAsync(m => m.Id > _seen && (m.Channel == Domain.Messaging.OutboundChannel.AppChat || m.Channel == Domain.Messaging.OutboundChannel.Webhook), ct);
    }

    /// <summary>Prints what the bot sent since the last print: replies, cards, card updates, group messages.</summary>
    private async Task PrintNewAsync(CancellationToken ct)
    {
        await using var scope = sp.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var rows = await db.SandboxMailbox.AsNoTracking().Where(m => m.Id > _seen).OrderBy(m => m.Id).ToListAsync(ct);
        foreach (var m in rows)
        {
            _seen = m.Id;
            if (m.Endpoint is null) continue; // the clicker's own greyed button (passive reply), printed with the click
            var r = SandboxMailbox.Render(m.WeComJson, m.Kind, m.TaskId);
            var to = string.Join("、", m.To.Split('|').Select(Name));
            var line = r.Type switch
            {
                "card" => $"[任务卡片] {r.Title}｜{string.Join("；", (r.Fields ?? []).Select(f => $"{f.Label}：{f.Value}"))}｜按钮：{string.Join(" ", (r.Buttons ?? []).Select(b => $"[{b.Text}]"))}",
                "card_update" => $"[卡片更新] {r.Text}",
                _ => Indent(r.Text ?? "") + (r.Mentions is { Count: > 0 } mentions ? " " + string.Join(" ", mentions.Select(x => "@" + Name(x))) : ""),
            };
            if (m.Error is not null) line = $"（企业微信未送达：{m.Error}）{line}";
            await Line($"[{Now(m.At)}] 机器人 → {to}：{Mask.Text(line)}");
        }
    }

    private string Name(string id) => names.TryGetValue(id, out var n) ? n : id;

    private string Now(DateTimeOffset? at = null) => ChinaTime.ToLocal(at ?? clock.GetUtcNow()).ToString("M月d日 HH:mm");

    private static string Indent(string s) => s.Replace("\n", "\n      ");

    private Task Line(string s) => output.WriteLineAsync(s);
}
