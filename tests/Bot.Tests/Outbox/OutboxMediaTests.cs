using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Outbox;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.Tests.WeCom;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Outbox;

/// <summary>
/// Images and files through the outbox to the rule-keeping fake WeCom over real HTTP: uploaded with media/upload when the row
/// is sent, the message naming the id WeCom issued; an id older than its 3 days (less an hour) or refused (40007) is uploaded
/// again, so a retried row never sends a dead media_id; a robot gets the image as base64 + md5.
/// </summary>
public sealed class OutboxMediaTests : IDisposable
{
    private const string Upload = "/cgi-bin/media/upload";
    private readonly BotFactory _f = new BotFactory().WithWeCom();

    public OutboxMediaTests()
    {
        _ = _f.Services; // starts the host (migrates the database, starts the dispatcher)
        _f.WeCom!.Simulator.SetMember("zhangsan");
        _f.WeCom.Simulator.AddChat("wrbulletin", "县通报群", "zhangsan", "lisi");
        _f.WeCom.Simulator.AddRobot("robot-key-1");
    }

    public void Dispose() => _f.Dispose();

    private async Task<OutboxMessage> EnqueueAsync(OutboundChannel channel, string to, MediaKind kind, byte[] content, string fileName = "chart.png", TimeSpan? hold = null)
    {
        await using var db = _f.NewDb();
        var now = _f.Time.GetUtcNow();
        var media = await OutboundMedia.StoreAsync(db, kind, fileName, content, now);
        var row = new OutboxMessage
        {
            Channel = channel, Recipient = to, Kind = kind == MediaKind.Image ? OutboundKind.Image : OutboundKind.File,
            Payload = OutboundPayload.Serialize(new MediaBody(fileName)), Media = media, CreatedAt = now, NotBefore = now + (hold ?? TimeSpan.Zero),
        };
        db.Outbox.Add(row);
        await db.SaveChangesAsync();
        return row;
    }

    private async Task<OutboxMessage> WaitAsync(long id, OutboxStatus status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await using (var db = _f.NewDb())
            {
                var row = await db.Outbox.AsNoTracking().FirstAsync(x => x.Id == id);
                if (row.Status == status) return row;
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"row {id} is {row.Status} ({row.LastError}), not {status}");
            }

