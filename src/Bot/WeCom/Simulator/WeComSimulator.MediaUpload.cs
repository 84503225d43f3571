using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using RapidResponse.Bot.WeCom.Api.Requests;

namespace RapidResponse.Bot.WeCom.Simulator;

/// <summary>The file part of a multipart upload as the simulator received it.</summary>
public sealed record SimUpload(string? FieldName, string? FileName, byte[] Content);

/// <summary>An uploaded temporary medium: its id, type and bytes; <paramref name="RobotKey"/> for a robot's upload_media.</summary>
public sealed record SimMedia(string MediaId, string Type, string FileName, byte[] Content, DateTimeOffset UploadedAt, string? RobotKey = null);

/// <summary>
/// Temporary media (上传临时素材, protocol notes §7 "temp media", §4.7): <c>media/upload</c> and a robot's
/// <c>webhook/upload_media</c> keep each upload by id for 3 days and refuse what WeCom refuses — an unknown type (40005), an
/// empty upload (44001), 5 bytes or fewer (40006), over the type's limit (45001), bytes that are not the type's format
/// (40004). A message that names a media_id needs one that was uploaded, is alive, is of the message's type and (for a
/// robot) was uploaded with the same key: 40007 otherwise.
/// </summary>
public sealed partial class WeComSimulator
{
    private readonly Dictionary<string, SimMedia> _media = new(StringComparer.Ordinal);

    private void MapMedia()
    {
        Route("POST /cgi-bin/media/upload", UploadMedia);
        Route("POST /cgi-bin/webhook/upload_media", UploadRobotMedia);
        MediaCheck = (id, type) => CheckMediaId(id, type, null);
    }

    /// <summary>An uploaded medium by id (null when never uploaded), e.g. for the sandbox to show an image it delivered.</summary>
    public SimMedia? MediaOf(string mediaId)
    {
        lock (_gate) return _media.GetValueOrDefault(mediaId);
    }

    /// <summary>Every upload so far, oldest first.</summary>
    public IReadOnlyList<SimMedia> Uploads
    {
        get { lock (_gate) return [.. _media.Values.OrderBy(m => m.UploadedAt)]; }
    }

