using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RapidResponse.Bot.Conversations.Access;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Tests.Conversations;

/// <summary>Every role × action × in/out of jurisdiction (DESIGN §6), on a real database.</summary>
public sealed class AuthorizationMatrixTests : IClassFixture<AuthorizationMatrixTests.Host>
{
    public sealed class Host : IDisposable
    {
        public BotFactory F { get; } = new BotFactory().WithWeCom();
        public HttpClient Http { get; }
        public Host()
        {
            Http = F.CreateClient();
            using var db = F.NewDb();
            TestRoster.Seed(db);
        }
        public void Dispose() => F.Dispose();
    }

    private readonly Host _h;
    public AuthorizationMatrixTests(Host h) => _h = h;

    /// <summary>A case in VillageA1 (township A) walked to the given stage.</summary>
    private async Task<(Case Case, BotDb Db, IServiceScope Scope)> CaseAt(StageKind stage)
    {
        var scope = _h.F.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        var wf = scope.ServiceProvider.GetRequiredService<CaseWorkflow>();
        var c = await wf.OpenAsync(Channel.SelfReport, TestRoster.VillageA1, ["因病"], "住院花费大", Severity.General, new Actor("farmer", "farmer"));
        while (c.CurrentStage!.Kind != stage)
        {
            var s = c.CurrentStage!;
            var clock = wf.ClockFor(c);
            var result = Case.Allowed(s.Kind)[0];
            // Set-up only: a notice is taken as having run its five days (the behaviour under test is who may act, not when).
            if (c.NoticeEndsAt(s, clock) is { } ends) s.StartedAt -= ends - s.StartedAt + TimeSpan.FromMinutes(1);
            if (s.Kind == StageKind.Decision) c.Decide(true, null, new Actor("x", "x"), clock);
            else foreach (var a in s.Assignments.ToList()) if (a.IsOpen) c.CompleteTask(a.TaskId, result, "说明", new Actor("x", "x"), clock);
            await wf.AdvanceAsync(c, new Actor("x", "x"));
        }
        await db.SaveChangesAsync();
        return (c, db, scope);
    }

