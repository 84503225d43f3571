using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Tests.Import;

public sealed class SampleCountyTests
{
    [Fact]
    public async Task LoadAsync_ShouldImportDemoCountyWithoutRejects_WhenDatabaseIsEmpty()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await using var db = t.NewDb();

        var results = await SampleCounty.LoadAsync(db, ImportTestDatabase.SamplesDirectory);

        Assert.All(results, r => Assert.Empty(r.Errors));
        Assert.All(results, r => Assert.Empty(r.Warnings));
        Assert.Equal(["regions", "departments", "staff", "households", "groups"], results.Select(r => r.Kind));
        Assert.Equal([14, 14, 42, 200, 5], results.Select(r => r.Added));
        await using var check = t.NewDb();
        Assert.Equal(10, await check.Regions.CountAsync(x => x.Level == RegionLevel.Village));
        Assert.Equal(7, await check.Departments.CountAsync(x => x.Kind == DepartmentKind.CloseMonitoring));
        Assert.Equal(3, await check.Groups.CountAsync(x => x.Purpose == GroupPurpose.TownshipWork));
        // Every routed department code has its officer.
        foreach (var code in new[] { "WJ", "YB", "JT", "ZJ", "SL", "YJ", "CL", "MZ", "RS", "NY" })
            Assert.True(await check.Staff.AnyAsync(x => x.DepartmentCode == code && x.Role == StaffRole.DepartmentOfficer), code);
        // 丰都: a contact person has at most two households.
        Assert.True((await check.Households.Where(x => x.ContactUserId != null).GroupBy(x => x.ContactUserId).Select(g => g.Count()).ToListAsync()).All(n => n <= 2));
        Assert.All(await check.Households.Select(x => x.IdNumber).ToListAsync(), id => Assert.Null(IdNumber.Validate(id)));
    }

    [Fact]
    public async Task LoadAsync_ShouldChangeNothing_WhenRunTwice()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await using (var db = t.NewDb()) await SampleCounty.LoadAsync(db, ImportTestDatabase.SamplesDirectory);

        await using var again = t.NewDb();
        var results = await SampleCounty.LoadAsync(again, ImportTestDatabase.SamplesDirectory);

        Assert.All(results, r => Assert.Equal((0, 0, 0), (r.Added, r.Updated, r.Rejected)));
        Assert.Equal([14, 14, 42, 200, 5], results.Select(r => r.Unchanged));
    }

    [Fact]
    public async Task ImportHouseholds_ShouldGiveSameResult_WhenSameDataComesAsCsvOrXlsx()
    {
        await using var fromCsv = await ImportTestDatabase.CreateAsync();
        await using var fromXlsx = await ImportTestDatabase.CreateAsync();
        var dir = ImportTestDatabase.SamplesDirectory;
        foreach (var t in new[] { fromCsv, fromXlsx })
            foreach (var kind in new[] { ImportKind.Regions, ImportKind.Departments, ImportKind.Staff })
                await t.ImportFileAsync(kind, Path.Combine(dir, kind.Name() + ".csv"));

        var csv = await fromCsv.ImportFileAsync(ImportKind.Households, Path.Combine(dir, "households.csv"));
        var xlsx = await fromXlsx.ImportFileAsync(ImportKind.Households, Path.Combine(dir, "households.xlsx"));
        var xlsxOverCsv = await fromCsv.ImportFileAsync(ImportKind.Households, Path.Combine(dir, "households.xlsx"));

        Assert.Equal((200, 0), (csv.Added, csv.Rejected));
        Assert.Equal(csv with { Errors = [], Warnings = [] }, xlsx with { Errors = [], Warnings = [] });
        Assert.Equal((0, 0, 200), (xlsxOverCsv.Added, xlsxOverCsv.Updated, xlsxOverCsv.Unchanged));
        Assert.Equal(await Snapshot(fromCsv), await Snapshot(fromXlsx));
    }

    [Fact]
    public async Task ImportHouseholds_ShouldReportWorksheetRowNumbers_WhenXlsxHasBadRows()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        var rows = new List<Dictionary<string, object?>>
        {
            new() { ["household_no"] = "H1", ["head_name"] = "王甲子", ["id_number"] = ImportTestDatabase.Id("19900228", 1), ["phone"] = 13800000001d, ["village_code"] = "990101001001", ["category"] = "脱贫户", ["members"] = 3d, ["income_per_capita"] = 8000.5d, ["contact_userid"] = null },
            new() { ["household_no"] = null, ["head_name"] = null, ["id_number"] = null, ["phone"] = null, ["village_code"] = null, ["category"] = null, ["members"] = null, ["income_per_capita"] = null, ["contact_userid"] = null },
            new() { ["household_no"] = "H2", ["head_name"] = "李乙丑", ["id_number"] = 410102199001011234d, ["phone"] = null, ["village_code"] = "990101001001", ["category"] = "脱贫户", ["members"] = 3d, ["income_per_capita"] = 8000d, ["contact_userid"] = null },
        };
        var stream = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(stream, rows);
        stream.Position = 0;

        await using var db = t.NewDb();
        var r = await new RosterImporter(db, t.Time).ImportAsync(ImportKind.Households, stream, ImportFormat.Xlsx);

        Assert.Equal(1, r.Added);
        Assert.Equal([new ImportError(4, "身份证号被表格软件存成了数字，后几位已经丢失：请把这一列设为“文本”格式后重新填写")], r.Errors);
        await using var check = t.NewDb();
        var h1 = await check.Households.SingleAsync();
        Assert.Equal(("13800000001", 8000.5m), (h1.Phone, h1.IncomePerCapita));
    }

    [Fact]
    public async Task Import_ShouldRefuseFile_WhenXlsxIsGarbage()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await using var db = t.NewDb();
        var e = await Assert.ThrowsAsync<ImportFileException>(() =>
            new RosterImporter(db).ImportAsync(ImportKind.Regions, new MemoryStream("PK\u0003\u0004 not really a zip"u8.ToArray()), ImportFormat.Xlsx));
        Assert.Contains("不是有效的Excel工作簿", e.Message);
    }

    private static async Task<List<string>> Snapshot(ImportTestDatabase t)
    {
        await using var db = t.NewDb();
        return await db.Households.OrderBy(x => x.HouseholdNo)
            .Select(x => x.HouseholdNo + "|" + x.HeadName + "|" + x.IdNumber + "|" + x.Phone + "|" + x.VillageCode + "|" + x.Category + "|" + x.Card + "|" + x.Members + "|" + x.IncomePerCapita + "|" + x.ContactUserId)
            .ToListAsync();
    }
}
