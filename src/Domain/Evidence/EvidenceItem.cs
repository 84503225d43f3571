using RapidResponse.Domain.Messaging;

namespace RapidResponse.Domain.Evidence;

/// <summary>What kind of material someone sent (材料).</summary>
public enum EvidenceKind { Image = 1, Voice = 2, File = 3 }

/// <summary>Where a piece of evidence stands: waiting for its download, kept, refused (too large, wrong type) or lost.</summary>
public enum EvidenceStatus
{
    /// <summary>Received; the download is due at <see cref="EvidenceItem.NextAttemptAt"/>.</summary>
    Pending = 0,
    /// <summary>Downloaded and stored: <see cref="EvidenceItem.Sha256"/> names the bytes.</summary>
    Stored = 1,
    /// <summary>Too large or of a type not taken: nothing stored, the sender was told.</summary>
    Refused = 2,
    /// <summary>The download failed for good (media id expired, tries used up): nothing stored, the sender was asked to send again.</summary>
    Failed = 3,
}

/// <summary>
/// A photo, voice message or file someone sent, attached to a case (or, until the form is submitted, to the sender's open
/// form). The row is also the durable download job: attempts, backoff and a claim, like an outbox row.
/// </summary>
public class EvidenceItem
{
    public long Id { get; set; }
    public long? CaseId { get; set; }
    public RapidResponse.Domain.Cases.Case? Case { get; set; }
    /// <summary>The open form's key ("channel:sender") while the evidence waits for the form to become a case.</summary>
    public string? FormKey { get; set; }
    public EvidenceKind Kind { get; set; }
    public InboundChannel Channel { get; set; }
    public required string SenderId { get; set; }
    public string? OpenKfId { get; set; }
    /// <summary>WeCom's temporary media id (3 days).</summary>
    public required string MediaId { get; set; }
    public string? SourceMessageId { get; set; }
    public string? FileName { get; set; }
    public string? ContentType { get; set; }
    public long Size { get; set; }
    /// <summary>SHA-256 of the bytes (lower-case hex): the name they are stored under, shared by identical files.</summary>
    public string? Sha256 { get; set; }
    public EvidenceStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset? StoredAt { get; set; }
    /// <summary>A line of text the sender added (a voice message's gist), or null.</summary>
    public string? Note { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }

    /// <summary>"照片", "语音", "文件".</summary>
    public static string Name(EvidenceKind kind) => kind switch { EvidenceKind.Image => "照片", EvidenceKind.Voice => "语音", _ => "文件" };
}

/// <summary>The bytes of stored evidence when they live in the database (<c>Media:Store=Database</c>), by SHA-256.</summary>
public class MediaBlob
{
    public required string Sha256 { get; set; }
    public required byte[] Bytes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
