using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Outbox;

/// <summary>
/// The bytes of an outbox image or file and the WeCom media_id they were last uploaded as. A row's media is uploaded when the
/// row is sent, never when it is written: a media_id dies after 3 days (§7), and a row may wait longer (retries, an open
/// circuit, a requeue from the dead list). An id is reused while it has more than <see cref="ReuseMargin"/> left, and
/// forgotten when WeCom refuses it (40007), so the next attempt uploads again.
/// </summary>
public sealed class MediaUploads(IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>An id this close to its 3 days is not used again: the message could reach WeCom after it died.</summary>
    public static readonly TimeSpan ReuseMargin = TimeSpan.FromHours(1);

    public async Task<OutboundMedia?> LoadAsync(long id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BotDb>().OutboundMedia.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
    }

    /// <summary>Whether the stored media_id can still be sent now.</summary>
    public bool IsAlive(OutboundMedia media) =>
        media.PlatformMediaId is not null && media.UploadedAt is { } at && time.GetUtcNow() < at + MediaLimits.MediaIdLifetime - ReuseMargin;

    /// <summary>The live media_id of <paramref name="media"/>: the stored one, or a fresh media/upload whose id is stored.</summary>
    public async Task<string> MediaIdAsync(WeComApiClient client, OutboundMedia media, CancellationToken ct)
    {
        if (IsAlive(media)) return media.PlatformMediaId!;
        var uploaded = await client.SendAsync(new MediaUploadRequest(TypeOf(media.Kind), media.FileName, media.Content), ct);
        if (string.IsNullOrEmpty(uploaded.MediaId)) throw new WeComApiException(-1, "media/upload answered no media_id", "/cgi-bin/media/upload");
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BotDb>().OutboundMedia.Where(m => m.Id == media.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.PlatformMediaId, uploaded.MediaId).SetProperty(m => m.UploadedAt, now), CancellationToken.None);
        media.PlatformMediaId = uploaded.MediaId;
        media.UploadedAt = now;
        return uploaded.MediaId;
    }

    /// <summary>WeCom refused the id (40007): forget it, unless another send stored a newer one meanwhile.</summary>
    public async Task ForgetAsync(OutboundMedia media, string mediaId)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BotDb>().OutboundMedia.Where(m => m.Id == media.Id && m.PlatformMediaId == mediaId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.PlatformMediaId, (string?)null).SetProperty(m => m.UploadedAt, (DateTimeOffset?)null), CancellationToken.None);
        media.PlatformMediaId = null;
        media.UploadedAt = null;
    }

    public static string TypeOf(MediaKind kind) => kind switch
    {
        MediaKind.Image => MediaLimits.Image,
        MediaKind.Voice => MediaLimits.Voice,
        _ => MediaLimits.File,
    };
}
