using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.GoLive;
using RapidResponse.Bot.Import;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Bot.WeCom.Simulator;

namespace RapidResponse.Bot.Tests.GoLive;

/// <summary>
/// The bot with the test roster against the rule-keeping fake WeCom over real HTTP, whose address book is kept explicitly
/// (no fallback to the roster) so that a member WeCom does not know is unknown.
/// </summary>
internal static class GoLiveHost
{
    public static BotFactory Start(Action<BotFactory>? configure = null, bool addressBookFromRoster = true)
    {
        var f = new BotFactory().WithWeCom();
        f.Settings["WeCom:Kf:Secret"] = "kf-secret";
        f.Settings["WeCom:Kf:OpenKfIds:0"] = "wkvillageentry";
        configure?.Invoke(f);
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var sim = f.WeCom!.Simulator;
        sim.MemberResolver = null;
        sim.KfAccounts.Add("wkvillageentry");
        if (addressBookFromRoster) AddRosterToAddressBook(f);
        return f;
    }

    /// <summary>Every active roster person as a member of department 2 (under the root), mobile from the roster.</summary>
    public static void AddRosterToAddressBook(BotFactory f, params string[] except)
    {
        var sim = f.WeCom!.Simulator;
        sim.AddDepartment(2, "示范县");
        using var db = f.NewDb();
        foreach (var s in db.Staff.AsNoTracking().Where(s => s.Active).ToList())
            if (!except.Contains(s.UserId)) sim.AddPerson(s.UserId, s.Name, s.Phone, 2);
    }

    public static async Task<(int Code, string Output, string Error)> RunAsync(BotFactory f, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = args[0] == "import"
            ? await ImportCommand.RunAsync(f.Services, args, output, error)
            : await WeComCommand.RunAsync(f.Services, args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
