using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.WeCom;
using RapidResponse.Bot.WeCom.Simulator;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Sandbox;

/// <summary>
/// The sandbox's simulated corp: the WeCom client is configured with these (fictional) credentials and talks to the
/// <see cref="WeComSimulator"/> in-process. Its address book is the demo roster: active staff are active members.
/// </summary>
public static class SandboxWeCom
{
    public const string CorpId = "wwsandbox0000demo";
    public const long AgentId = 1000002;
    public const string Secret = "sandbox-app-secret";

    public static void Configure(WeComOptions o)
    {
        o.CorpId = CorpId;
        o.AgentId = AgentId;
        o.Secret = Secret;
        o.Token = "sandbox";
        o.EncodingAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        o.ApiBaseUrl = "http://wecom.sandbox.invalid";
    }

    public static WeComSimulator CreateSimulator(IServiceProvider sp)
    {
        var sim = new WeComSimulator(sp.GetRequiredService<TimeProvider>(), new SimulatorSettings { CorpId = CorpId, AgentId = AgentId, AppSecret = Secret });
        var scopes = sp.GetRequiredService<IServiceScopeFactory>();
        UseRoster(sim, scopes.CreateScope);
        return sim;
    }

    /// <summary>
    /// Makes the simulated corp's address book the bot's roster (the sandbox's and the tests' fake WeCom): active staff are
    /// active members, inactive staff inactive ones, someone who wrote to the app is a member inside its visible range;
    /// its group chats and robots are those of the roster's group bindings.
    /// </summary>
    public static void UseRoster(WeComSimulator sim, Func<IServiceScope> scope)
    {
        sim.MemberResolver = userId =>
        {
            using var s = scope();
            var db = s.ServiceProvider.GetRequiredService<BotDb>();
            var active = db.Staff.AsNoTracking().Where(x => x.UserId.ToLower() == userId.ToLower()).Select(x => (bool?)x.Active).FirstOrDefault();
            active ??= db.Inbox.AsNoTracking().Any(i => i.SenderId == userId && i.Channel == RapidResponse.Domain.Messaging.InboundChannel.App) ? true : null;
            return active switch { true => MemberStatus.Active, false => MemberStatus.Inactive, null => null };
        };
        sim.ChatResolver = chatId =>
        {
            using var s = scope();
            return s.ServiceProvider.GetRequiredService<BotDb>().Groups.AsNoTracking().Any(g => g.ChatId == chatId);
        };
        sim.RobotResolver = key =>
        {
            using var s = scope();
            return s.ServiceProvider.GetRequiredService<BotDb>().Groups.AsNoTracking().Any(g => g.WebhookKey == key);
        };
    }
}
