using System.Net.Http.Headers;
using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// <c>POST /cgi-bin/media/upload?type=…</c> (上传临时素材): a multipart form with one part named <c>media</c> (filename,
/// filelength, content-type). The media_id it answers is usable for 3 days in image/voice/video/file messages and app chats.
/// </summary>
public sealed record MediaUploadRequest : WeComRequest<MediaUploadResponse>
{
    public MediaUploadRequest(string type, string fileName, byte[] content)
        : base(HttpMethod.Post, "/cgi-bin/media/upload", WeComCredential.AppToken)
    {
        Type = type;
        FileName = fileName;
        Content = content;
    }

    /// <summary><see cref="MediaLimits.Image"/>, <see cref="MediaLimits.Voice"/>, <see cref="MediaLimits.Video"/> or <see cref="MediaLimits.File"/>.</summary>
    [JsonIgnore]
    public string Type { get; }

    [JsonIgnore]
    public string FileName { get; }

    [JsonIgnore]
    public byte[] Content { get; }

    public override IEnumerable<KeyValuePair<string, string>> QueryParameters() => [new("type", Type)];

    public override IEnumerable<string> Validate() =>
        string.IsNullOrWhiteSpace(FileName) ? [.. MediaLimits.Check(Type, Content, "media"), "media needs a file name."] : MediaLimits.Check(Type, Content, "media");

    public override HttpContent CreateContent() => MultipartMedia(FileName, Content);

    /// <summary>The form WeCom's upload APIs take: part <c>media</c> with filename and filelength (also the webhook's upload_media).</summary>
    internal static MultipartFormDataContent MultipartMedia(string fileName, byte[] content)
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        // WeCom reads filename and filelength from the part's Content-Disposition.
        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data")
        {
            Name = "\"media\"",
            FileName = "\"" + fileName.Replace("\"", "", StringComparison.Ordinal) + "\"",
            Size = content.Length,
        };
        part.Headers.ContentDisposition.Parameters.Add(new NameValueHeaderValue("filelength", content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        form.Add(part);
        return form;
    }

    public override string ToString() => $"MediaUploadRequest({Type}, {FileName}, {Content.Length} bytes)";
}

/// <summary>Answer of media/upload; <c>created_at</c> is a unix-seconds string in WeCom's answer.</summary>
public sealed record MediaUploadResponse : WeComResponse
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("media_id")]
    public string? MediaId { get; init; }

    [JsonPropertyName("created_at")]
    public string? CreatedAt { get; init; }
}
