using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Import;

/// <summary>The running profile's cap on households per contact person, through POST /api/import/households.</summary>
public sealed class ContactCapTests
{
    /// <summary>A GB 11643 number with a valid check digit (fictional).</summary>
    private static string Id(int seq)
    {
        var body = $"530101198001{(seq % 28) + 1:D2}{seq:D3}";
        int[] w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = body.Select((ch, i) => (ch - '0') * w[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }

    [Theory]
    // 湘阴 二(二)2(2) “每名帮扶责任人结对户数不得超过5户” (yunlong keeps 湘阴's cap); 丰都 第三步 “最多不超过2户”.
    [InlineData("yunlong", 5)]
    [InlineData("fengdu", 2)]
    public async Task ImportHouseholds_ShouldRefuseTheRowBeyondTheProfilesCap_XY二二2_FD第三步(string profile, int cap)
    {
        using var f = new BotFactory();
        f.Settings["Timeline:Profile"] = profile;
        f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);   // vc_a1 already looks after H-A1-001
        var csv = new StringBuilder("household_no,head_name,id_number,phone,village_code,category,members,income_per_capita,contact_userid\n");
        for (var i = 1; i <= 5; i++) csv.Append($"H-CAP-{i},户主{i},{Id(100 + i)},,{TestRoster.VillageA1},边缘易致贫户,3,5000,vc_a1\n");

        var res = await f.AdminClient().PostAsync("/api/import/households", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(cap - 1, body.GetProperty("added").GetInt32());
        var errors = body.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(5 - (cap - 1), errors.Count);
        Assert.Equal(cap + 1, errors[0].GetProperty("line").GetInt32());   // the first row beyond the cap (line 1 is the header)
        Assert.Contains($"每名联系人最多{cap}户", errors[0].GetProperty("reason").GetString());
    }
}
