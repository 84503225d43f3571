using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Outbox;

/// <summary>
/// Outbox images and files as WeCom calls (§4.2, §4.6, §4.7): 1:1 and app chats send the media_id of a media/upload done at
/// send time (<see cref="MediaUploads"/>); a robot gets an image as base64 + md5 in the message (≤ 2 MB), a file by the
/// media_id of its own upload_media, done at every send (a robot's id is good for that key only).
/// </summary>
public static class WeComMediaOutbound
{
    public static OutboundCall Build(OutboxMessage row, OutboundMedia media, MediaUploads uploads)
    {
        var type = row.Kind == OutboundKind.Image ? MediaLimits.Image : MediaLimits.File;
        if (row.Kind == OutboundKind.Image && media.Kind != MediaKind.Image)
            throw new UndeliverableException($"图片消息引用的素材 {media.FileName} 不是图片");
        return row.Channel switch
        {
            OutboundChannel.AppUser => AppUser(row, type, media, uploads),
            OutboundChannel.AppChat => AppChat(row, type, media, uploads),
            OutboundChannel.Webhook => Webhook(row, type, media),
            _ => throw new UndeliverableException($"{OutboxAlerts.ChannelName(row.Channel)}暂不发送图片和文件"),
        };
    }

    private static OutboundCall AppUser(OutboxMessage row, string type, OutboundMedia media, MediaUploads uploads)
    {
        var users = row.Recipient.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        SendMediaRequest Request(string mediaId) =>
            (type == MediaLimits.Image ? SendMediaRequest.ForImage(mediaId) : SendMediaRequest.ForFile(mediaId)) with
            {
                ToUsers = users, DuplicateCheckInterval = WeComOutbound.DuplicateCheckSeconds,
            };
        return new OutboundCall(
            (client, ct) => WithMediaId(client, media, uploads, ct, async id => SendReceipt.Of(await client.SendAsync(Request(id), ct))),
            "api:/cgi-bin/message/send",
            [(RateScope.Api, "/cgi-bin/message/send"), .. Upload(media, uploads), .. users.Select(u => (RateScope.AppRecipient, u))])
        {
            // The media_id is known only once uploaded; the shape (recipients, type) is this.
            Request = Request("(media/upload when sent)"),
        };
    }

    private static OutboundCall AppChat(OutboxMessage row, string type, OutboundMedia media, MediaUploads uploads) => new(
        (client, ct) => WithMediaId(client, media, uploads, ct, async id =>
        {
            await client.SendAsync(AppChatSendRequest.ForMedia(row.Recipient, type, id), ct);
            return SendReceipt.None;
        }),
        "api:/cgi-bin/appchat/send",
        [(RateScope.Api, "/cgi-bin/appchat/send"), .. Upload(media, uploads), (RateScope.AppChatMember, row.Recipient)])
    {
        Request = AppChatSendRequest.ForMedia(row.Recipient, type, "(media/upload when sent)"),
    };

    private static OutboundCall Webhook(OutboxMessage row, string type, OutboundMedia media)
    {
        if (type == MediaLimits.Image && media.Content.Length > MediaLimits.WebhookImageMaxBytes)
            throw new UndeliverableException($"群机器人图片不能超过 2 MB（{media.FileName} 有 {media.Content.Length / 1024} KB）");
        var key = row.Recipient;
        return new OutboundCall(
            async (client, ct) =>
            {
                if (type == MediaLimits.Image)
                {
                    await client.SendAsync(WebhookSendRequest.ForImage(key, media.Content), ct);
                    return SendReceipt.None;
                }

                var uploaded = await client.SendAsync(new WebhookUploadMediaRequest(key, MediaLimits.File, media.FileName, media.Content), ct);
                await client.SendAsync(WebhookSendRequest.ForMedia(key, MediaLimits.File, uploaded.MediaId ?? ""), ct);
                return SendReceipt.None;
            },
            "webhook:" + key,
            [(RateScope.Webhook, key)]);
    }

    /// <summary>The media/upload counts against that API's corp-wide frequency only when this send has to upload.</summary>
    private static IEnumerable<(RateScope, string)> Upload(OutboundMedia media, MediaUploads uploads) =>
        uploads.IsAlive(media) ? [] : [(RateScope.Api, "/cgi-bin/media/upload")];

    /// <summary>Sends with a live media_id; a 40007 on it forgets the id, so the retry uploads again.</summary>
    private static async Task<SendReceipt> WithMediaId(
        WeComApiClient client, OutboundMedia media, MediaUploads uploads, CancellationToken ct, Func<string, Task<SendReceipt>> send)
    {
        var id = await uploads.MediaIdAsync(client, media, ct);
        try
        {
            return await send(id);
        }
        catch (WeComApiException e) when (e.ErrCode == 40007)
        {
            await uploads.ForgetAsync(media, id);
            throw;
        }
    }
}
