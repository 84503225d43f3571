using System.Text;
using System.Text.Json.Nodes;

namespace RapidResponse.Bot.WeCom.Simulator;

/// <summary>
/// 获取临时素材 (<c>GET /cgi-bin/media/get?media_id=…</c>): the media a member or a 微信客服 customer sent. On success WeCom
/// answers the raw bytes with the file's Content-Type and a Content-disposition naming the file; an unknown
/// or expired media_id (temporary media live 3 days) is answered as JSON, errcode 40007. Inbound media and media/upload's
/// share one store (<see cref="MediaOf"/>), as they share one id space at WeCom.
/// </summary>
public sealed partial class WeComSimulator
{
    public static readonly TimeSpan MediaLifetime = RapidResponse.Bot.WeCom.Api.Requests.MediaLimits.MediaIdLifetime;

    private readonly Dictionary<string, string> _mediaContentTypes = new(StringComparer.Ordinal);

    /// <summary>Holds a file someone "sent" (a test or the sandbox); returns the media_id that callbacks and sync_msg carry.</summary>
    public string AddInboundMedia(byte[] bytes, string contentType, string fileName)
    {
        lock (_gate)
        {
            var id = NewId("media_") + Guid.NewGuid().ToString("N")[..12];
            var type = contentType.StartsWith("image/", StringComparison.Ordinal) ? "image" : contentType.StartsWith("audio/", StringComparison.Ordinal) ? "voice" : "file";
            _media[id] = new SimMedia(id, type, fileName, bytes, Now);
            _mediaContentTypes[id] = contentType;
            return id;
        }
    }

    /// <summary>
    /// A 微信客服 customer sends a photo (<c>image</c>), voice (<c>voice</c>) or file (<c>file</c>): the media is held and the
    /// message queued for sync_msg with its media_id. Returns the msgid, the notification Token and the media_id.
    /// </summary>
    public (string MsgId, string Token, string MediaId) CustomerSendsMedia(string openKfId, string externalUserId, string msgType, byte[] bytes, string contentType, string fileName)
    {
        if (msgType is not ("image" or "voice" or "file")) throw new ArgumentException("msgType is image, voice or file", nameof(msgType));
        var mediaId = AddInboundMedia(bytes, contentType, fileName);
        var (msgId, token) = CustomerWrites(openKfId, externalUserId, "", msgType, new JsonObject { ["media_id"] = mediaId });
        return (msgId, token, mediaId);
    }

    /// <summary>Whether WeCom still holds the media (known and younger than 3 days).</summary>
    public bool HoldsMedia(string mediaId)
    {
        lock (_gate) return _media.TryGetValue(mediaId, out var m) && Now - m.UploadedAt < MediaLifetime;
    }

    /// <summary>Answers media/get, or null when the request is not one (then the JSON routes answer it).</summary>
    private SimResponse? TryMediaGet(string method, string path, IReadOnlyDictionary<string, string> query)
    {
        if (path != "/cgi-bin/media/get" || !string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase)) return null;
        SimExchange exchange;
        SimResponse response;
        lock (_gate)
        {
            SimMedia? found = null;
            JsonObject? error = null;
            try
            {
                // Both tokens fetch media: the app's for app messages, the 微信客服 secret's for what customers sent.
                var token = query.GetValueOrDefault("access_token") ?? "";
                RequireToken(new SimCall(path, query, [], []), kf: _tokens.TryGetValue(token, out var t) && t.Kf);
                var id = query.GetValueOrDefault("media_id");
                if (string.IsNullOrEmpty(id)) throw Refuse(40007, "invalid media_id: media_id missing");
                if (!_media.TryGetValue(id, out found) || Now - found.UploadedAt >= MediaLifetime || found.RobotKey is not null) throw Refuse(40007, "invalid media_id");
            }
            catch (SimRefusal r)
            {
                error = Error(r.Code, r.Message);
                found = null;
            }

            var code = error?["errcode"]?.GetValue<int>() ?? 0;
            var contentType = found is null ? "" : _mediaContentTypes.GetValueOrDefault(found.MediaId) ?? ContentTypeOf(found.FileName);
            var text = error?.ToJsonString(Json) ?? $"<{found!.Content.Length} bytes {contentType}>";
            exchange = new SimExchange(++_nextExchange, Now, "GET", path, "", code, error?["errmsg"]?.GetValue<string>() ?? "ok", text, [])
            {
                Query = query.Where(kv => kv.Key != "access_token").ToDictionary(kv => kv.Key, kv => kv.Value),
            };
            _exchanges.Add(exchange);
            response = found is null
                ? new SimResponse(200, text) { Exchange = exchange }
                : new SimResponse(200, "", contentType)
                {
                    Exchange = exchange,
                    Bytes = found.Content,
                    Headers = new Dictionary<string, string>
                    {
                        ["Content-disposition"] = $"attachment; filename=\"{Ascii(found.FileName)}\"; filename*=UTF-8''{Uri.EscapeDataString(found.FileName)}",
                    },
                };
        }

        RaiseExchanged(exchange);
        return response;
    }

    private static string ContentTypeOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg", ".png" => "image/png", ".amr" => "audio/amr", ".pdf" => "application/pdf", _ => "application/octet-stream",
    };

    private static string Ascii(string name)
    {
        var b = new StringBuilder();
        foreach (var ch in name) b.Append(ch is >= ' ' and < (char)127 and not '"' and not '\\' ? ch : '_');
        return b.ToString();
    }
}
