namespace RapidResponse.Bot.GoLive;

/// <summary><c>wecom kf-links --out DIR</c>.</summary>
public static class KfLinks
{
    public static async Task<int> RunAsync(IServiceProvider sp, string dir, TextWriter output, CancellationToken ct)
    {
        await output.WriteLineAsync("kf-links: not yet");
        return 2;
    }
}
