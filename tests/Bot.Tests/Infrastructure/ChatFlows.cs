using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Cases;

namespace RapidResponse.Bot.Tests.Infrastructure;

/// <summary>Longer walks through the real inbox that several tests need.</summary>
public static class ChatFlows
{
    /// <summary>Officers of the test roster's departments (ZJ and RS have none: avoid their risk types).</summary>
    private static readonly Dictionary<string, string> Officers = new() { ["WJ"] = "d_wj", ["YB"] = "d_yb", ["MZ"] = "d_mz", ["JT"] = "d_jt" };

    /// <summary>Clicks every card of the case as its holder would, stage by stage, until the township decides "does not qualify" with the reason.</summary>
    public static async Task DecideNotQualifiedAsync(BotFactory f, ChatDriver chat, string number, string reason)
    {
        for (var guard = 0; guard < 20; guard++)
        {
            Case c;
            using (var db = f.NewDb())
                c = await db.Cases.AsNoTracking().Include(x => x.Stages).ThenInclude(s => s.Assignments).SingleAsync(x => x.Number == number);
            if (c.State == CaseState.Closed) return;
            var stage = c.Stages.Single(s => s.CompletedAt == null);
            var task = stage.Assignments.First(a => a.CompletedAt == null);
            var user = task.AssigneeKind == AssigneeKind.Staff ? task.AssigneeId : Officers[task.AssigneeId];
            var key = stage.Kind switch
            {
                StageKind.Intake => "accept",
                StageKind.Comparison => "no_anomaly",
                StageKind.ForwardToVillage => "forward",
                StageKind.HouseholdCheck => "qualifies",
                // 云龙 预警机制 二(七): the village's democratic appraisal is the first level that can find the household does not qualify.
                StageKind.Appraisal or StageKind.Decision => "not_qualifies",
                _ => throw new InvalidOperationException($"{number} reached {stage.Kind}"),
            };
            await chat.ClickAsync(user, task.TaskId, key);
            if (key == "not_qualifies") await chat.SendAsync(user, reason);
        }
        throw new InvalidOperationException($"{number} did not reach a decision");
    }

    /// <summary>A GB 11643 ID number: the 17 digits given plus their check digit.</summary>
    public static string ValidId(string first17)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = first17.Select((ch, i) => (ch - '0') * weights[i]).Sum();
        return first17 + "10X98765432"[sum % 11];
    }
}
