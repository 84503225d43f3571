namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// WeCom's temporary-media rules (protocol notes §7 "temp media"): image ≤ 10 MB JPG/PNG, voice ≤ 2 MB AMR, video ≤ 10 MB MP4,
/// file ≤ 20 MB, every upload more than 5 bytes; a media_id lives 3 days. The webhook image message (base64, no upload) takes
/// ≤ 2 MB JPG/PNG (§4.7). Shared by the requests (local checks) and the rule-keeper (what WeCom refuses).
/// </summary>
public static class MediaLimits
{
    public const string Image = "image";
    public const string Voice = "voice";
    public const string Video = "video";
    public const string File = "file";

    public const int MinBytes = 6;
    public const int WebhookImageMaxBytes = 2 * 1024 * 1024;

    /// <summary>How long WeCom keeps an uploaded media_id usable.</summary>
    public static readonly TimeSpan MediaIdLifetime = TimeSpan.FromDays(3);

    /// <summary>The upper size of an upload of <paramref name="type"/>; null when WeCom has no such media type (40005).</summary>
    public static int? MaxBytes(string type) => type switch
    {
        Image => 10 * 1024 * 1024,
        Voice => 2 * 1024 * 1024,
        Video => 10 * 1024 * 1024,
        File => 20 * 1024 * 1024,
        _ => null,
    };

    /// <summary>Whether the bytes are of the format the type requires (image: PNG or JPEG; voice: AMR; video: MP4; file: anything).</summary>
    public static bool FormatFits(string type, ReadOnlySpan<byte> bytes) => type switch
    {
        Image => IsPng(bytes) || IsJpeg(bytes),
        Voice => bytes.StartsWith("#!AMR"u8),
        Video => bytes.Length > 8 && bytes[4..8].SequenceEqual("ftyp"u8),
        File => true,
        _ => false,
    };

    public static bool IsPng(ReadOnlySpan<byte> b) => b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);

    public static bool IsJpeg(ReadOnlySpan<byte> b) => b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]);

    /// <summary>Local checks of an upload, worded with the errcode WeCom would answer.</summary>
    public static IEnumerable<string> Check(string type, ReadOnlySpan<byte> bytes, string what)
    {
        var problems = new List<string>();
        if (MaxBytes(type) is not { } max)
        {
            problems.Add($"{what}: type '{type}' is not image, voice, video or file (WeCom 40005).");
            return problems;
        }

        if (bytes.Length == 0) problems.Add($"{what} is empty (WeCom 44001).");
        else if (bytes.Length < MinBytes) problems.Add($"{what} is {bytes.Length} bytes; WeCom needs more than 5 (40006).");
        else if (bytes.Length > max) problems.Add($"{what} is {bytes.Length} bytes; the {type} limit is {max} (WeCom 45001).");
        if (bytes.Length > 0 && !FormatFits(type, bytes))
            problems.Add($"{what} is not {(type == Image ? "PNG or JPEG" : type == Voice ? "AMR" : "MP4")} (WeCom 40004).");
        return problems;
    }
}
