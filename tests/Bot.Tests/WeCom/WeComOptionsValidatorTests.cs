using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using RapidResponse.Bot.WeCom;

namespace RapidResponse.Bot.Tests.WeCom;

public class WeComOptionsValidatorTests
{
    private static WeComOptions Valid() => new()
    {
        CorpId = Vectors.CorpId, AgentId = 1000002, Secret = "s", Token = Vectors.Token, EncodingAESKey = Vectors.AesKey,
    };

    [Fact]
    public void Validate_ShouldSucceed_WhenEverythingIsSet() =>
        Assert.True(new WeComOptionsValidator().Validate(null, Valid()).Succeeded);

    [Fact]
    public void Validate_ShouldListEveryProblem_WhenSeveralSettingsAreWrong()
    {
        var result = new WeComOptionsValidator().Validate(null, new WeComOptions { EncodingAESKey = "short", ApiBaseUrl = "qyapi" });

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(6, failures.Count);
        Assert.Contains(failures, f => f.Contains("WeCom:EncodingAESKey"));
        Assert.Contains(failures, f => f.Contains("WeCom:ApiBaseUrl"));
        Assert.DoesNotContain(failures, f => f.Contains("short"));
    }

    [Theory]
    [InlineData(0, 500, 1, 200)]
    [InlineData(2000, 0, 1, 200)]
    [InlineData(2000, 500, 0, 200)]
    [InlineData(2000, 500, 1, -1)]
    public void Validate_ShouldRefuseTheCallbackLimit_WhenItCouldNotLetAnythingThrough(int burst, int perPeriod, int periodSeconds, int queue)
    {
        var options = Valid();
        options.CallbackLimit = new() { Burst = burst, PerPeriod = perPeriod, Period = TimeSpan.FromSeconds(periodSeconds), QueueLimit = queue };

        var result = new WeComOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.Contains("WeCom:CallbackLimit"));
    }

    [Fact]
    public void Validate_ShouldRequireBothKfCallbackSettings_WhenOnlyOneIsSet()
    {
        var options = Valid();
        options.Kf.Token = "kf";

        var result = new WeComOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.Contains("WeCom:Kf:EncodingAESKey"));
    }
}

public class WeComStartupTests
{
    [Fact]
    public void StartAsync_ShouldFailListingProblems_WhenWeComSectionIsIncomplete()
    {
        // The real app with only a CorpId: it turns WeCom on and refuses to start, naming every missing key.
        using var f = new RapidResponse.Bot.Tests.Infrastructure.BotFactory();
        f.Settings["WeCom:CorpId"] = Vectors.CorpId;

        var e = Record.Exception(() => f.StartServer());

        var failures = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
            if (x is OptionsValidationException v) failures.AddRange(v.Failures);
        Assert.Contains(failures, f => f.Contains("WeCom:EncodingAESKey"));
        Assert.Contains(failures, f => f.Contains("WeCom:Token"));
    }
}
