using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Evidence;
using RapidResponse.Domain.Messaging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace RapidResponse.Bot.Tests.Evidence;

/// <summary>
/// Photos, voice and files as evidence, over real HTTP against the rule-keeping fake WeCom: media/get through durable
/// download jobs, content-addressed storage, attachment to the open form or the latest open case, the answers, the limits.
/// </summary>
public sealed class EvidenceTests
{
    private static (BotFactory F, HttpClient Http, ChatDriver Chat) Start(Action<BotFactory>? configure = null)
    {
        var f = new BotFactory().WithWeCom();
        configure?.Invoke(f);
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        return (f, http, new ChatDriver(f));
    }

    private static string OneShot(string id, string name, string phone) =>
        $"申报\n姓名：{name}\n身份证号：{id}\n村：李树村\n困难类型：因病\n情况说明：丈夫住院，自付医疗费三万元\n联系电话：{phone}";

    private static async Task<KfCustomer> FarmerWithCaseAsync(BotFactory f, HttpClient http, string id = "wmEvidence")
    {
        var farmer = new KfCustomer(f, http, id);
        await farmer.SayAsync(OneShot(TestRoster.IdLi, "李小花", "13800000002"));
        await farmer.SayAsync("确认");
        Assert.Contains(farmer.Received(), t => t.Contains("YL-2026-000001"));
        return farmer;
    }

    [Fact]
    public async Task KfPhoto_ShouldBeDownloadedStoredByHashAndAttachedToTheFarmersCase_WithAnAnswer()
    {
        var (f, http, _) = Start();
        using var _f = f;
        var farmer = await FarmerWithCaseAsync(f, http);
        var photo = Media.Png(1);

        var mediaId = await farmer.SendMediaAsync("image", photo, "image/png", "bill.png");
        await Media.SettledAsync(f);

        Assert.Contains("已收到照片，已附在 YL-2026-000001 上", farmer.Received().Last());
        using var db = f.NewDb();
        var e = await db.Evidence.SingleAsync();
        Assert.Equal((EvidenceStatus.Stored, EvidenceKind.Image, mediaId, photo.LongLength), (e.Status, e.Kind, e.MediaId, e.Size));
        Assert.Equal((await db.Cases.SingleAsync()).Id, e.CaseId);
        var sha = Convert.ToHexStringLower(SHA256.HashData(photo));
        Assert.Equal(sha, e.Sha256);
        Assert.Equal(photo, await File.ReadAllBytesAsync(Path.Combine(f.Directory, "data", "media", sha[..2], sha)));
        Assert.True(await db.AuditEvents.AnyAsync(a => a.CaseId == e.CaseId && a.Action == "evidence.added" && a.Actor == farmer.Id));
        // The 微信客服 media was fetched with the 微信客服 token, once.
        var get = Assert.Single(f.WeCom!.Simulator.CallsTo("/cgi-bin/media/get"));
        Assert.False(get.Refused);
    }