            await Task.Delay(25);
        }
    }

    private IReadOnlyList<string> UploadedIds() =>
        [.. _f.WeCom!.Simulator.CallsTo(Upload).Where(e => !e.Refused).Select(e => JsonNode.Parse(e.ResponseBody)!["media_id"]!.GetValue<string>())];

    [Fact]
    public async Task ImageToUser_ShouldBeUploadedWithMediaUpload_ThenSentAsAnImageMessageWithThatId()
    {
        var png = MediaUploadRulesTests.Png();
        var row = await EnqueueAsync(OutboundChannel.AppUser, "zhangsan", MediaKind.Image, png);
        await WaitAsync(row.Id, OutboxStatus.Sent);

        var id = Assert.Single(UploadedIds());
        Assert.Equal(png, _f.WeCom!.Simulator.MediaOf(id)!.Content);
        var delivered = Assert.Single(_f.WeCom.Simulator.DeliveredTo("zhangsan"));
        Assert.Equal("image", delivered.MsgType);
        Assert.Equal(id, JsonNode.Parse(delivered.Json)!["image"]!["media_id"]!.GetValue<string>());
        await using var db = _f.NewDb();
        var media = await db.OutboundMedia.AsNoTracking().SingleAsync();
        Assert.Equal((id, _f.Time.GetUtcNow()), (media.PlatformMediaId, media.UploadedAt));
    }

    [Fact]
    public async Task MediaId_ShouldBeReusedUntilAnHourBeforeItsThreeDays_ThenUploadedAgain()
    {
        var png = MediaUploadRulesTests.Png();
        await WaitAsync((await EnqueueAsync(OutboundChannel.AppUser, "zhangsan", MediaKind.Image, png)).Id, OutboxStatus.Sent);
        var life = TimeSpan.FromDays(3) - MediaUploads.ReuseMargin;

        _f.Time.Advance(life - TimeSpan.FromTicks(1));
        await WaitAsync((await EnqueueAsync(OutboundChannel.AppChat, "wrbulletin", MediaKind.Image, png)).Id, OutboxStatus.Sent);
        Assert.Single(UploadedIds());

        _f.Time.Advance(TimeSpan.FromTicks(1));
        await WaitAsync((await EnqueueAsync(OutboundChannel.AppChat, "wrbulletin", MediaKind.Image, png)).Id, OutboxStatus.Sent);
        var ids = UploadedIds();
        Assert.Equal(2, ids.Count);
        var chat = _f.WeCom!.Simulator.DeliveredTo("wrbulletin").Select(d => JsonNode.Parse(d.Json)!["image"]!["media_id"]!.GetValue<string>()).ToList();
        Assert.Equal([ids[0], ids[1]], chat);
    }

    [Fact]
    public async Task Row_ShouldUploadAgainAndSendOnce_WhenWeComRefusesItsStoredMediaIdWith40007()
    {
        var png = MediaUploadRulesTests.Png();
        var row = await EnqueueAsync(OutboundChannel.AppUser, "zhangsan", MediaKind.Image, png, hold: TimeSpan.FromSeconds(1));
        // An id we believe alive but WeCom does not know (e.g. WeCom dropped it early): the send is refused with 40007.
        await using (var db = _f.NewDb())
            await db.OutboundMedia.ExecuteUpdateAsync(s => s.SetProperty(m => m.PlatformMediaId, "dead-media-id").SetProperty(m => m.UploadedAt, _f.Time.GetUtcNow()));
        _f.Time.Advance(TimeSpan.FromSeconds(1));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            await using var db = _f.NewDb();
            if (await db.Outbox.AnyAsync(x => x.Id == row.Id && x.Attempts == 1 && x.Status == OutboxStatus.Pending)) break;
            await Task.Delay(25);
        }

        Assert.Equal(40007, Assert.Single(_f.WeCom!.Simulator.CallsTo("/cgi-bin/message/send")).ErrCode);
        _f.Time.Advance(TimeSpan.FromMinutes(1)); // past the retry's backoff
        var sent = await WaitAsync(row.Id, OutboxStatus.Sent);

        Assert.Equal(2, sent.Attempts);
        var id = Assert.Single(UploadedIds());
        var delivered = Assert.Single(_f.WeCom.Simulator.DeliveredTo("zhangsan"));
        Assert.Equal(id, JsonNode.Parse(delivered.Json)!["image"]!["media_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImageToRobot_ShouldGoAsBase64AndMd5_WithoutAnUpload()
    {
        var png = MediaUploadRulesTests.Png();
        await WaitAsync((await EnqueueAsync(OutboundChannel.Webhook, "robot-key-1", MediaKind.Image, png)).Id, OutboxStatus.Sent);

        var image = JsonNode.Parse(Assert.Single(_f.WeCom!.Simulator.DeliveredTo("robot-key-1")).Json)!["image"]!;
        Assert.Equal(png, Convert.FromBase64String(image["base64"]!.GetValue<string>()));
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(png)), image["md5"]!.GetValue<string>());
        Assert.Empty(_f.WeCom.Simulator.CallsTo(Upload));
    }

    [Fact]
    public async Task FileToRobotAndUser_ShouldBeUploadedForEachAndSentAsAFileMessage()
    {
        var text = "编号,户主\nYL-1,张三\n"u8.ToArray();
        await WaitAsync((await EnqueueAsync(OutboundChannel.Webhook, "robot-key-1", MediaKind.File, text, "ledger.csv")).Id, OutboxStatus.Sent);
        await WaitAsync((await EnqueueAsync(OutboundChannel.AppUser, "zhangsan", MediaKind.File, text, "ledger.csv")).Id, OutboxStatus.Sent);

        var robotUpload = Assert.Single(_f.WeCom!.Simulator.CallsTo("/cgi-bin/webhook/upload_media"));
        var robotId = JsonNode.Parse(robotUpload.ResponseBody)!["media_id"]!.GetValue<string>();
        Assert.Equal(robotId, JsonNode.Parse(Assert.Single(_f.WeCom.Simulator.DeliveredTo("robot-key-1")).Json)!["file"]!["media_id"]!.GetValue<string>());
        var appId = Assert.Single(UploadedIds());
        Assert.Equal("ledger.csv", _f.WeCom.Simulator.MediaOf(appId)!.FileName);
        Assert.Equal(appId, JsonNode.Parse(Assert.Single(_f.WeCom.Simulator.DeliveredTo("zhangsan")).Json)!["file"]!["media_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Image_ShouldBeDeadWithAReason_WhenItIsNotAPngOrJpeg_OrOver2MBForARobot()
    {
        var gif = await EnqueueAsync(OutboundChannel.AppUser, "zhangsan", MediaKind.Image, "GIF89a-animated"u8.ToArray(), "a.gif");
        var big = new byte[2 * 1024 * 1024 + 1];
        MediaUploadRulesTests.Png().AsSpan(0, 8).CopyTo(big);
        var toRobot = await EnqueueAsync(OutboundChannel.Webhook, "robot-key-1", MediaKind.Image, big, "big.png");

        Assert.Contains("40004", (await WaitAsync(gif.Id, OutboxStatus.Dead)).LastError);
        Assert.Contains("2 MB", (await WaitAsync(toRobot.Id, OutboxStatus.Dead)).LastError);
        Assert.Empty(_f.WeCom!.Simulator.CallsTo(Upload)); // refused locally, before WeCom would
    }

    [Fact]
    public async Task SameBytes_ShouldBeStoredOnce()
    {
        var png = MediaUploadRulesTests.Png();
        await using var db = _f.NewDb();
        var a = await OutboundMedia.StoreAsync(db, MediaKind.Image, "a.png", png, _f.Time.GetUtcNow());
        var b = await OutboundMedia.StoreAsync(db, MediaKind.Image, "b.png", png, _f.Time.GetUtcNow());
        await db.SaveChangesAsync();
        await using var db2 = _f.NewDb();
        var c = await OutboundMedia.StoreAsync(db2, MediaKind.Image, "c.png", png, _f.Time.GetUtcNow());
        Assert.Same(a, b);
        Assert.Equal(a.Id, c.Id);
        Assert.Equal(1, await db2.OutboundMedia.CountAsync());
    }
}
