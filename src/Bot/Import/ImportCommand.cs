using RapidResponse.Bot.Hosting;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Import;

/// <summary>
/// Command line: <c>import &lt;kind&gt; &lt;file&gt;</c> imports one roster file, <c>import samples &lt;dir&gt;</c> the demo county.
/// Exit code 0 when every row was taken, 1 when some rows (or the file) were rejected, 2 on a usage error.
/// </summary>
public static class ImportCommand
{
    public static readonly string Usage =
        $"""
        用法 / usage:
          dotnet run --project src/Bot -- import <kind> <file>
          dotnet run --project src/Bot -- import samples <目录 directory>
          dotnet run --project src/Bot -- import department-list <file>   （部门月度预警名单）
        kind: {ImportKinds.Described}
        file: .csv（UTF-8，首行为列名）或 .xlsx（第一个工作表）
        """;

    public static Task<int> RunAsync(IServiceProvider services, string[] args) => RunAsync(services, args, Console.Out, Console.Error);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        if (args is not ["import", var kindText, var typed])
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        var path = CommandLinePaths.Resolve(typed);
        if (kindText.Equals("department-list", StringComparison.OrdinalIgnoreCase))
            return await DepartmentListAsync(services, path, output, error, ct);
        var samples = kindText.Equals("samples", StringComparison.OrdinalIgnoreCase);
        if (!ImportKinds.TryParse(kindText, out var kind) && !samples)
        {
            await error.WriteLineAsync($"不认识的导入类别“{kindText}” (unknown kind)。");
            await error.WriteLineAsync(Usage);
            return 2;
        }
        if (samples ? !Directory.Exists(path) : !File.Exists(path))
        {
            await error.WriteLineAsync($"找不到{(samples ? "目录" : "文件")}：{typed}（在 {path} 找过；相对路径从输入命令的目录算起）");
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var time = scope.ServiceProvider.GetService<TimeProvider>();
        try
        {
            IReadOnlyList<ImportResult> results = samples
                ? await SampleCounty.LoadAsync(db, path, ct)
                : [await new RosterImporter(db, time, scope.ServiceProvider.GetService<RapidResponse.Domain.Timelines.TimelineProfile>()?.MaxHouseholdsPerContact, scope.ServiceProvider.GetService<IStaffAccountLookup>()).ImportFileAsync(kind, path, ct)];
            foreach (var r in results) await PrintAsync(r, output);
            if (!samples && kind == ImportKind.Staff && await ImportEndpoints.CardNewHoldersAsync(scope.ServiceProvider, db, ct) is > 0 and var cards)
                await output.WriteLineAsync($"新加入部门的人员收到了{cards}张未办结任务卡片。");
            return results.All(r => r.Rejected == 0) ? 0 : 1;
        }
        catch (FileNotFoundException e)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }
        catch (ImportFileException e)
        {
            await error.WriteLineAsync($"{path}：{e.Message}");
            await error.WriteLineAsync("没有导入任何行。");
            return 1;
        }
    }

    private static async Task<int> DepartmentListAsync(IServiceProvider services, string path, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (!File.Exists(path)) { await error.WriteLineAsync($"找不到文件：{path}（相对路径从输入命令的目录算起）"); return 2; }
        await using var scope = services.CreateAsyncScope();
        await using var file = File.OpenRead(path);
        var head = new byte[4];
        var n = await file.ReadAtLeastAsync(head, 4, throwOnEndOfStream: false, ct);
        file.Position = 0;
        try
        {
            var r = await DepartmentListEndpoints.RunAsync(scope.ServiceProvider, file, TableReader.DetectFormat(path, null, head.AsSpan(0, n)),
                new Domain.Cases.Actor("cli", "CountyOffice"), ct);
            await output.WriteLineAsync(r.Summary);
            foreach (var e in r.Errors) await output.WriteLineAsync($"  第{e.Line}行：{e.Reason}");
            return r.Rejected == 0 ? 0 : 1;
        }
        catch (ImportFileException e)
        {
            await error.WriteLineAsync($"{path}：{e.Message}");
            return 1;
        }
        catch (DepartmentListInterruptedException e)
        {
            await error.WriteLineAsync($"{path}：{e.Message}");
            return 1;
        }
    }

    private static async Task PrintAsync(ImportResult r, TextWriter output)
    {
        await output.WriteLineAsync(r.Summary);
        foreach (var w in r.Warnings) await output.WriteLineAsync($"  提示：{w}");
        foreach (var e in r.Errors) await output.WriteLineAsync($"  第{e.Line}行：{e.Reason}");
    }
}
