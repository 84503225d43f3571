using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// <c>POST /cgi-bin/webhook/upload_media?key=…&amp;type=file|voice</c> (§4.7): a group robot's own media upload (multipart
/// part <c>media</c>); the media_id lives 3 days and only for the same key. Images need no upload (base64 in the message).
/// </summary>
public sealed record WebhookUploadMediaRequest : WeComRequest<MediaUploadResponse>
{
    public WebhookUploadMediaRequest(string key, string type, string fileName, byte[] content)
        : base(HttpMethod.Post, "/cgi-bin/webhook/upload_media", WeComCredential.WebhookKey)
    {
        Key = key;
        Type = type;
        FileName = fileName;
        Content = content;
    }

    [JsonIgnore]
    public string Key { get; }

    /// <summary><see cref="MediaLimits.File"/> or <see cref="MediaLimits.Voice"/>.</summary>
    [JsonIgnore]
    public string Type { get; }

    [JsonIgnore]
    public string FileName { get; }

    [JsonIgnore]
    public byte[] Content { get; }

    public override IEnumerable<KeyValuePair<string, string>> QueryParameters() => [new("key", Key), new("type", Type)];

    public override IEnumerable<string> Validate()
    {
        if (string.IsNullOrEmpty(Key)) yield return "webhook key is required.";
        if (Type is not (MediaLimits.File or MediaLimits.Voice)) yield return $"a robot uploads only file or voice, not '{Type}' (WeCom 40005).";
        else foreach (var p in MediaLimits.Check(Type, Content, "media")) yield return p;
    }

    public override HttpContent CreateContent() => MediaUploadRequest.MultipartMedia(FileName, Content);

    // The record's generated ToString would print the key.
    public override string ToString() => $"WebhookUploadMediaRequest({Type}, {Content.Length} bytes)";
}
