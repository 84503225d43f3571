using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Tests.Cases;

/// <summary>Tracking visits by household category, from the profile (湘阴 二(二)2(3)): a county's own profile file over the real host.</summary>
public sealed class TrackingVisitsTests
{
    [Theory]
    // 湘阴: “结对帮扶干部要对结对帮扶未脱贫户每月走访一次以上,对结对帮扶已脱贫户每季度走访一次以上”.
    [InlineData(HouseholdCategory.UnstableLiftedOut, "2026-11-12")]
    [InlineData(HouseholdCategory.LiftedOut, "2027-01-12")]
    public async Task Tracking_ShouldFollowTheVisitIntervalOfTheHouseholdCategory_XY二二2(HouseholdCategory category, string due)
    {
        using var f = new BotFactory().WithWeCom();
        string yunlong;
        await using (var shipped = typeof(Domain.Timelines.ProfileLoader).Assembly.GetManifestResourceStream("profiles.yunlong.json")!)
            yunlong = await new StreamReader(shipped).ReadToEndAsync();
        var xiangyin = yunlong.Replace("\"name\": \"yunlong\"", "\"name\": \"xiangyin\"").Replace("\"casePrefix\": \"YL\"", "\"casePrefix\": \"XY\"")
            .Replace("\"eliminationWindow\"", "\"trackingByCategory\": { \"unstableLiftedOut\": \"1m\", \"liftedOut\": \"3m\" },\n  \"eliminationWindow\"");
        var file = Path.Combine(f.Directory, "xiangyin.json");
        await File.WriteAllTextAsync(file, xiangyin);
        f.Settings["Timeline:Profile"] = file;
        f.CreateClient();
        using (var db = f.NewDb())
        {
            TestRoster.Seed(db);
            (await db.Households.SingleAsync(h => h.HouseholdNo == "H-A1-001")).Category = category;
            await db.SaveChangesAsync();
        }
        var number = await CaseWalker.OpenAtAsync(f, StageKind.Tracking);
        Assert.StartsWith("XY-", number);
        var c = await CaseWalker.LoadAsync(f, number);
        Assert.Equal(ChinaTime.EndOfDay(DateOnly.Parse(due)), c.CurrentStage!.DueAt);
        Assert.Equal("vc_a1", c.CurrentStage.Assignments.Single().AssigneeId);   // the household's helper (contact person)
    }
}
