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
        var scopes = sp.GetRequiredService<IServiceScopeFactory>();
        var sim = new WeComSimulator(sp.GetRequiredService<TimeProvider>(), new SimulatorSettings { CorpId = CorpId, AgentId = AgentId, AppSecret = Secret })
        {
            MemberResolver = userId =>
            {
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<BotDb>();
                var active = db.Staff.AsNoTracking().Where(x => x.UserId.ToLower() == userId.ToLower()).Select(x => (bool?)x.Active).FirstOrDefault();
                // Someone who wrote to the app is a member inside its visible range (an enrolled villager).
                active ??= db.Inbox.AsNoTracking().Any(i => i.SenderId == userId && i.Channel == RapidResponse.Domain.Messaging.InboundChannel.App) ? true : null;
                return active switch { true => MemberStatus.Active, false => MemberStatus.Inactive, null => null };
            },
            ChatResolver = chatId =>
            {
                using var scope = scopes.CreateScope();
                return scope.ServiceProvider.GetRequiredService<BotDb>().Groups.AsNoTracking().Any(g => g.ChatId == chatId);
            },
            RobotResolver = key =>
            {
                using var scope = scopes.CreateScope();
                return scope.ServiceProvider.GetRequiredService<BotDb>().Groups.AsNoTracking().Any(g => g.WebhookKey == key);
            },
        };
        return sim;
    }
}
