using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Import;

public sealed class ImportEndpointTests
{
    private const string Regions = "code,name,parent_code,level\n990101,示范县,,county\n990101001,东岭镇,990101,乡镇\n990101001001,桃园村,990101001,村\n990101001002,石桥村,990101,村\n";

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    [Fact]
    public async Task PostImport_ShouldAnswer401_WhenTokenMissing()
    {
        await using var host = new BotFactory();
        var res = await host.CreateClient().PostAsync("/api/import/regions", Csv(Regions));
        Assert.Equal(HttpStatusCode.Unauthorized, res.StatusCode);
    }

    [Fact]
    public async Task PostImport_ShouldAnswerSummaryWithRowErrors_WhenRawCsvBodyIsPosted()
    {
        await using var host = new BotFactory();
        var res = await host.AdminClient().PostAsync("/api/import/regions", Csv(Regions));

        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("regions", body.GetProperty("kind").GetString());
        Assert.Equal(3, body.GetProperty("added").GetInt32());
        Assert.Equal(1, body.GetProperty("rejected").GetInt32());
        var error = body.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal(5, error.GetProperty("line").GetInt32());
        Assert.Equal("层级不匹配：村的上级必须是乡镇，而 990101 是县", error.GetProperty("reason").GetString());

        var again = await (await host.AdminClient().PostAsync("/api/import/regions", Csv(Regions))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 3), (again.GetProperty("added").GetInt32(), again.GetProperty("unchanged").GetInt32()));
    }

    [Fact]
    public async Task PostImport_ShouldImportSampleWorkbook_WhenUploadedAsMultipartFile()
    {
        await using var host = new BotFactory();
        var admin = host.AdminClient();
        foreach (var kind in new[] { "regions", "departments", "staff" })
        {
            var csv = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Samples, kind + ".csv"));
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/import/{kind}", new ByteArrayContent(csv))).StatusCode);
        }
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Samples, "households.xlsx")));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "households.xlsx");

        var res = await admin.PostAsync("/api/import/农户", form);

        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((200, 0), (body.GetProperty("added").GetInt32(), body.GetProperty("rejected").GetInt32()));
    }

    [Fact]
    public async Task PostImport_ShouldAnswer400WithKinds_WhenKindIsUnknown()
    {
        await using var host = new BotFactory();
        var res = await host.AdminClient().PostAsync("/api/import/people", Csv(Regions));

        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        var error = body.GetProperty("error").GetString()!;
        Assert.Contains("不认识的导入类别“people”", error);
        Assert.Contains("regions（区域）、departments（部门）、staff（人员）、households（农户）、groups（群聊）", error);
        Assert.Contains("Unknown import kind", error);
        Assert.Equal(5, body.GetProperty("kinds").GetArrayLength());
    }

    [Theory]
    [InlineData("application/octet-stream", new byte[] { 0xFF, 0xFE, 0x63, 0x00, 0x6F, 0x00 }, "文件是UTF-16编码")]
    [InlineData("application/octet-stream", new byte[] { 0x00, 0x01, 0x02, 0x41, 0x00 }, "文件里有二进制内容")]
    [InlineData("application/octet-stream", new byte[] { 0xC4, 0xE3, 0xBA, 0xC3, 0x2C, 0x0A }, "不是UTF-8编码")]
    [InlineData("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x01, 0x02 }, "不是有效的Excel工作簿")]
    [InlineData("text/csv", new byte[] { 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0x0A, 0x77, 0x6F, 0x72, 0x6C, 0x64 }, "第1行（列名行）有问题：缺少列 code,name,parent_code,level")]
    [InlineData("text/csv", new byte[0], "文件是空的")]
    public async Task PostImport_ShouldAnswer400WithMessage_WhenFileIsEmptyOrGarbage(string contentType, byte[] content, string message)
    {
        await using var host = new BotFactory();
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        var res = await host.AdminClient().PostAsync("/api/import/regions", body);

        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        var problem = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(message, problem.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PostImport_ShouldClearTheUndeliverableMark_WhenTheStaffRowIsImportedAgain()
    {
        await using var host = new BotFactory();
        var admin = host.AdminClient();
        await admin.PostAsync("/api/import/regions", Csv(Regions));
        const string staff = "wecom_userid,name,phone,role,region_code,department_code\ncadre_t,陈石,13800001111,村两委,990101001001,\ncadre_u,王木,,村两委,990101001001,\n";
        await admin.PostAsync("/api/import/staff", Csv(staff));
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapidResponse.Domain.Persistence.BotDb>();
            await db.Staff.ExecuteUpdateAsync(u => u.SetProperty(s => s.UndeliverableReason, "账号未激活或不在应用可见范围").SetProperty(s => s.UndeliverableSince, DateTimeOffset.UnixEpoch));
        }

        // The county fixed 陈石's account and imports the roster again: the same row is an update that clears the mark.
        var body = await (await admin.PostAsync("/api/import/staff", Csv("wecom_userid,name,phone,role,region_code,department_code\ncadre_t,陈石,13800001111,村两委,990101001001,\n"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("updated").GetInt32());
        using var check = host.Services.CreateScope();
        var rows = await check.ServiceProvider.GetRequiredService<RapidResponse.Domain.Persistence.BotDb>().Staff.AsNoTracking().OrderBy(s => s.UserId).ToListAsync();
        Assert.Equal((null, null), (rows[0].UndeliverableReason, rows[0].UndeliverableSince));
        Assert.NotNull(rows[1].UndeliverableSince); // not in this import: still marked
    }
}
