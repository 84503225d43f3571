namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// <c>GET /cgi-bin/media/get?media_id=…</c> (获取临时素材): the bytes of a photo, voice or file someone sent; media ids live
/// 3 days. The app token fetches what members sent the app, the 微信客服 token what customers sent. Sent with
/// <see cref="WeComApiClient.DownloadAsync"/>: the answer is the file, or JSON with an errcode (40007 invalid media_id).
/// </summary>
public sealed record MediaGetRequest : WeComRequest<WeComResponse>
{
    public MediaGetRequest(string mediaId, WeComCredential credential = WeComCredential.AppToken)
        : base(HttpMethod.Get, "/cgi-bin/media/get", credential)
    {
        MediaId = mediaId;
    }

    public string MediaId { get; }

    public override IEnumerable<KeyValuePair<string, string>> QueryParameters() => [new("media_id", MediaId)];

    public override IEnumerable<string> Validate() =>
        string.IsNullOrWhiteSpace(MediaId) ? ["media_id is empty."] : [];
}

/// <summary>
/// A downloaded media file. <see cref="TooLarge"/>: WeCom's file is over the caller's limit; its bytes were not read
/// (<see cref="Bytes"/> is empty) and <see cref="Size"/> is what WeCom announced, or the bytes read before the limit.
/// </summary>
public sealed record MediaFile(byte[] Bytes, string ContentType, string? FileName, long Size, bool TooLarge = false);
