using RapidResponse.Domain.Evidence;

namespace RapidResponse.Bot.Evidence;

/// <summary>
/// What is taken as evidence, and how large: WeCom's own limits for temporary media (wecom-protocol notes §7: image ≤ 10 MB,
/// voice ≤ 2 MB, file ≤ 20 MB). Photos as JPG/PNG (what WeCom sends), voice as WeCom's AMR/Speex, files of the kinds a
/// village office keeps (PDF, Office, WPS, pictures, text); anything else (programs, archives) is refused.
/// </summary>
public static class EvidenceRules
{
    public const long MB = 1024 * 1024;

    public static long MaxBytes(EvidenceKind kind) => kind switch { EvidenceKind.Image => 10 * MB, EvidenceKind.Voice => 2 * MB, _ => 20 * MB };

    private static readonly HashSet<string> FileExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".ppt", ".pptx", ".txt", ".jpg", ".jpeg", ".png", ".amr", ".mp3", ".m4a",
    };

    /// <summary>Null when the file is taken; otherwise what it is, for the answer ("exe 文件").</summary>
    public static string? Refusal(EvidenceKind kind, string contentType, string? fileName)
    {
        var type = contentType.ToLowerInvariant();
        var ext = Path.GetExtension(fileName ?? "");
        return kind switch
        {
            EvidenceKind.Image => type is "image/jpeg" or "image/jpg" or "image/png" || (type == "application/octet-stream" && ext.ToLowerInvariant() is ".jpg" or ".jpeg" or ".png")
                ? null : Describe(type, ext),
            EvidenceKind.Voice => type.StartsWith("audio/", StringComparison.Ordinal) || type.StartsWith("voice/", StringComparison.Ordinal)
                                  || (type == "application/octet-stream" && ext.ToLowerInvariant() is ".amr" or ".speex" or ".silk" or "")
                ? null : Describe(type, ext),
            _ => FileExtensions.Contains(ext) ? null : Describe(type, ext),
        };
    }

    private static string Describe(string type, string ext) => ext.Length > 1 ? ext[1..].ToLowerInvariant() + " 文件" : type;

    /// <summary>"10MB", "2MB", "1.5MB", "800KB".</summary>
    public static string Size(long bytes) =>
        bytes >= MB ? $"{Math.Round(bytes / (double)MB, 1):0.#}MB" : $"{Math.Max(1, bytes / 1024)}KB";
}
