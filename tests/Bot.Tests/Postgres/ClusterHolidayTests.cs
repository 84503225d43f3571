using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RapidResponse.Bot.Cases;
using RapidResponse.Domain.Calendar;

namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>
/// A holiday year stored by one instance of a PostgreSQL cluster (what the console's upload does) reaches the calendar of
/// every other instance at its next look, without a restart (Calendar:ReloadInterval).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterHolidayTests
{
    [PostgresFact]
    public async Task StoredYear_ShouldReachEveryInstancesCalendar_AtItsNextLook()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 2, 4, 9, 0, 0, TimeSpan.FromHours(8)));
        await using var c = await Cluster.StartAsync(2, new Dictionary<string, string?> { ["Calendar:ReloadInterval"] = "00:00:30" }, clock);
        var (first, second) = (c.Nodes[0].Services.GetRequiredService<WorkingCalendar>(), c.Nodes[1].Services.GetRequiredService<WorkingCalendar>());
        Assert.Equal(new DateOnly(2027, 2, 8), second.AddWorkingDays(new DateOnly(2027, 2, 4), 2)); // plain weekends

        // Node 1 takes the upload: stored in PostgreSQL, swapped in on node 1 at once (as HolidaysPage.UploadAsync does).
        var json = Encoding.UTF8.GetBytes("{\"year\":2027,\"source\":\"测试数据\",\"days\":["
            + string.Join(',', Enumerable.Range(6, 7).Select(d => $"{{\"date\":\"2027-02-{d:00}\",\"name\":\"春节\",\"isOffDay\":true}}")) + "]}");
        var (year, problems) = HolidayFile.Check(json);
        Assert.Empty(problems);
        await using (var db = c.Nodes[0].NewDb())
        {
            await HolidayStore.PutAsync(db, year!, json, clock.GetUtcNow());
            await db.SaveChangesAsync();
        }
        Assert.True(await c.Nodes[0].Services.GetRequiredService<CalendarReloader>().ReloadAsync());
        Assert.Equal(new DateOnly(2027, 2, 15), first.AddWorkingDays(new DateOnly(2027, 2, 4), 2));
        Assert.False(second.HasDataFor(2027));

        // Node 2 picks it up at its next look.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!second.HasDataFor(2027) && DateTime.UtcNow < deadline)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(100);
        }
        Assert.True(second.HasDataFor(2027));
        Assert.Equal(new DateOnly(2027, 2, 15), second.AddWorkingDays(new DateOnly(2027, 2, 4), 2));
        Assert.DoesNotContain(second.WarningsFor(2027), w => w.Contains("2027"));
    }
}
