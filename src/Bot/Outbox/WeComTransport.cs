using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Bot.Kf;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Outbox;

/// <summary>
/// The production <see cref="IOutboundTransport"/>: keeps WeCom's limits by deferring (never by dropping), sends through
/// <see cref="WeComApiClient"/>, and turns errors into outcomes with <see cref="WeComRetryPolicy"/>.
/// </summary>
public sealed partial class WeComTransport(
    WeComApiClient client, ISendRateGate limits, KfReplyWindow kf, MediaUploads media, TimeProvider time, ILogger<WeComTransport> log)
    : IOutboundTransport
{
    /// <summary>45009 blocks by <see cref="OutboundCall.BlockKey"/> and their level (60 s, then 60 min, then the day); removed on a success.</summary>
    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, int Hits)> _blocks = new(StringComparer.Ordinal);

    public async Task<TransportResult> SendAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        OutboundCall call;
        try
        {
            call = row.Kind is OutboundKind.Image or OutboundKind.File ? await MediaCallAsync(row, cancellationToken) : WeComOutbound.Build(row);
        }
        catch (UndeliverableException e)
        {
            return TransportResult.Dead(e.Message);
        }

        var now = time.GetUtcNow();
        if (_blocks.TryGetValue(call.BlockKey, out var block) && block.Until > now)
            return TransportResult.Deferred(block.Until, "等待频率限制解除（45009）");

        // A welcome goes with its own one-time code, not inside the customer's reply window.
        if (row.Channel == OutboundChannel.Kf && row.Kind != OutboundKind.Welcome && await kf.CheckAsync(row.Recipient, cancellationToken) is { } closed)
            return closed;

        // Over 30/min per member WeCom answers 0 and drops the message (§9.11): wait instead of sending early.
        // Last before the send: the shared (database) gate counts the send as soon as it allows it.
        if (await limits.TryAcquireAsync(call.Limits, cancellationToken) is { } allowed)
            return TransportResult.Deferred(allowed, "按企业微信频率限制排队");

        try
        {
            var receipt = await call.Send(client, cancellationToken);
            _blocks.TryRemove(call.BlockKey, out _);
            var sent = TransportResult.Sent(receipt.MsgId) with { ResponseCode = receipt.ResponseCode, InvalidUsers = receipt.InvalidUsers, UnlicensedUsers = receipt.UnlicensedUsers };
            return sent.Undelivered.Count == 0 ? sent : sent with { Detail = Undelivered(sent.Undelivered) };
        }
        catch (Exception e)
        {
            return Classify(row, call, e);
        }
        finally
        {
            // Over, whatever the outcome: the gate counts it from now (it reached WeCom before now, if at all).
            await limits.SentAsync(call.Limits, CancellationToken.None);
        }
    }

    /// <summary>An image or file row with its stored bytes; a row whose bytes are gone can never be sent.</summary>
    private async Task<OutboundCall> MediaCallAsync(OutboxMessage row, CancellationToken ct)
    {
        var stored = row.MediaId is { } id ? await media.LoadAsync(id, ct) : null;
        if (stored is null) throw new UndeliverableException($"图片或文件（{OutboundPayload.Deserialize<MediaBody>(row.Payload).FileName}）的内容已不在数据库中");
        return WeComMediaOutbound.Build(row, stored, media);
    }

    private TransportResult Classify(OutboxMessage row, OutboundCall call, Exception e)
    {
        var decision = WeComRetryPolicy.Classify(e);
        var detail = e switch
        {
            WeComApiException api => $"errcode {api.ErrCode}：{decision.Reason}；{Sanitize(api.ErrMsg)}",
            ArgumentException arg => $"请求未通过本地校验：{arg.Message}",
            _ => $"{decision.Reason}（{e.GetType().Name}）",
        };
        var code = e is WeComApiException a ? a.ErrCode : 0;
        log.LogInformation("Outbox row {Id} to {Recipient}: {Action} after {Detail}", row.Id, LogMask.Id(row.Recipient), decision.Action, detail);
        switch (decision.Action)
        {
            case RetryAction.RetryWithBackoff:
                // The policy's MaxAttempts counts retries ("at most 3 retries"); the row counts attempts.
                return TransportResult.Retry(detail, maxAttempts: decision.MaxAttempts > 0 ? decision.MaxAttempts + 1 : 0);
            case RetryAction.WaitBlockPeriod:
                var now = time.GetUtcNow();
                var (until, hits) = _blocks.AddOrUpdate(call.BlockKey, _ => (now + WeComRetryPolicy.BlockPeriod(1, now), 1), (_, b) => NextBlock(b, now));
                log.LogInformation("WeCom frequency block on {Key} until {Until} (level {Hits})", call.BlockKey, until, hits);
                return TransportResult.Retry(detail, until);
            case RetryAction.InvalidateTokenAndRetryOnce:
                // The client already refreshed the token and retried once; a few spaced retries more, then give up.
                return TransportResult.Retry(detail, maxAttempts: 3);
            case RetryAction.StopAndAlert:
                return TransportResult.StopChannel(detail, code.ToString(System.Globalization.CultureInfo.InvariantCulture));
            default:
                // 81013: not one recipient can receive app messages (§4.2) — what a partial answer lists in invaliduser, for
                // all of them. Nothing was delivered; the recipients are reported as in a partial failure.
                if (code == 81013 && call.Request is AppMessageRequest app && app.ToUsers.Count > 0)
                    return TransportResult.Dead(detail) with { InvalidUsers = app.ToUsers };

                // A used or expired response_code means the card cannot change any more: nothing left to do (§4.4).
                if (code == 60140 && row.Kind == OutboundKind.CardUpdate)
                {
                    log.LogWarning("Outbox row {Id}: card update skipped, response_code expired or used (60140)", row.Id);
                    return TransportResult.Sent(null, "response_code 已过期或已使用（60140），卡片未更新");
                }

                return TransportResult.Dead(detail);
        }
    }

    /// <summary>The row's note on a partial delivery: who did not get it, ids masked.</summary>
    private static string Undelivered(IReadOnlyList<UndeliveredRecipient> list) =>
        "部分接收人未送达：" + string.Join("、", list.Select(u => $"{LogMask.Id(u.UserId)}（{(u.Problem == RecipientProblem.Unlicensed ? "未分配许可" : "账号未激活或不在应用可见范围")}）"));

    /// <summary>
    /// The block after another 45009 on a key that has a block entry. While the block is still on, the answer belongs to the
    /// same incident: a request that was already in flight when the first 45009 came back (with several recipients in
    /// parallel, WeCom refuses all of them at once). Only a 45009 soon after the block ended means the block was longer than
    /// assumed and escalates (60 s → 60 min → day); one long after it is a new minute-level block.
    /// </summary>
    private static (DateTimeOffset Until, int Hits) NextBlock((DateTimeOffset Until, int Hits) block, DateTimeOffset now)
    {
        if (block.Until > now) return block;
        var hits = now - block.Until < WeComRetryPolicy.MinuteBlockPeriod ? block.Hits + 1 : 1;
        return (now + WeComRetryPolicy.BlockPeriod(hits, now), hits);
    }

    /// <summary>errmsg without the hint id and help link; keeps hints such as the caller IP of 60020.</summary>
    private static string Sanitize(string errMsg)
    {
        var s = HintPattern().Replace(errMsg, "");
        var cut = s.IndexOf("more info", StringComparison.OrdinalIgnoreCase);
        s = (cut >= 0 ? s[..cut] : s).Trim().TrimEnd(',', ';').Trim();
        return s.Length > 160 ? s[..160] : s;
    }

    [GeneratedRegex(@"hint:\s*\[[^\]]*\],?\s*", RegexOptions.IgnoreCase)]
    private static partial Regex HintPattern();
}
