using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Import;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Tests.Import;

public sealed class RegionAndDepartmentImportTests
{
    [Fact]
    public async Task ImportRegions_ShouldAddAll_WhenParentComesLaterInFile()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        var r = await t.ImportCsvAsync(ImportKind.Regions, """
            code,name,parent_code,level
            990101001001,桃园村,990101001,村
            990101001,东岭镇,990101,township
            990101,示范县,,县
            """);

        Assert.Equal((3, 0, 0, 0), (r.Added, r.Updated, r.Unchanged, r.Rejected));
        await using var db = t.NewDb();
        var village = await db.Regions.SingleAsync(x => x.Code == "990101001001");
        Assert.Equal(("桃园村", "990101001", RegionLevel.Village), (village.Name, village.ParentCode, village.Level));
    }

    [Fact]
    public async Task ImportRegions_ShouldRejectBadRowsWithLineAndReason_WhenGoodRowsAreImported()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        var r = await t.ImportCsvAsync(ImportKind.Regions, """
            code,name,parent_code,level
            990101,示范县,,county
            990101001001,桃园村,990101001,village
            990101001,东岭镇,990101,township
            990101001002,石桥村,990101,village
            990101001003,柳溪村,990101009,village
            990101002,南川乡,990101,镇级
            990101002001,南川村,990101002,村
            990101001001,桃园村二,990101001,village
            990101003,,,乡镇
            """);

        Assert.Equal((3, 6), (r.Added, r.Rejected));
        Assert.Equal(
        [
            new ImportError(5, "层级不匹配：村的上级必须是乡镇，而 990101 是县"),
            new ImportError(6, "上级代码 990101009 不存在：请先导入上级区域，或把它也写进本文件"),
            new ImportError(7, "层级“镇级”不认识，可填 county/township/village 或 县/乡镇/村"),
            new ImportError(8, "上级代码 990101002 所在的第7行有错误未导入，本行也未导入"),
            new ImportError(9, "区域代码 990101001001 与第3行重复"),
            new ImportError(10, "区域名称不能为空；乡镇必须填写上级代码（所属县）"),
        ], r.Errors);
        await using var db = t.NewDb();
        Assert.Equal(["990101", "990101001", "990101001001"], await db.Regions.OrderBy(x => x.Code).Select(x => x.Code).ToListAsync());
    }

    [Fact]
    public async Task ImportRegions_ShouldUseDatabaseParents_WhenParentIsNotInFile()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        await t.SeedSmallCountyAsync();
        var r = await t.ImportCsvAsync(ImportKind.Regions, """
            code,name,parent_code,level
            990101001002,石桥村,990101001,village
            990101001003,柳溪村,990101001001,village
            """);

        Assert.Equal(1, r.Added);
        Assert.Equal([new ImportError(3, "层级不匹配：村的上级必须是乡镇，而 990101001001 是村")], r.Errors);
    }

    [Fact]
    public async Task ImportDepartments_ShouldSplitRiskTypesAndAcceptChineseKinds_WhenFileIsGood()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        var r = await t.ImportCsvAsync(ImportKind.Departments, """
            code,name,kind,risk_types
            WJ,县卫健委,close,因病
            YJ,县应急管理局,相关,因灾、因意外事故
            MZ,县民政局,密切监测,其他;因意外事故|因残
            CZ,县财政局,related,
            """);

        Assert.Equal((4, 0), (r.Added, r.Rejected));
        await using var db = t.NewDb();
        var mz = await db.Departments.SingleAsync(x => x.Code == "MZ");
        Assert.Equal(DepartmentKind.CloseMonitoring, mz.Kind);
        Assert.Equal(["其他", "因意外事故", "因残"], mz.RiskTypes);
        Assert.Equal(DepartmentKind.Related, (await db.Departments.SingleAsync(x => x.Code == "YJ")).Kind);
        Assert.Empty((await db.Departments.SingleAsync(x => x.Code == "CZ")).RiskTypes);
    }

    [Fact]
    public async Task ImportDepartments_ShouldRejectUnknownKindAndRiskType_WhenRowsAreBad()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        var r = await t.ImportCsvAsync(ImportKind.Departments, """
            code,name,kind,risk_types
            WJ,县卫健委,紧急,因病
            YB,县医保局,close,因病;因穷
            县 人社,县人社局,related,
            """);

        Assert.Equal(0, r.Added);
        Assert.Equal(
        [
            new ImportError(2, "部门类别“紧急”不认识，可填 close/related/county_office 或 密切监测/相关/牵头单位"),
            new ImportError(3, "风险类型“因穷”不认识，可填：因病、因残、因学、因灾、因意外事故、产业失败、务工就业不稳、住房安全、饮水安全、其他（多个用;或、分隔）"),
            new ImportError(4, "部门代码“县 人社”只能由字母、数字、-、_组成（最多32位），例如 530102001"),
        ], r.Errors);
    }

    [Fact]
    public async Task Import_ShouldReportHeaderOnce_WhenRequiredColumnsAreMissing()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        var e = await Assert.ThrowsAsync<ImportFileException>(() => t.ImportCsvAsync(ImportKind.Regions, """
            code,名称,parent_code
            990101,示范县,
            990101001,东岭镇,990101
            """));

        Assert.Equal(1, e.Line);
        Assert.Equal("第1行（列名行）有问题：缺少列 name,level。区域文件的第一行应是：code,name,parent_code,level", e.Message);
    }

    [Fact]
    public async Task Import_ShouldWarnAndIgnore_WhenFileHasExtraColumnsInAnyOrder()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        var r = await t.ImportCsvAsync(ImportKind.Regions, "\uFEFFLevel, Name ,备注,code,parent_code\r\n县,示范县,演示,990101,\r\n\r\n");

        Assert.Equal((1, 0), (r.Added, r.Rejected));
        Assert.Equal(["忽略了不认识的列：备注"], r.Warnings);
    }

    [Fact]
    public async Task Import_ShouldSayFileIsEmpty_WhenThereIsNoHeader()
    {
        await using var t = await ImportTestDatabase.CreateAsync();
        var e = await Assert.ThrowsAsync<ImportFileException>(() => t.ImportCsvAsync(ImportKind.Groups, "\r\n \r\n"));
        Assert.Equal("文件是空的。第一行应是列名：region_code,purpose,chat_id,webhook_key", e.Message);
    }
}