    /// <summary>
    /// Answers one HTTP request from its raw bytes: a <c>multipart/form-data</c> body is read as an upload (its file part),
    /// anything else as UTF-8 JSON (<see cref="Handle(string, string, string?)"/>).
    /// </summary>
    public SimResponse HandleRaw(string method, string pathAndQuery, byte[]? body, string? contentType)
    {
        if (body is null || contentType is null || !contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return Handle(method, pathAndQuery, body is null ? null : Encoding.UTF8.GetString(body));
        var upload = ReadUpload(body, contentType) ?? new SimUpload(null, null, []);
        var summary = $"multipart/form-data: part \"{upload.FieldName}\" filename=\"{upload.FileName}\", {upload.Content.Length} bytes";
        return Handle(method, pathAndQuery, summary, upload);
    }

    /// <summary>The first file part of a multipart body; null when the body is not readable as one.</summary>
    private static SimUpload? ReadUpload(byte[] body, string contentType)
    {
        try
        {
            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(contentType).Boundary).Value;
            if (string.IsNullOrEmpty(boundary)) return null;
            var reader = new MultipartReader(boundary, new MemoryStream(body));
            // A MemoryStream completes synchronously: no thread is blocked here.
            while (reader.ReadNextSectionAsync().GetAwaiter().GetResult() is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var cd)) continue;
                using var copy = new MemoryStream();
                section.Body.CopyTo(copy);
                var file = HeaderUtilities.RemoveQuotes(cd.FileName).Value ?? HeaderUtilities.RemoveQuotes(cd.FileNameStar).Value;
                if (file is null) continue;
                return new SimUpload(HeaderUtilities.RemoveQuotes(cd.Name).Value, file, copy.ToArray());
            }
        }
        catch (Exception e) when (e is FormatException or IOException or InvalidDataException)
        {
        }

        return null;
    }

    private JsonObject UploadMedia(SimCall c)
    {
        RequireToken(c);
        var media = Accept(c, c.Query.GetValueOrDefault("type") ?? "", null);
        return Ok(new JsonObject
        {
            ["type"] = media.Type,
            ["media_id"] = media.MediaId,
            ["created_at"] = media.UploadedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        });
    }

    private JsonObject UploadRobotMedia(SimCall c)
    {
        var key = c.Query.GetValueOrDefault("key");
        if (string.IsNullOrEmpty(key) || !(_robots.Contains(key) || RobotResolver?.Invoke(key) == true)) throw Refuse(93000, "invalid webhook url");
        var type = c.Query.GetValueOrDefault("type") ?? "";
        if (type is not (MediaLimits.File or MediaLimits.Voice)) throw Refuse(40005, "invalid media type: a robot uploads file or voice");
        var media = Accept(c, type, key);
        return Ok(new JsonObject
        {
            ["type"] = media.Type,
            ["media_id"] = media.MediaId,
            ["created_at"] = media.UploadedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        });
    }

    private SimMedia Accept(SimCall c, string type, string? robotKey)
    {
        if (MediaLimits.MaxBytes(type) is not { } max) throw Refuse(40005, $"invalid media type '{type}'");
        if (c.Upload is not { FieldName: "media" } up) throw Refuse(44001, "empty media data: no multipart part named 'media' with a filename");
        var n = up.Content.Length;
        if (n == 0) throw Refuse(44001, "empty media data");
        if (n < MediaLimits.MinBytes) throw Refuse(40006, $"invalid file size: {n} bytes, more than 5 needed");
        if (n > max) throw Refuse(45001, $"media size out of limit: {n} bytes, the {type} limit is {max}");
        if (!MediaLimits.FormatFits(type, up.Content)) throw Refuse(40004, $"invalid media format for {type}");
        var media = new SimMedia(NewId(robotKey is null ? "simmedia_" : "simrobotmedia_"), type, up.FileName ?? "", up.Content, Now, robotKey);
        _media[media.MediaId] = media;
        return media;
    }

    /// <summary>40007 unless the id was uploaded (by <paramref name="robotKey"/>'s robot, when given), lives, and is of <paramref name="type"/>.</summary>
    private void CheckMediaId(string mediaId, string type, string? robotKey)
    {
        if (!_media.TryGetValue(mediaId, out var m) || m.RobotKey != robotKey) throw Refuse(40007, "invalid media_id: not uploaded here");
        if (Now - m.UploadedAt >= MediaLimits.MediaIdLifetime) throw Refuse(40007, "invalid media_id: temporary media expire after 3 days");
        if (m.Type != type) throw Refuse(40007, $"invalid media_id: a {m.Type} cannot be sent as {type}");
    }

    /// <summary>§4.7: base64 of PNG/JPEG ≤ 2 MB, md5 (hex) of the raw bytes.</summary>
    private static void CheckWebhookImage(JsonObject payload)
    {
        var b64 = payload["base64"]?.GetValue<string>();
        var md5 = payload["md5"]?.GetValue<string>();
        if (string.IsNullOrEmpty(b64) || string.IsNullOrEmpty(md5)) throw Refuse(40058, "image needs base64 and md5");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(b64);
        }
        catch (FormatException)
        {
            throw Refuse(40058, "image.base64 is not base64");
        }

        if (bytes.Length > MediaLimits.WebhookImageMaxBytes) throw Refuse(45001, "image over 2 MB");
        if (!MediaLimits.IsPng(bytes) && !MediaLimits.IsJpeg(bytes)) throw Refuse(40004, "image is not JPG or PNG");
        if (!string.Equals(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes)), md5, StringComparison.OrdinalIgnoreCase))
            throw Refuse(40058, "image.md5 does not match the bytes");
    }
}
