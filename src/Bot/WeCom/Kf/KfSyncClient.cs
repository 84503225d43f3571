using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;

namespace RapidResponse.Bot.WeCom.Kf;

/// <summary>One page of <c>kf/sync_msg</c>: its messages, and the cursor to save when it moved (null when it did not).</summary>
public sealed record KfSyncPage(IReadOnlyList<KfMessage> Messages, string? NewCursor);

/// <summary>
/// Reads 微信客服 messages the way §5.3 requires: <c>kf/sync_msg</c> page after page while has_more = 1 (also on an empty
/// page), from the caller's cursor, with the callback Token while it is valid (95007: it expired, so the next page goes
/// without it). What to do with the messages and where to keep the cursor is the caller's business (<c>onPage</c>).
/// </summary>
public sealed class KfSyncClient(WeComApiClient client, ILogger<KfSyncClient> log)
{
    /// <summary>Guard against a platform that keeps saying has_more without moving the cursor.</summary>
    public const int MaxPagesPerPull = 200;

    /// <summary>sync_msg's default and maximum page size.</summary>
    public const int PageLimit = 1000;

    /// <summary>The callback Token expired (valid 10 minutes); WeCom still answers without one, only more slowly.</summary>
    public const int TokenExpired = 95007;

    /// <summary>
    /// Reads until has_more = 0. <paramref name="onPage"/> runs once per page, in order, before the next page is asked for:
    /// handle the messages there, then save <see cref="KfSyncPage.NewCursor"/> when set, so a stop resumes from the last page.
    /// </summary>
    public async Task ReadAsync(string openKfId, string? cursor, string? token, Func<KfSyncPage, CancellationToken, Task> onPage, CancellationToken ct)
    {
        for (var page = 0; page < MaxPagesPerPull; page++)
        {
            KfSyncMsgResponse response;
            try
            {
                response = await client.SendAsync(new KfSyncMsgRequest { Cursor = cursor, Token = token, Limit = PageLimit, OpenKfId = openKfId }, ct);
            }
            catch (WeComApiException e) when (e.ErrCode == TokenExpired && token is not null)
            {
                token = null;
                continue;
            }

            var moved = !string.IsNullOrEmpty(response.NextCursor) && response.NextCursor != cursor;
            await onPage(new KfSyncPage(response.MsgList, moved ? response.NextCursor : null), ct);
            if (moved) cursor = response.NextCursor;

            // Doc 94670: has_more may be 1 on an empty page, so keep going — unless nothing moved at all.
            if (response.HasMore != 1) break;
            if (!moved && response.MsgList.Count == 0)
            {
                log.LogWarning("微信客服 sync_msg for {OpenKfId} said has_more on an empty page without a new cursor; stopping", LogMask.Id(openKfId));
                break;
            }
        }
    }

    /// <summary>What a <c>msg_send_fail</c> event's fail_type means (§5.4).</summary>
    public static string FailType(string? t) => t switch
    {
        "1" => "帐号已删除", "2" => "应用已关闭", "4" => "会话已过期，超过48小时", "5" => "会话已关闭", "6" => "超过5条限制",
        "8" => "主体未验证", "10" => "用户拒收", "11" => "企业未有成员登录企业微信App", "12" => "发送的消息为客服组件禁发的消息类型",
        _ => "未知原因",
    };
}
