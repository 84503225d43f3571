using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Import;
using RapidResponse.Domain.Persistence;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Import;

public sealed class ImportCommandTests
{
    private static async Task<(int Code, string Output, string Error)> Run(BotFactory host, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ImportCommand.RunAsync(host.Services, args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string Write(BotFactory host, string name, string text)
    {
        var path = Path.Combine(host.Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("import")]
    [InlineData("import regions")]
    [InlineData("import regions a.csv extra")]
    [InlineData("import people a.csv")]
    public async Task RunAsync_ShouldExit2WithUsage_WhenArgumentsAreWrong(string commandLine)
    {
        await using var host = new BotFactory();
        var (code, output, error) = await Run(host, commandLine.Split(' '));

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("dotnet run --project src/Bot -- import <kind> <file>", error);
        Assert.Contains("regions（区域）", error);
    }

    [Fact]
    public async Task RunAsync_ShouldExit2_WhenFileDoesNotExist()
    {
        await using var host = new BotFactory();
        var (code, _, error) = await Run(host, "import", "regions", Path.Combine(host.Directory, "missing.csv"));

        Assert.Equal(2, code);
        Assert.Contains("找不到文件", error);
    }

    [Fact]
    public async Task RunAsync_ShouldExit0AndPrintSummary_WhenEveryRowIsImported()
    {
        await using var host = new BotFactory();
        var (code, output, error) = await Run(host, "import", "regions", Path.Combine(RepoPaths.Samples, "regions.csv"));

        Assert.Equal(0, code);
        Assert.Equal("区域（regions）：新增 14，更新 0，未变 0，拒绝 0" + Environment.NewLine, output);
        Assert.Empty(error);
        await using var scope = host.Services.CreateAsyncScope();
        Assert.Equal(14, await scope.ServiceProvider.GetRequiredService<BotDb>().Regions.CountAsync());
    }

    [Fact]
    public async Task RunAsync_ShouldExit1AndPrintLineErrors_WhenSomeRowsAreRejected()
    {
        await using var host = new BotFactory();
        var path = Write(host, "regions.csv", "code,name,parent_code,level,备注\n990101,示范县,,county,\n990101001,东岭镇,990109,乡镇,\n990101002,南川乡,990101,乡镇,\n");

        var (code, output, _) = await Run(host, "import", "regions", path);

        Assert.Equal(1, code);
        Assert.Equal(
            string.Join(Environment.NewLine,
                "区域（regions）：新增 2，更新 0，未变 0，拒绝 1",
                "  提示：忽略了不认识的列：备注",
                "  第3行：上级代码 990109 不存在：请先导入上级区域，或把它也写进本文件",
                ""),
            output);
    }

    [Fact]
    public async Task RunAsync_ShouldExit1AndNameTheHeaderProblem_WhenColumnsAreMissing()
    {
        await using var host = new BotFactory();
        var path = Write(host, "groups.csv", "region_code,purpose,chat\n990101,bulletin,x\n");

        var (code, output, error) = await Run(host, "import", "groups", path);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("第1行（列名行）有问题：缺少列 chat_id,webhook_key", error);
        Assert.Contains("没有导入任何行", error);
    }

    [Fact]
    public async Task RunAsync_ShouldLoadDemoCounty_WhenKindIsSamples()
    {
        await using var host = new BotFactory();
        var (code, output, _) = await Run(host, "import", "samples", RepoPaths.Samples);

        Assert.Equal(0, code);
        Assert.Contains("农户（households）：新增 200，更新 0，未变 0，拒绝 0", output);
        Assert.Contains("群聊（groups）：新增 5，更新 0，未变 0，拒绝 0", output);
    }
}
