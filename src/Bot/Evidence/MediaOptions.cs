using Microsoft.Extensions.Options;

namespace RapidResponse.Bot.Evidence;

/// <summary>Where evidence bytes are kept.</summary>
public enum MediaStoreKind
{
    /// <summary>Files under <see cref="MediaOptions.Directory"/>, named by SHA-256 (several instances: shared storage).</summary>
    Files,
    /// <summary>In the database (table MediaBlobs): for PostgreSQL deployments without shared storage.</summary>
    Database,
}

/// <summary>Section <c>Media</c>: how photos, voice messages and files sent as evidence are stored.</summary>
public sealed class MediaOptions
{
    public const string Section = "Media";

    /// <summary>Directory of the files, relative to the content root unless absolute.</summary>
    public string Directory { get; set; } = "data/media";

    public MediaStoreKind Store { get; set; } = MediaStoreKind.Files;
}

/// <summary>Reports every problem of <see cref="MediaOptions"/> at once.</summary>
public sealed class MediaOptionsValidator : IValidateOptions<MediaOptions>
{
    public ValidateOptionsResult Validate(string? name, MediaOptions o)
    {
        var problems = new List<string>();
        if (o.Store == MediaStoreKind.Files && string.IsNullOrWhiteSpace(o.Directory))
            problems.Add("Media:Directory must name a directory (e.g. data/media) when Media:Store is Files.");
        if (!Enum.IsDefined(o.Store)) problems.Add("Media:Store must be Files or Database.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
