namespace RapidResponse.Bot.Tests.Infrastructure;

/// <summary>Folders of the repository the tests read (found by walking up from the test binaries).</summary>
public static class RepoPaths
{
    /// <summary>The repository's samples/ folder.</summary>
    public static string Samples => Path.Combine(Root, "samples");

    /// <summary>The repository's templates/ folder.</summary>
    public static string Templates => Path.Combine(Root, "templates");

    public static string Root
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Bot.sln"))) return d.FullName;
            throw new DirectoryNotFoundException("Bot.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
