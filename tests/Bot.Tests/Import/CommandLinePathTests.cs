using System.Diagnostics;
using RapidResponse.Bench;

namespace RapidResponse.Bot.Tests.Import;

/// <summary>Issue 14 item 7: a relative path typed at the repository root works although the program runs inside src/Bot.</summary>
public sealed class CommandLinePathTests
{
    [Fact]
    public async Task Import_ShouldReadRelativePathFromTheTypedDirectory_WhenTheProgramRunsInsideSrcBot()
    {
        var root = BotProcess.RepoRoot();
        var db = Path.Combine(Path.GetTempPath(), "rrb-cli", Guid.NewGuid().ToString("N") + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);
        // What `dotnet run --project src/Bot` does from the repository root: the process starts in src/Bot, the shell's
        // PWD (inherited unchanged) is the root.
        var psi = new ProcessStartInfo("dotnet", [BotProcess.BotDll(), "import", "regions", "samples/regions.csv"])
        {
            WorkingDirectory = Path.Combine(root, "src", "Bot"), RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment["PWD"] = root;
        psi.Environment["ConnectionStrings__Bot"] = $"Data Source={db}";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));

        Assert.True(p.ExitCode == 0, await error);
        Assert.Contains("区域（regions）：新增 14", await output);
    }
}
