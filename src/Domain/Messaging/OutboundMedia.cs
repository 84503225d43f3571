using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Domain.Messaging;

/// <summary>What an outbound medium is: a picture (PNG/JPEG), a document or a voice clip.</summary>
public enum MediaKind { Image = 1, File = 2, Voice = 3 }

/// <summary>
/// The bytes of an image or file an outbox row sends (<see cref="OutboxMessage.Media"/>), kept in the database so a row sent
/// days later — a retry, a row held behind an open circuit — still has them. The platform's own media id lives only days
/// (WeCom: 3), so the dispatcher uploads when it sends and keeps the id it got with its upload time, to reuse it while it lives.
/// Identical bytes are stored once (<see cref="Sha256"/>): a bulletin chart posted to ten groups is one row and one upload.
/// </summary>
public class OutboundMedia
{
    public long Id { get; set; }
    public MediaKind Kind { get; set; }
    /// <summary>The name the recipient sees (a file) and the upload's filename, e.g. <c>bulletin-2026-10.png</c>.</summary>
    public required string FileName { get; set; }
    public required byte[] Content { get; set; }
    /// <summary>Lower-case hex SHA-256 of <see cref="Content"/> with the kind, unique.</summary>
    public required string Sha256 { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The platform's id from the last upload (WeCom media_id); null until uploaded or after it was refused.</summary>
    public string? PlatformMediaId { get; set; }
    public DateTimeOffset? UploadedAt { get; set; }

    /// <summary>
    /// The stored medium for these bytes, added to <paramref name="db"/> (not saved) when new, so the caller saves it in the
    /// same transaction as the outbox row that names it.
    /// </summary>
    public static async Task<OutboundMedia> StoreAsync(BotDb db, MediaKind kind, string fileName, byte[] content, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content)) + ":" + (int)kind;
        var known = db.OutboundMedia.Local.FirstOrDefault(m => m.Sha256 == sha) ?? await db.OutboundMedia.FirstOrDefaultAsync(m => m.Sha256 == sha, ct);
        if (known is not null) return known;
        var media = new OutboundMedia { Kind = kind, FileName = fileName, Content = content, Sha256 = sha, CreatedAt = now };
        db.OutboundMedia.Add(media);
        return media;
    }
}