    // user, stage, allowed: gm_a1/vc_a1 = village A1, gm_b1 = other township's village, gm_a2 = other village same township,
    // to_a/tl_a = township A, to_b = township B, co_1 = county office, cl_1 = county leader, d_wj = 卫健 (has a comparison task), d_jt = 教体 (has none).
    [Theory]
    [InlineData("gm_a1", StageKind.Intake, true)]
    [InlineData("vc_a1", StageKind.Intake, true)]
    [InlineData("gm_a2", StageKind.Intake, false)]
    [InlineData("gm_b1", StageKind.Intake, false)]
    [InlineData("to_a", StageKind.Intake, true)]
    [InlineData("to_b", StageKind.Intake, false)]
    [InlineData("cl_1", StageKind.Intake, false)]
    [InlineData("d_wj", StageKind.Intake, false)]
    [InlineData("d_wj", StageKind.Comparison, true)]
    [InlineData("d_jt", StageKind.Comparison, false)]
    [InlineData("gm_a1", StageKind.Comparison, false)]
    [InlineData("to_a", StageKind.Comparison, false)]
    [InlineData("co_1", StageKind.Comparison, false)]
    [InlineData("to_a", StageKind.ForwardToVillage, true)]
    [InlineData("tl_a", StageKind.ForwardToVillage, true)]
    [InlineData("to_b", StageKind.ForwardToVillage, false)]
    [InlineData("gm_a1", StageKind.ForwardToVillage, false)]
    [InlineData("co_1", StageKind.ForwardToVillage, true)]
    [InlineData("cl_1", StageKind.ForwardToVillage, false)]
    [InlineData("vc_a1", StageKind.HouseholdCheck, true)]
    [InlineData("gm_b1", StageKind.HouseholdCheck, false)]
    [InlineData("d_wj", StageKind.HouseholdCheck, false)]
    [InlineData("gm_a1", StageKind.Appraisal, true)]
    [InlineData("gm_b1", StageKind.Appraisal, false)]
    [InlineData("to_a", StageKind.VillageNotice, true)]
    [InlineData("gm_a2", StageKind.VillageNotice, false)]
    [InlineData("to_a", StageKind.TownshipNotice, true)]
    [InlineData("gm_a1", StageKind.TownshipNotice, false)]
    // 云龙 预警机制 二(八) 报县级确定: the county office confirms, not the township.
    [InlineData("to_a", StageKind.Decision, false)]
    [InlineData("vc_a1", StageKind.Decision, false)]
    [InlineData("to_b", StageKind.Decision, false)]
    [InlineData("co_1", StageKind.Decision, true)]
    [InlineData("cl_1", StageKind.Decision, false)]
    [InlineData("to_a", StageKind.AssistanceStart, true)]
    [InlineData("gm_a1", StageKind.AssistanceStart, false)]
    public async Task CanAct_ShouldFollowRoleAndJurisdiction(string userId, StageKind stage, bool allowed)
    {
        var (c, db, scope) = await CaseAt(stage);
        using var _ = scope;
        var access = scope.ServiceProvider.GetRequiredService<Jurisdiction>();
        var staff = await db.Staff.SingleAsync(s => s.UserId == userId);
        var s = c.CurrentStage!;
        var task = s.Assignments.FirstOrDefault(a => Jurisdiction.IsHolder(staff, a)) ?? s.Assignments[0];
        var def = scope.ServiceProvider.GetRequiredService<CaseWorkflow>().ClockFor(c).Profile.Stage(stage);
        var d = await access.CanAct(staff, c, task, def);
        Assert.Equal(allowed, d.Allowed);
        if (!allowed) Assert.Matches("[\u4e00-\u9fa5]", d.Reason);
    }

    [Theory]
    [InlineData("gm_a1", true)]
    [InlineData("gm_a2", false)]
    [InlineData("to_a", true)]
    [InlineData("to_b", false)]
    [InlineData("co_1", true)]
    [InlineData("cl_1", true)]
    [InlineData("d_wj", true)]
    [InlineData("d_jt", false)]
    public async Task CanView_ShouldFollowJurisdiction_WhenCaseIsInComparison(string userId, bool allowed)
    {
        var (c, db, scope) = await CaseAt(StageKind.Comparison);
        using var _ = scope;
        var staff = await db.Staff.SingleAsync(s => s.UserId == userId);
        Assert.Equal(allowed, (await scope.ServiceProvider.GetRequiredService<Jurisdiction>().CanView(staff, c)).Allowed);
    }

    [Fact]
    public async Task Click_ShouldBeRefusedWithReason_WhenOutsideJurisdiction()
    {
        var (c, _, scope) = await CaseAt(StageKind.Intake);
        using var __ = scope;
        var task = c.CurrentStage!.Assignments[0].TaskId;
        var chat = new ChatDriver(_h.F);
        // A refused click gets no passive reply: the card keeps its buttons, the chat says why.
        Assert.Null(await new WeComUser(_h.F, _h.Http, "gm_b1").ClickAsync(task, "accept"));
        Assert.Contains("不由您办理", chat.LastTextTo("gm_b1"));
        Assert.Null(await new WeComUser(_h.F, _h.Http, "cl_1").ClickAsync(task, "accept"));
        Assert.Contains("只能查看", chat.LastTextTo("cl_1"));
        await new WeComUser(_h.F, _h.Http, "gm_b1").SayAsync($"案件 {c.Number}");
        Assert.Contains("不在您的管辖范围", chat.LastTextTo("gm_b1"));
        await new WeComUser(_h.F, _h.Http, "stranger").SayAsync("我的任务");
        Assert.Contains("还没有登记", chat.LastTextTo("stranger"));
    }
}
