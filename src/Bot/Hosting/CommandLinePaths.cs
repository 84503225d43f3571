namespace RapidResponse.Bot.Hosting;

/// <summary>
/// Paths typed on the command line resolve against the directory the user typed the command in. <c>dotnet run --project
/// src/Bot</c> starts the program inside <c>src/Bot</c> (its launch profile), so the process's current directory is not
/// that directory; the shell's <c>PWD</c>, which the child inherits unchanged, is. <c>RRB_CALLER_DIRECTORY</c> overrides
/// both (for launchers without a shell).
/// </summary>
public static class CommandLinePaths
{
    public const string OverrideVariable = "RRB_CALLER_DIRECTORY";

    /// <summary>Where the user typed the command: the override, else the shell's PWD when it is a directory, else the current directory.</summary>
    public static string CallerDirectory
    {
        get
        {
            foreach (var name in (string[])[OverrideVariable, "PWD"])
                if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } d && Path.IsPathRooted(d) && Directory.Exists(d)) return d;
            return Environment.CurrentDirectory;
        }
    }

    /// <summary>
    /// The full path of <paramref name="path"/>: rooted paths as they are; relative ones against <see cref="CallerDirectory"/>,
    /// or against the process's current directory when only that one holds it (a launcher whose PWD is stale).
    /// </summary>
    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path)) return path;
        var typed = Path.GetFullPath(path, CallerDirectory);
        if (File.Exists(typed) || Directory.Exists(typed)) return typed;
        var here = Path.GetFullPath(path);
        return File.Exists(here) || Directory.Exists(here) ? here : typed;
    }
}
