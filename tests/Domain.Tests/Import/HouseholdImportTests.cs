using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Tests.Import;

public sealed class HouseholdImportTests
{
    private const string Header = "household_no,head_name,id_number,phone,village_code,category,members,income_per_capita,contact_userid";
    private static readonly string Id1 = ImportTestDatabase.Id("19900228", 1);
    private static readonly string Id2 = ImportTestDatabase.Id("19621105", 2);
    private static readonly string Id3 = ImportTestDatabase.Id("19751231", 3);
    private static readonly string Id4 = ImportTestDatabase.Id("19800101", 4);

    [Fact]
    public async Task ImportHouseholds_ShouldStoreEveryColumn_WhenFileIsGood()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        var r = await t.ImportCsvAsync(ImportKind.Households, $"""
            {Header},card
            H1,王甲子,{Id1},13800000001,990101001001,边缘易致贫户,4,"6,500.5",vc_a,黄
            H2,李乙丑,{Id2[..17]}{char.ToLowerInvariant(Id2[17])},,990101001001,,1,12000,,
            """);

        Assert.Equal((2, 0), (r.Added, r.Rejected));
        await using var db = t.NewDb();
        var h1 = await db.Households.SingleAsync(x => x.HouseholdNo == "H1");
        Assert.Equal(("王甲子", Id1, "13800000001", "990101001001"), (h1.HeadName, h1.IdNumber, h1.Phone, h1.VillageCode));
        Assert.Equal((HouseholdCategory.MarginalAtRisk, CardColour.Yellow, 4, 6500.5m, "vc_a"), (h1.Category, h1.Card, h1.Members, h1.IncomePerCapita, h1.ContactUserId));
        var h2 = await db.Households.SingleAsync(x => x.HouseholdNo == "H2");
        Assert.Equal((HouseholdCategory.Ordinary, CardColour.None, null, Id2.ToUpperInvariant()), (h2.Category, h2.Card, h2.Phone, h2.IdNumber));
    }

    [Fact]
    public async Task ImportHouseholds_ShouldReadNoLabourCapacity_WithLowIncomeSupportAndDestituteImplyingIt()
    {
        // 丰都 第五步: 整户丧失劳动能力的（含正在享受农村低保或特困人员救助供养的监测对象）. An older file without the column still imports.
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        var old = await t.ImportCsvAsync(ImportKind.Households, $"""
            {Header}
            H1,王甲子,{Id1},,990101001001,边缘易致贫户,1,5000,
            """);
        Assert.Equal((1, 0), (old.Added, old.Rejected));
        var r = await t.ImportCsvAsync(ImportKind.Households, $"""
            {Header},no_labour_capacity
            H1,王甲子,{Id1},,990101001001,边缘易致贫户,1,5000,,特困
            H2,李乙丑,{Id2},,990101001001,脱贫不稳定户,3,5600,,低保
            H3,张丙寅,{Id3},,990101001001,一般农户,2,15000,,
            H4,刘丁卯,{Id4},,990101001001,一般农户,2,15000,,也许
            """);
        Assert.Equal((2, 1, 1), (r.Added, r.Updated, r.Rejected));
        Assert.Equal(new ImportError(5, "整户无劳动能力（no_labour_capacity）“也许”不认识，可填 是/否/低保/特困，不填视为“否”"), r.Errors.Single());
        await using (var db = t.NewDb())
            Assert.Equal([("H1", true), ("H2", true), ("H3", false)],
                (await db.Households.OrderBy(x => x.HouseholdNo).Select(x => new { x.HouseholdNo, x.NoLabourCapacity }).ToListAsync()).Select(x => (x.HouseholdNo, x.NoLabourCapacity)));
        // A later file without the column keeps what was given.
        await t.ImportCsvAsync(ImportKind.Households, $"""
            {Header}
            H1,王甲子,{Id1},,990101001001,边缘易致贫户,1,5100,
            """);
        await using (var db = t.NewDb()) Assert.True((await db.Households.SingleAsync(x => x.HouseholdNo == "H1")).NoLabourCapacity);
    }

    [Fact]
    public async Task ImportHouseholds_ShouldRejectBadRowsWithLineAndMaskedReason_WhenGoodRowsAreImported()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        var wrongCheck = Id2[..17] + (Id2[17] == '0' ? '1' : '0');
        var r = await t.ImportCsvAsync(ImportKind.Households, $"""
            {Header}
            H1,王甲子,{Id1},13800000001,990101001001,脱贫户,3,8000,vc_a
            H2,李乙丑,{wrongCheck},13800000002,990101001001,脱贫户,3,8000,
            H3,张丙寅,{Id3},12345,990101001001,一般农户,2,15000,
            H4,刘丁卯,{Id4},,990101001099,一般农户,2,15000,
            H1,陈戊辰,{ImportTestDatabase.Id("19700101", 5)},,990101001001,一般农户,2,15000,
            H6,杨己巳,{ImportTestDatabase.Id("19700101", 6)},,990101001001,一般农户,2,15000,nobody
            H7,"赵,庚
            午",{ImportTestDatabase.Id("19700101", 7)},,990101001001,一般农户,2,15000,
            H8,黄辛未,{ImportTestDatabase.Id("19700101", 8)},,990101001,一般农户,2,15000,
            H9,周壬申,{Id1},,990101001001,一般农户,2,15000,
            H10,吴癸酉,{ImportTestDatabase.Id("19700101", 10)},,990101001001,贫困户,0,约一万,
            H11,徐甲戌,19900230123,,990101001001,,2,15000,
            """);

        Assert.Equal((2, 9), (r.Added, r.Rejected));
        Assert.Equal(
        [
            new ImportError(3, $"身份证号校验位不对（最后一位），请核对后重新填写（本行填的是 9901**********{wrongCheck[^4..]}）"),
            new ImportError(4, "电话号码格式不对：手机号应为1开头的11位数字，例如13800001234；座机请带区号，例如0371-12345678（本行填了5位）"),
            new ImportError(5, "村代码 990101001099 不存在：请先导入区域（regions）"),
            new ImportError(6, "户编号 H1 与第2行重复"),
            new ImportError(7, "帮扶联系人账号 nobody 不在人员名单中：请先导入人员（staff）"),
            new ImportError(10, "村代码 990101001 是乡镇，农户只能登记到村"),
            new ImportError(11, $"户主身份证号 9901**********{Id1[^4..]} 与第2行重复"),
            new ImportError(12, "农户类别“贫困户”不认识，可填 一般农户/脱贫户/脱贫不稳定户/边缘易致贫户/突发严重困难户；家庭人口“0”应是1到99之间的整数，例如 4；人均纯收入“约一万”应是不小于0的数字（元/年），例如 6900"),
            new ImportError(13, "身份证号应为18位，这里是11位（本行填的是 1990***0123）"),
        ], r.Errors);
        Assert.DoesNotContain(r.Errors, e => e.Reason.Contains(Id1) || e.Reason.Contains(wrongCheck));
        await using var db = t.NewDb();
        Assert.Equal(["H1", "H7"], await db.Households.OrderBy(x => x.HouseholdNo).Select(x => x.HouseholdNo).ToListAsync());
        Assert.Equal("赵,庚\n午", (await db.Households.SingleAsync(x => x.HouseholdNo == "H7")).HeadName);
    }

    [Fact]
    public async Task ImportHouseholds_ShouldRefuseIdNumber_WhenAnotherHouseholdInDatabaseHasIt()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        await t.ImportCsvAsync(ImportKind.Households, $"{Header}\nH1,王甲子,{Id1},,990101001001,脱贫户,3,8000,\n");
        var r = await t.ImportCsvAsync(ImportKind.Households, $"{Header}\nH2,王甲子,{Id1},,990101001001,脱贫户,3,8000,\n");

        Assert.Equal([new ImportError(2, $"户主身份证号 9901**********{Id1[^4..]} 已登记在户 H1 名下：一个身份证号只能登记一户")], r.Errors);
    }

    [Fact]
    public async Task ImportHouseholds_ShouldCountUnchangedAndUpdated_WhenSameFileIsImportedAgain()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        var csv = $"""
            {Header},card
            H1,王甲子,{Id1},13800000001,990101001001,边缘易致贫户,4,6500,vc_a,黄
            H2,李乙丑,{Id2},,990101001001,脱贫户,1,12000,,绿
            H3,张丙寅,{Id3},,990101001001,一般农户,5,20000,,
            """;
        var first = await t.ImportCsvAsync(ImportKind.Households, csv);
        var second = await t.ImportCsvAsync(ImportKind.Households, csv);
        var third = await t.ImportCsvAsync(ImportKind.Households, csv.Replace(",1,12000,", ",2,12000,"));
        // A file without the optional card column keeps the colours already on record.
        var withoutCard = await t.ImportCsvAsync(ImportKind.Households, $"{Header}\nH1,王甲子,{Id1},13800000001,990101001001,边缘易致贫户,4,6500,vc_a\n");

        Assert.Equal((3, 0, 0), (first.Added, first.Updated, first.Unchanged));
        Assert.Equal((0, 0, 3), (second.Added, second.Updated, second.Unchanged));
        Assert.Equal((0, 1, 2), (third.Added, third.Updated, third.Unchanged));
        Assert.Equal((0, 0, 1), (withoutCard.Added, withoutCard.Updated, withoutCard.Unchanged));
        await using var db = t.NewDb();
        Assert.Equal(3, await db.Households.CountAsync());
        Assert.Equal(2, (await db.Households.SingleAsync(x => x.HouseholdNo == "H2")).Members);
        Assert.Equal(CardColour.Yellow, (await db.Households.SingleAsync(x => x.HouseholdNo == "H1")).Card);
    }

    [Fact]
    public async Task ImportHouseholds_ShouldNotQueryPerRow_WhenFileHasThousandsOfRows()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        var sb = new System.Text.StringBuilder(Header).Append('\n');
        for (var i = 1; i <= 2000; i++)
            sb.Append($"H{i:00000},户主{i},{ImportTestDatabase.Id(new DateOnly(1950, 1, 1).AddDays(i).ToString("yyyyMMdd"), 1)},,990101001001,一般农户,3,15000,vc_a\n");
        var queries = new QueryCounter();

        var r = await t.ImportCsvAsync(ImportKind.Households, sb.ToString(), queries);
        var firstRun = queries.Count;
        var again = await t.ImportCsvAsync(ImportKind.Households, sb.ToString(), queries);

        Assert.Equal((2000, 0), (r.Added, r.Rejected));
        Assert.Equal(2000, again.Unchanged);
        // Regions and contacts once, then per batch of 500 one lookup of ID numbers and one of households: never a query per row.
        Assert.True(firstRun <= 12, $"first import ran {firstRun} queries");
        Assert.True(queries.Count - firstRun <= 12, $"second import ran {queries.Count - firstRun} queries");
    }

    [Fact]
    public async Task ImportHouseholds_ShouldRefuseRowsBeyondTheContactCap_WhenProfileLimitsHouseholdsPerContact()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        await t.ImportCsvAsync(ImportKind.Households, $"""
            {Header}
            H1,王甲子,{Id1},,990101001001,一般农户,4,6500,vc_a
            """);
        await using var db = t.NewDb();
        // 丰都: each contact person at most 2 households. H1 is already theirs; re-listing it does not count twice.
        var r = await new RosterImporter(db, t.Time, maxHouseholdsPerContact: 2).ImportAsync(ImportKind.Households, new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"""
            {Header}
            H1,王甲子,{Id1},,990101001001,一般农户,4,6500,vc_a
            H2,李乙丑,{Id2},,990101001001,一般农户,1,12000,vc_a
            H3,张丙寅,{Id3},,990101001001,一般农户,2,15000,vc_a
            """)), ImportFormat.Csv);
        Assert.Equal(1, r.Rejected);
        Assert.Equal(4, r.Errors.Single().Line);
        Assert.Contains("最多2户", r.Errors.Single().Reason);
    }
}
