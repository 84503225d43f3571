using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Bulletins;

namespace RapidResponse.Bot.Tests.Policy;

/// <summary>
/// 云龙 责任追溯 四(三): the county office records in chat that a listed 约谈 took place (约谈 编号/单位 已约谈 日期 备注), over the
/// encrypted callback into a real SQLite file; the listings are those a 通报 writes (InterviewAndReferralTests proves the listing).
/// </summary>
public sealed class InterviewCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 6, 10, 0, 0, TimeSpan.FromHours(8));

    private static (BotFactory F, HttpClient Http, ChatDriver Chat, long Town, long Dept) Start()
    {
        var f = new BotFactory(Now).WithWeCom();
        var http = f.CreateClient();
        using var db = f.NewDb();
        TestRoster.Seed(db);
        var listed = new DateTimeOffset(2026, 11, 2, 9, 10, 0, TimeSpan.FromHours(8));
        var town = new InterviewListing { Period = "2026-09~10", UnitKind = "township", UnitCode = TestRoster.TownA, UnitName = "城关镇", Problems = 4, Unrectified = 3, Level = InterviewLevel.Principal, ListedAt = listed };
        var dept = new InterviewListing { Period = "2026-09~10", UnitKind = "department", UnitCode = "JT", UnitName = "县教体局", Problems = 3, Unrectified = 3, Level = InterviewLevel.Deputy, ListedAt = listed };
        db.InterviewListings.AddRange(town, dept);
        db.SaveChanges();
        return (f, http, new ChatDriver(f), town.Id, dept.Id);
    }

    [Fact]
    public async Task YL四三_InterviewCommand_ShouldRecordTheInterviewAudited_ForTheCountyOfficeOnly()
    {
        var (f, http, chat, town, dept) = Start();
        using var _ = f;
        var office = new WeComUser(f, http, "co_1");

        // A bare 约谈 lists what is still to be recorded, with the 编号 to use.
        await office.SayAsync("约谈");
        Assert.Contains($"- 编号{town}：2026-09~10通报 城关镇，约谈主要领导", chat.LastTextTo("co_1"));
        Assert.Contains($"- 编号{dept}：2026-09~10通报 县教体局，约谈分管领导", chat.LastTextTo("co_1"));

        // Only the county office records it: a township lead (the interviewed unit itself) is refused, nothing is written.
        var lead = new WeComUser(f, http, "tl_a");
        await lead.SayAsync("约谈 城关镇 已约谈 11月5日");
        Assert.Contains("约谈登记由县级办公室办理（您是乡镇分管领导）", chat.LastTextTo("tl_a"));

        // Bad input: what was wrong and an example; nothing recorded.
        await office.SayAsync("约谈 城关镇 11月5日");
        Assert.Contains("没有看懂“约谈 城关镇 11月5日”", chat.LastTextTo("co_1"));
        Assert.Contains("例如：约谈 诺邓镇 已约谈 11月5日 约谈人：副县长李四 限11月底前全部整改", chat.LastTextTo("co_1"));
        await office.SayAsync("约谈 城关镇 已约谈 11月8日");
        Assert.Contains("约谈时间应在列入名单（2026-11-02 09:10）之后、不晚于现在", chat.LastTextTo("co_1"));
        await office.SayAsync("约谈 河口乡 已约谈 11月5日");
        Assert.Contains("没有找到待登记的约谈“河口乡”", chat.LastTextTo("co_1"));
        await office.SayAsync("约谈 城关镇 已约谈 11月31日");
        Assert.Contains("“11月31日”不是有效的日期", chat.LastTextTo("co_1"));
        using (var db = f.NewDb()) Assert.All(await db.InterviewListings.ToListAsync(), l => Assert.Null(l.HeldAt));

        // By unit name, with the date, the interviewer and a note; audited with the message and the county officer.
        await office.SayAsync("约谈 城关镇 已约谈 11月5日 约谈人：县长王某 限11月底前全部整改，电话13812345678");
        Assert.Equal("已登记：2026-09~10通报 城关镇（主要领导）于11月5日约谈，约谈人：县长王某；限11月底前全部整改，电话138****5678。登记已记入审计记录。",
            chat.LastTextTo("co_1"));
        // By 编号, without an interviewer: the rule's 分管领导 for a first listing.
        await office.SayAsync($"约谈 {dept} 已约谈");
        Assert.Contains("县教体局（分管领导）于11月6日约谈，约谈人：县委、县政府分管领导", chat.LastTextTo("co_1"));
        // Not twice.
        await office.SayAsync($"约谈 {town} 已约谈 11月6日");
        Assert.Contains("这次约谈已于2026-11-05 00:00登记", chat.LastTextTo("co_1"));

        using (var db = f.NewDb())
        {
            var t = await db.InterviewListings.SingleAsync(l => l.Id == town);
            Assert.Equal((new DateTimeOffset(2026, 11, 5, 0, 0, 0, TimeSpan.FromHours(8)), "县长王某", "限11月底前全部整改，电话138****5678"), (t.HeldAt!.Value, t.HeldBy, t.HeldNote));
            var d = await db.InterviewListings.SingleAsync(l => l.Id == dept);
            Assert.Equal(Now, d.RecordedAt);
            var audit = await db.AuditEvents.Where(a => a.Action == "interview.held").OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(2, audit.Count);
            Assert.All(audit, a => Assert.Equal(("co_1", "CountyOffice"), (a.Actor, a.ActorRole)));
            Assert.All(audit, a => Assert.False(string.IsNullOrEmpty(a.SourceMessageId)));
            Assert.Equal("2026-09~10 城关镇（主要领导）已约谈，约谈人：县长王某；限11月底前全部整改，电话138****5678", audit[0].Detail);
        }

        // The admin API sees the record the command wrote.
        var api = await f.AdminClient().GetStringAsync("/api/interviews?period=2026-09~10");
        Assert.Contains("县长王某", api);
    }
}
