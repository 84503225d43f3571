using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RapidResponse.Domain.Evidence;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Evidence;

/// <summary>
/// Content-addressed storage of evidence bytes (SHA-256, lower-case hex): identical files are kept once. Files
/// (<c>Media:Directory</c>) or the database (<c>Media:Store=Database</c>, saved with the caller's changes).
/// </summary>
public sealed class MediaStore(IOptions<MediaOptions> options, IHostEnvironment env)
{
    public static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public string Root => Path.GetFullPath(Path.Combine(env.ContentRootPath, options.Value.Directory));

    private string PathOf(string sha) => Path.Combine(Root, sha[..2], sha);

    /// <summary>
    /// Keeps the bytes; returns their SHA-256. Files are written completely (a temporary name, then moved) before the caller
    /// commits, so a saved row never names a half-written file; a file left by a save that then failed is harmless.
    /// </summary>
    public async Task<string> PutAsync(BotDb db, byte[] bytes, DateTimeOffset now, CancellationToken ct)
    {
        var sha = Sha256Of(bytes);
        if (options.Value.Store == MediaStoreKind.Database)
        {
            if (db.MediaBlobs.Local.All(b => b.Sha256 != sha) && !await db.MediaBlobs.AnyAsync(b => b.Sha256 == sha, ct))
                db.MediaBlobs.Add(new MediaBlob { Sha256 = sha, Bytes = bytes, CreatedAt = now });
            return sha;
        }

        var path = PathOf(sha);
        if (File.Exists(path)) return sha;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temp, bytes, ct);
        File.Move(temp, path, overwrite: true);
        return sha;
    }

    /// <summary>The stored bytes, or null when they are missing (a file removed by hand).</summary>
    public async Task<byte[]?> ReadAsync(BotDb db, string sha, CancellationToken ct)
    {
        if (options.Value.Store == MediaStoreKind.Database)
            return await db.MediaBlobs.AsNoTracking().Where(b => b.Sha256 == sha).Select(b => b.Bytes).FirstOrDefaultAsync(ct);
        var path = PathOf(sha);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, ct) : null;
    }
}