    [Fact]
    public async Task EvidenceCommand_ShouldSendThePhotosBackToACadreWithJurisdiction_AndRefuseOneOutsideIt()
    {
        var (f, http, _) = Start();
        using var _f = f;
        var farmer = await FarmerWithCaseAsync(f, http);
        var photo = Media.Png(9);
        await farmer.SendMediaAsync("image", photo, "image/png", "bill.png");
        await farmer.SendMediaAsync("file", [0x25, 0x50, 0x44, 0x46, 1, 2, 3], "application/pdf", "诊断证明.pdf");
        await Media.SettledAsync(f);
        var sim = f.WeCom!.Simulator;

        // The village's own grid monitor (李树村) may see the case: a list, then the photo as an image and the PDF as a file.
        await new WeComUser(f, http, "gm_a1").SayAsync("材料 YL-2026-000001");
        await KfCustomer.OutboxDrainedAsync(f);
        var got = sim.DeliveredTo("gm_a1").Where(d => d.MsgType is "image" or "file" || d.Json.Contains("份材料")).ToList();
        Assert.Contains("案件 YL-2026-000001 共有2份材料", got[0].Json);
        var image = System.Text.Json.Nodes.JsonNode.Parse(got.Single(d => d.MsgType == "image").Json)!["image"]!["media_id"]!.GetValue<string>();
        Assert.Equal(photo, sim.MediaOf(image)!.Content); // uploaded with media/upload, the stored bytes
        var file = System.Text.Json.Nodes.JsonNode.Parse(got.Single(d => d.MsgType == "file").Json)!["file"]!["media_id"]!.GetValue<string>();
        Assert.Equal("诊断证明.pdf", sim.MediaOf(file)!.FileName);

        // Another township's grid monitor (河湾村) may not.
        await new WeComUser(f, http, "gm_b1").SayAsync("材料 YL-2026-000001");
        await KfCustomer.OutboxDrainedAsync(f);
        var refused = sim.DeliveredTo("gm_b1");
        Assert.Contains(refused, d => d.Json.Contains("不在您的管辖范围内"));
        Assert.DoesNotContain(refused, d => d.MsgType is "image" or "file");
        using var db = f.NewDb();
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "evidence.viewed" && a.Actor == "gm_a1"));
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == "evidence.viewed" && a.Actor == "gm_b1"));
    }

    [Fact]
    public async Task AppPhoto_ShouldAttachToTheCadresLatestOpenCase_WhenTheyWorkedOnIt()
    {
        var (f, http, chat) = Start();
        using var _f = f;
        await FarmerWithCaseAsync(f, http);
        await KfCustomer.OutboxDrainedAsync(f);
        var gm = new WeComUser(f, http, "gm_a1");
        await gm.ClickAsync(chat.CardsTo("gm_a1").Last().TaskId, "accept");
        await KfCustomer.OutboxDrainedAsync(f);

        var photo = Media.Png(2);
        await gm.SendMediaAsync("image", photo, "image/jpeg", "house.jpg");
        await Media.SettledAsync(f);

        using (var db = f.NewDb())
        {
            var e = await db.Evidence.SingleAsync();
            Assert.Equal((EvidenceStatus.Stored, InboundChannel.App, "gm_a1"), (e.Status, e.Channel, e.SenderId));
            Assert.Equal((await db.Cases.SingleAsync()).Id, e.CaseId);
        }
        var sim = f.WeCom!.Simulator;
        Assert.Contains("已收到照片，已附在 YL-2026-000001 上", sim.DeliveredTo("gm_a1").Last().Json);

        // The county office sees the county's cases: the cadre's photo comes back to it as an image message.
        await new WeComUser(f, http, "co_1").SayAsync("材料 YL-2026-000001");
        await KfCustomer.OutboxDrainedAsync(f);
        var image = sim.DeliveredTo("co_1").Single(d => d.MsgType == "image");
        Assert.Equal(photo, sim.MediaOf(System.Text.Json.Nodes.JsonNode.Parse(image.Json)!["image"]!["media_id"]!.GetValue<string>())!.Content);
        // A department that holds no task of the case may not.
        await new WeComUser(f, http, "d_jt").SayAsync("材料 YL-2026-000001");
        await KfCustomer.OutboxDrainedAsync(f);
        Assert.DoesNotContain(sim.DeliveredTo("d_jt"), d => d.MsgType is "image" or "file");
    }

    [Fact]
    public async Task Photo_ShouldBeAnsweredAndNothingKept_WhenTheSenderHasNoFormAndNoOpenCase()
    {
        var (f, http, _) = Start();
        using var _f = f;
        var farmer = new KfCustomer(f, http, "wmNoCase");
        await farmer.SayAsync("你好");

        await farmer.SendMediaAsync("image", Media.Png(3), "image/png", "x.png");
        await Media.SettledAsync(f);

        Assert.Contains("没有正在办理的申报", farmer.Received().Last());
        using var db = f.NewDb();
        Assert.Empty(await db.Evidence.ToListAsync());
        Assert.Empty(f.WeCom!.Simulator.CallsTo("/cgi-bin/media/get"));
    }

    [Fact]
    public async Task OversizeFile_ShouldBeRefusedWithAPlainAnswer_AndNothingStored()
    {
        var (f, http, _) = Start();
        using var _f = f;
        var farmer = await FarmerWithCaseAsync(f, http);

        await farmer.SendMediaAsync("file", new byte[20 * 1024 * 1024 + 1], "application/pdf", "病历.pdf");
        await Media.SettledAsync(f);

        Assert.Contains("文件太大了（超过20MB），文件最大20MB，没有保存", farmer.Received().Last());
        using var db = f.NewDb();
        var e = await db.Evidence.SingleAsync();
        Assert.Equal(EvidenceStatus.Refused, e.Status);
        Assert.Null(e.Sha256);
        Assert.False(Directory.Exists(Path.Combine(f.Directory, "data", "media")) && Directory.EnumerateFiles(Path.Combine(f.Directory, "data", "media"), "*", SearchOption.AllDirectories).Any());
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == "evidence.added"));
    }

    [Fact]
    public async Task FileOfATypeNotTaken_ShouldBeRefused_AndAPdfJustUnderTheLimitKept()
    {
        var (f, http, _) = Start();
        using var _f = f;
        var farmer = await FarmerWithCaseAsync(f, http);

        await farmer.SendMediaAsync("file", [0x4D, 0x5A, 1, 2, 3, 4], "application/octet-stream", "setup.exe");
        await Media.SettledAsync(f);
        Assert.Contains("这种文件（exe 文件）不能作为材料保存", farmer.Received().Last());

        await farmer.SendMediaAsync("file", new byte[20 * 1024 * 1024], "application/pdf", "诊断证明.pdf");
        await Media.SettledAsync(f);
        Assert.Contains("已收到文件，已附在 YL-2026-000001 上", farmer.Received().Last());
        using var db = f.NewDb();
        Assert.Equal([EvidenceStatus.Refused, EvidenceStatus.Stored], await db.Evidence.OrderBy(e => e.Id).Select(e => e.Status).ToListAsync());
    }

    [Fact]
    public async Task Voice_ShouldBeStoredAndTheSenderAskedForText_WhoseNextLineIsKeptAsItsNote()
    {
        var (f, http, _) = Start();
        using var _f = f;
        var farmer = await FarmerWithCaseAsync(f, http);

        await farmer.SendMediaAsync("voice", [0x23, 0x21, 0x41, 0x4D, 0x52, 0x0A, 9, 9, 9], "audio/amr", "voice.amr");
        await Media.SettledAsync(f);
        Assert.Contains("请再发一句文字", farmer.Received().Last());

        await farmer.SayAsync("房子东墙裂了，下雨漏水");
        Assert.Contains("已记下您的文字说明，附在 YL-2026-000001 的语音上", farmer.Received().Last());
        using var db = f.NewDb();
        var e = await db.Evidence.SingleAsync();
        Assert.Equal((EvidenceKind.Voice, EvidenceStatus.Stored, "房子东墙裂了，下雨漏水"), (e.Kind, e.Status, e.Note));
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "evidence.note" && a.CaseId == e.CaseId));
    }

    [Fact]
    public async Task MediaGet_ShouldBeRetriedAfterTheOutboxBackoff_WhenWeComIsBusyOnce()
    {
        var (f, http, _) = Start();
        using var _f = f;
        var farmer = await FarmerWithCaseAsync(f, http);
        var calls = 0;
        f.WeComApi!.Given(Request.Create().WithPath("/cgi-bin/media/get").UsingGet())
            .RespondWith(Response.Create().WithCallback(req =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                    return new WireMock.ResponseMessage
                    {
                        StatusCode = 200,
                        Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
                        BodyData = new WireMock.Util.BodyData { DetectedBodyType = WireMock.Types.BodyType.String, BodyAsString = """{"errcode":-1,"errmsg":"system busy"}""" },
                    };
                return FakeWeCom.ToResponse(f.WeCom!.Simulator.Handle(req.Method, new Uri(req.Url).PathAndQuery, req.Body));
            }));

        await farmer.SendMediaAsync("image", Media.Png(4), "image/png", "a.png");
        await Media.SettledAsync(f);
        using (var db = f.NewDb())
        {
            var waiting = await db.Evidence.SingleAsync();
            Assert.Equal((EvidenceStatus.Pending, 1), (waiting.Status, waiting.Attempts));
            Assert.Contains("-1", waiting.LastError);
            Assert.True(waiting.NextAttemptAt > f.Time.GetUtcNow());
        }
        Assert.DoesNotContain(farmer.Received(), t => t.Contains("已收到照片"));

        f.Time.Advance(TimeSpan.FromSeconds(6)); // the outbox's first backoff is 2.5–5 s
        await Media.SettledAsync(f);
        using var check = f.NewDb();
        var e = await check.Evidence.SingleAsync();
        Assert.Equal((EvidenceStatus.Stored, 2), (e.Status, e.Attempts));
        Assert.Equal(2, calls);
        Assert.Single(farmer.Received(), t => t.Contains("已收到照片，已附在 YL-2026-000001 上"));
    }

    [Fact]
    public async Task ExpiredMediaId_ShouldFailWithWeComs40007_AndTheSenderAskedToSendAgain()
    {
        var (f, http, _) = Start();
        using var _f = f;
        var farmer = await FarmerWithCaseAsync(f, http);
        var sim = f.WeCom!.Simulator;
        var (msgId, token, mediaId) = sim.CustomerSendsMedia(KfCustomer.Account, farmer.Id, "image", Media.Png(5), "image/png", "old.png");
        f.Time.Advance(TimeSpan.FromDays(3)); // temporary media live 3 days
        Assert.False(sim.HoldsMedia(mediaId));
        await farmer.SayAsync("还在吗"); // the notification of the photo is pulled together with this message

        await Media.SettledAsync(f);
        Assert.Contains(sim.CallsTo("/cgi-bin/media/get"), c => c.ErrCode == 40007);
        Assert.Contains(farmer.Received(), t => t.Contains("企业微信的临时文件已过期") && t.Contains("请重新发送"));
        using var db = f.NewDb();
        Assert.Equal(EvidenceStatus.Failed, (await db.Evidence.SingleAsync()).Status);
        _ = (msgId, token);
    }

    [Fact]
    public async Task EvidenceEndpoint_ShouldListAndAnswerTheFile_ForTheAdminTokenOnly()
    {
        var (f, http, _) = Start();
        using var _f = f;
        var farmer = await FarmerWithCaseAsync(f, http);
        var photo = Media.Png(6);
        await farmer.SendMediaAsync("image", photo, "image/png", "bill.png");
        await Media.SettledAsync(f);

        var admin = f.AdminClient();
        var list = await admin.GetFromJsonAsync<List<System.Text.Json.JsonElement>>("/api/cases/YL-2026-000001/evidence");
        var id = Assert.Single(list!).GetProperty("id").GetInt64();
        var file = await admin.GetAsync($"/api/cases/YL-2026-000001/evidence/{id}");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("image/png", file.Content.Headers.ContentType!.MediaType);
        Assert.Equal(photo, await file.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/api/cases/YL-2026-000001/evidence/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/cases/YL-2026-000001/evidence/{id + 100}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/cases/YL-2026-000099/evidence/{id}")).StatusCode);
    }

    [Fact]
    public async Task DatabaseStore_ShouldKeepTheBytesInTheDatabase_AndServeThem()
    {
        var (f, http, _) = Start(x => x.Settings["Media:Store"] = "Database");
        using var _f = f;
        var farmer = await FarmerWithCaseAsync(f, http);
        var photo = Media.Png(7);
        await farmer.SendMediaAsync("image", photo, "image/png", "bill.png");
        await farmer.SendMediaAsync("image", photo, "image/png", "same-again.png");
        await Media.SettledAsync(f);

        using var db = f.NewDb();
        var blob = await db.MediaBlobs.SingleAsync(); // content-addressed: the same bytes once
        Assert.Equal(photo, blob.Bytes);
        Assert.False(Directory.Exists(Path.Combine(f.Directory, "data", "media")));
        var id = (await db.Evidence.OrderBy(e => e.Id).FirstAsync()).Id;
        Assert.Equal(photo, await f.AdminClient().GetByteArrayAsync($"/api/cases/YL-2026-000001/evidence/{id}"));
    }

    [Fact]
    public async Task ReportForm_ShouldAskForAnOptionalPhoto_AndAttachTheOneSentToTheNewCase()
    {
        var (f, http, _) = Start(x => x.Settings["Conversations:AskPhoto"] = "true");
        using var _f = f;
        var farmer = new KfCustomer(f, http, "wmPhotoStep");
        await farmer.SayAsync(OneShot(TestRoster.IdLi, "李小花", "13800000002"));
        Assert.Contains("如有照片", farmer.Received().Last());

        await farmer.SendMediaAsync("image", Media.Png(8), "image/png", "bill.png");
        Assert.Contains(farmer.Received(), t => t.Contains("请回复“确认”") || t.Contains("确认"));
        await Media.SettledAsync(f);
        Assert.Contains(farmer.Received(), t => t.Contains("已收到照片，提交后会附在案件上"));
        await farmer.SayAsync("确认");
        await Media.SettledAsync(f);

        using var db = f.NewDb();
        var c = await db.Cases.SingleAsync();
        var e = await db.Evidence.SingleAsync();
        Assert.Equal((c.Id, (string?)null, EvidenceStatus.Stored), (e.CaseId, e.FormKey, e.Status));
        Assert.True(await db.AuditEvents.AnyAsync(a => a.CaseId == c.Id && a.Action == "evidence.added"));
    }

    [Fact]
    public async Task ReportForm_ShouldGoOn_WhenThePhotoStepIsSkipped()
    {
        var (f, http, _) = Start(x => x.Settings["Conversations:AskPhoto"] = "true");
        using var _f = f;
        var farmer = new KfCustomer(f, http, "wmSkip");
        await farmer.SayAsync(OneShot(TestRoster.IdLi, "李小花", "13800000002"));
        await farmer.SayAsync("好的");
        Assert.Contains("没有照片请回复“跳过”", farmer.Received().Last());
        await farmer.SayAsync("跳过");
        await farmer.SayAsync("确认");
        Assert.Contains(farmer.Received(), t => t.Contains("YL-2026-000001"));
    }
}

/// <summary>Helpers of the evidence tests (also used by the sandbox's).</summary>
public static class Media
{
    /// <summary>A small PNG-looking picture; <paramref name="seed"/> makes each one different.</summary>
    public static byte[] Png(int seed, int size = 2048)
    {
        var b = new byte[size];
        new Random(seed).NextBytes(b);
        byte[] magic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        magic.CopyTo(b, 0);
        return b;
    }

    /// <summary>Waits until no download is due or running, then until the outbox has sent what they caused.</summary>
    public static async Task SettledAsync(BotFactory f)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using (var db = f.NewDb())
            {
                var now = f.Time.GetUtcNow();
                if (!await db.Evidence.AnyAsync(e => e.Status == EvidenceStatus.Pending && (e.NextAttemptAt <= now || e.ClaimedBy != null))) break;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("evidence downloads not settled");
            await Task.Delay(25);
        }

        await KfCustomer.OutboxDrainedAsync(f);
    }

}
