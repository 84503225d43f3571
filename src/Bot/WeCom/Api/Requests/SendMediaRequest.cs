using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>App image, voice or file message (§4.2): <c>{"image":{"media_id":"…"}}</c>, the id from media/upload (3 days).</summary>
public sealed record SendMediaRequest : AppMessageRequest
{
    private SendMediaRequest(string msgType, string mediaId)
        : base(msgType) => Media = new MediaPayload(mediaId);

    [JsonIgnore]
    public MediaPayload Media { get; }

    [JsonPropertyName("image")]
    public MediaPayload? Image => MsgType == MediaLimits.Image ? Media : null;

    [JsonPropertyName("voice")]
    public MediaPayload? Voice => MsgType == MediaLimits.Voice ? Media : null;

    [JsonPropertyName("file")]
    public MediaPayload? File => MsgType == MediaLimits.File ? Media : null;

    public static SendMediaRequest ForImage(string mediaId) => new(MediaLimits.Image, mediaId);

    public static SendMediaRequest ForVoice(string mediaId) => new(MediaLimits.Voice, mediaId);

    public static SendMediaRequest ForFile(string mediaId) => new(MediaLimits.File, mediaId);

    public override IEnumerable<string> Validate() =>
        string.IsNullOrEmpty(Media.MediaId) ? base.Validate().Append("media_id is empty (WeCom 40007).") : base.Validate();
}

/// <summary><c>{"media_id": "…"}</c>, the payload of image, voice and file messages.</summary>
public sealed record MediaPayload([property: JsonPropertyName("media_id")] string MediaId);
