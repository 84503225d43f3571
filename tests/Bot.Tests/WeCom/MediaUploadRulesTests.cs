using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Bot.WeCom.Simulator;
using SkiaSharp;

namespace RapidResponse.Bot.Tests.WeCom;

/// <summary>
/// The rule-keeper's temporary media (protocol notes §7, §4.7): uploads as WeCom takes them (the client's own multipart form),
/// refused as WeCom refuses them, and media ids that must be uploaded, alive (3 days) and of the message's type.
/// </summary>
public sealed class MediaUploadRulesTests
{
    private const int MB = 1024 * 1024;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8)));
    private readonly WeComSimulator _sim;
    private readonly string _token;

    public MediaUploadRulesTests()
    {
        _sim = new WeComSimulator(_time, new SimulatorSettings { CorpId = "wwcorp", AgentId = 1000002, AppSecret = "app", TokenLifetime = TimeSpan.FromDays(30) });
        _sim.SetMember("a");
        _sim.AddChat("chat1", "群", "a", "b");
        _sim.AddRobot("robot1");
        _sim.AddRobot("robot2");
        _token = Json(_sim.Handle("GET", "/cgi-bin/gettoken?corpid=wwcorp&corpsecret=app", null))["access_token"]!.GetValue<string>();
    }

    public static byte[] Png(int width = 8, int height = 8)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(SKColors.SteelBlue);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A PNG signature followed by <paramref name="size"/> − 8 zero bytes: what a size check sees.</summary>
    private static byte[] PngOfSize(int size)
    {
        var b = new byte[size];
        byte[] sig = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        sig.AsSpan(0, Math.Min(8, size)).CopyTo(b);
        return b;
    }

    private static JsonObject Json(SimResponse r) => JsonNode.Parse(r.Body)!.AsObject();

    private static int Code(JsonObject o) => o["errcode"]!.GetValue<int>();

    /// <summary>Uploads exactly as <see cref="MediaUploadRequest"/> forms the body (no local validation in the way).</summary>
    private JsonObject Upload(string type, byte[] content, string fileName = "a.png", string? robotKey = null)
    {
        using var form = MediaUploadRequest.MultipartMedia(fileName, content);
        var body = form.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var path = robotKey is null ? $"/cgi-bin/media/upload?access_token={_token}&type={type}" : $"/cgi-bin/webhook/upload_media?key={robotKey}&type={type}";
        return Json(_sim.HandleRaw("POST", path, body, form.Headers.ContentType!.ToString()));
    }

    private JsonObject Post(string path, object body) =>
        Json(_sim.Handle("POST", path.Contains('?') ? path : $"{path}?access_token={_token}", System.Text.Json.JsonSerializer.Serialize(body)));

    private JsonObject SendImage(string mediaId) => Post("/cgi-bin/message/send", new { touser = "a", msgtype = "image", agentid = 1000002, image = new { media_id = mediaId } });

    [Fact]
    public void Upload_ShouldKeepTheBytesByMediaId_AndAnswerLikeWeCom()
    {
        var png = Png();
        var answer = Upload("image", png, "bulletin.png");
        Assert.Equal(0, Code(answer));
        Assert.Equal("image", answer["type"]!.GetValue<string>());
        // created_at is a string of unix seconds in WeCom's answer.
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), answer["created_at"]!.GetValue<string>());
        var media = _sim.MediaOf(answer["media_id"]!.GetValue<string>())!;
        Assert.Equal(("image", "bulletin.png"), (media.Type, media.FileName));
        Assert.Equal(png, media.Content);
    }

    [Theory]
    [InlineData("image", 10 * MB, 0)]
    [InlineData("image", 10 * MB + 1, 45001)]
    [InlineData("image", 8, 0)]
    [InlineData("file", 6, 0)]
    [InlineData("file", 5, 40006)]
    [InlineData("image", 0, 44001)]
    [InlineData("file", 20 * MB, 0)]
    [InlineData("file", 20 * MB + 1, 45001)]
    [InlineData("video", 10 * MB + 1, 45001)]
    [InlineData("picture", 100, 40005)]
    public void Upload_ShouldKeepWeComsSizeAndTypeLimits(string type, int size, int expected) =>
        Assert.Equal(expected, Code(Upload(type, type == "video" ? Mp4OfSize(size) : PngOfSize(size))));

    [Fact]
    public void Upload_ShouldRefuseAnImageOfFiveBytes() => Assert.Equal(40006, Code(Upload("image", [0xFF, 0xD8, 0xFF, 0xE0, 0])));

    [Fact]
    public void Upload_ShouldTakeVoiceOnlyAsAmrUpTo2MB_AndImagesOnlyAsPngOrJpeg()
    {
        byte[] Amr(int size) { var b = new byte[size]; "#!AMR\n"u8.CopyTo(b); return b; }
        Assert.Equal(0, Code(Upload("voice", Amr(2 * MB), "v.amr")));
        Assert.Equal(45001, Code(Upload("voice", Amr(2 * MB + 1), "v.amr")));
        Assert.Equal(40004, Code(Upload("voice", Png(), "v.amr")));
        Assert.Equal(40004, Code(Upload("image", "GIF89a-not-a-png-or-jpeg"u8.ToArray(), "a.gif")));
        Assert.Equal(0, Code(Upload("image", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0], "a.jpg")));
    }

    [Fact]
    public async Task Upload_ShouldRefuseABodyWithoutAMediaPart()
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Png()), "file", "a.png" } };
        var body = await form.ReadAsByteArrayAsync();
        Assert.Equal(44001, Code(Json(_sim.HandleRaw("POST", $"/cgi-bin/media/upload?access_token={_token}&type=image", body, form.Headers.ContentType!.ToString()))));
        Assert.Equal(41001, Code(Json(_sim.HandleRaw("POST", "/cgi-bin/media/upload?type=image", body, form.Headers.ContentType!.ToString()))));
    }

    [Fact]
    public void ImageMessage_ShouldNeedAnUploadedMediaId_AliveFor3Days()
    {
        var id = Upload("image", Png())["media_id"]!.GetValue<string>();
        Assert.Equal(40007, Code(SendImage("never-uploaded")));
        Assert.Equal(0, Code(SendImage(id)));
        Assert.Equal("image", Assert.Single(_sim.DeliveredTo("a")).MsgType);

        _time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromTicks(1));
        Assert.Equal(0, Code(Post("/cgi-bin/appchat/send", new { chatid = "chat1", msgtype = "image", image = new { media_id = id } })));
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(40007, Code(SendImage(id)));
        Assert.Equal(40007, Code(Post("/cgi-bin/appchat/send", new { chatid = "chat1", msgtype = "image", image = new { media_id = id } })));
    }

    [Fact]
    public void MediaMessage_ShouldRefuseAnIdOfAnotherType()
    {
        var image = Upload("image", Png())["media_id"]!.GetValue<string>();
        var file = Upload("file", "a small text file"u8.ToArray(), "a.txt")["media_id"]!.GetValue<string>();
        Assert.Equal(40007, Code(Post("/cgi-bin/message/send", new { touser = "a", msgtype = "file", agentid = 1000002, file = new { media_id = image } })));
        Assert.Equal(40007, Code(SendImage(file)));
        Assert.Equal(0, Code(Post("/cgi-bin/message/send", new { touser = "a", msgtype = "file", agentid = 1000002, file = new { media_id = file } })));
    }

    [Fact]
    public void WebhookImage_ShouldCarryBase64AndTheMd5OfTheBytes_UpTo2MB()
    {
        var png = Png();
        var ok = WebhookSendRequest.ForImage("robot1", png);
        Assert.Equal(0, Code(Post("/cgi-bin/webhook/send?key=robot1", new { msgtype = "image", image = ok.Image })));
        Assert.Equal(40058, Code(Post("/cgi-bin/webhook/send?key=robot1", new { msgtype = "image", image = ok.Image! with { Md5 = new string('0', 32) } })));
        var big = WebhookSendRequest.ForImage("robot1", PngOfSize(2 * MB + 1));
        Assert.Equal(45001, Code(Post("/cgi-bin/webhook/send?key=robot1", new { msgtype = "image", image = big.Image })));
        var limit = WebhookSendRequest.ForImage("robot1", PngOfSize(2 * MB));
        Assert.Equal(0, Code(Post("/cgi-bin/webhook/send?key=robot1", new { msgtype = "image", image = limit.Image })));
        // The request refuses an oversize image locally, before WeCom would.
        Assert.Contains(big.Validate(), p => p.Contains("45001", StringComparison.Ordinal));
    }

    [Fact]
    public void WebhookFile_ShouldNeedAMediaIdUploadedWithTheSameKey()
    {
        var robot1 = Upload("file", "ledger"u8.ToArray(), "a.txt", robotKey: "robot1")["media_id"]!.GetValue<string>();
        var app = Upload("file", "ledger"u8.ToArray(), "a.txt")["media_id"]!.GetValue<string>();
        object File(string id) => new { msgtype = "file", file = new { media_id = id } };
        Assert.Equal(0, Code(Post("/cgi-bin/webhook/send?key=robot1", File(robot1))));
        Assert.Equal(40007, Code(Post("/cgi-bin/webhook/send?key=robot2", File(robot1))));
        Assert.Equal(40007, Code(Post("/cgi-bin/webhook/send?key=robot1", File(app))));
        Assert.Equal(40005, Code(Upload("image", Png(), robotKey: "robot1")));
        Assert.Equal(93000, Code(Upload("file", "x-file"u8.ToArray(), robotKey: "no-such-robot")));
    }

    private static byte[] Mp4OfSize(int size)
    {
        var b = new byte[size];
        "ftyp"u8.CopyTo(b.AsSpan(4));
        return b;
    }
}
