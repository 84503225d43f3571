using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations.Access;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Bot.Outbox;
using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Conversations.Delivery;

/// <summary>
/// What happens when WeCom says a staff member did not get an app message (protocol notes §4.2, §12: <c>invaliduser</c> /
/// <c>unlicenseduser</c> in a successful send, or 81013): the person is marked undeliverable on the roster with the reason,
/// the county office is told once per marking, and every open task that only they hold moves one level up (village →
/// township → county office) with the reason on the card. A later successful send to them clears the mark.
/// </summary>
public sealed class UndeliverableStaff(IServiceScopeFactory scopes, TimeProvider time, ILogger<UndeliverableStaff> log) : IRecipientFeedback
{
    private static readonly StaffRole[] VillageRoles = [StaffRole.GridMonitor, StaffRole.VillageCadre, StaffRole.WorkTeam];
    private static readonly StaffRole[] TownshipRoles = [StaffRole.TownshipOfficer, StaffRole.TownshipLead];

    /// <summary>
    /// invaliduser covers unknown, not activated and out-of-visible-range accounts, and WeCom does not say which (§4.2);
    /// unlicenseduser is precise.
    /// </summary>
    public static string ReasonOf(RecipientProblem p) => p == RecipientProblem.Unlicensed
        ? "未分配许可（企业微信报告该账号没有基础接口许可）"
        : "账号未激活或不在应用可见范围（企业微信报告该账号无效）";

    public async Task ReportAsync(OutboxMessage row, TransportResult result)
    {
        var sentTo = row.Recipient.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var bad = result.Undelivered.Select(u => u.UserId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        if (result.Outcome == TransportOutcome.Sent)
        {
            var reached = sentTo.Where(u => !bad.Contains(u)).ToList();
            if (reached.Count > 0 && await db.Staff.AnyAsync(s => reached.Contains(s.UserId) && s.UndeliverableSince != null))
            {
                var cleared = await db.Staff.Where(s => reached.Contains(s.UserId) && s.UndeliverableSince != null).ExecuteUpdateAsync(u => u
                    .SetProperty(s => s.UndeliverableReason, (string?)null).SetProperty(s => s.UndeliverableSince, (DateTimeOffset?)null));
                log.LogInformation("{Count} staff reachable again after outbox row {Id}", cleared, row.Id);
            }
        }

        // WeCom lower-cases the ids it lists (§4.2): match them back to the ids as sent.
        foreach (var u in result.Undelivered)
            await MarkAsync(scope.ServiceProvider, u with { UserId = sentTo.FirstOrDefault(x => x.Equals(u.UserId, StringComparison.OrdinalIgnoreCase)) ?? u.UserId }, row);
    }

    /// <summary>Marks one person (the first report only), moves their tasks, tells the county office: one transaction.</summary>
    private async Task MarkAsync(IServiceProvider services, UndeliveredRecipient u, OutboxMessage row)
    {
        var db = services.GetRequiredService<BotDb>();
        var now = time.GetUtcNow();
        var reason = ReasonOf(u.Problem);
        await using var tx = await db.Database.BeginTransactionAsync();
        // The conditional UPDATE decides who announces: only the report that turns the mark on, on any instance.
        var marked = await db.Staff.Where(s => s.UserId == u.UserId && s.UndeliverableSince == null).ExecuteUpdateAsync(x => x
            .SetProperty(s => s.UndeliverableReason, reason).SetProperty(s => s.UndeliverableSince, now)) == 1;
        var staff = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == u.UserId);
        if (staff is null)
        {
            // Not on the roster (a villager enrolled in the app, or a stale id): nothing to mark or move.
            log.LogInformation("WeCom did not deliver outbox row {Id} to {User}, who is not on the staff roster", row.Id, LogMask.Id(u.UserId));
            return;
        }

        var moved = await MoveTasksAsync(services, staff, now);
        if (marked)
        {
            db.AuditEvents.Add(new AuditEvent
            {
                At = now, Actor = "system", ActorRole = "system", Action = "staff.undeliverable",
                Detail = $"{staff.Name}（{Jurisdiction.RoleName(staff.Role)}）收不到企业微信消息：{reason}；转交任务{moved}项",
            });
            await NoticeAsync(services, staff, reason, moved, now);
            log.LogWarning("Staff {User} marked undeliverable ({Problem}) after outbox row {Id}; {Moved} task(s) moved up",
                LogMask.Id(staff.UserId), u.Problem, row.Id, moved);
        }

        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    /// <summary>
    /// Open tasks whose every holder is now undeliverable go to the first reachable person one level up. The assignee stays
    /// responsible; <see cref="StageAssignment.EscalatedTo"/> holds it meanwhile, its card under a fresh card task_id
    /// (WeCom takes a task_id once per app, §12).
    /// </summary>
    private async Task<int> MoveTasksAsync(IServiceProvider services, Staff person, DateTimeOffset now)
    {
        var db = services.GetRequiredService<BotDb>();
        var workflow = services.GetRequiredService<CaseWorkflow>();
        var cards = services.GetRequiredService<TaskCards>();
        var access = services.GetRequiredService<Jurisdiction>();
        var messenger = services.GetRequiredService<Messenger>();
        var dept = person.Role == StaffRole.DepartmentOfficer ? person.DepartmentCode : null;
        var taskIds = await db.Assignments.AsNoTracking()
            .Where(a => a.CompletedAt == null && a.Stage!.CompletedAt == null)
            .Where(a => a.EscalatedTo == person.UserId
                        || (a.EscalatedTo == null && a.AssigneeKind == AssigneeKind.Staff && a.AssigneeId == person.UserId)
                        || (a.EscalatedTo == null && a.AssigneeKind == AssigneeKind.Department && a.AssigneeId == dept))
            .Select(a => a.TaskId).ToListAsync();
        var moved = 0;
        foreach (var taskId in taskIds)
        {
            var c = await workflow.LoadByTaskAsync(taskId);
            var task = c?.Stages.SelectMany(s => s.Assignments).FirstOrDefault(a => a.TaskId == taskId);
            if (c is null || task is null) continue;
            var stage = c.Stages.First(s => s.Assignments.Contains(task));
            var holders = await cards.HoldersAsync(task);
            // Someone else still holds it (another officer of the department): it is not lost.
            if (await db.Staff.AnyAsync(s => holders.Contains(s.UserId) && s.Active && s.UndeliverableSince == null)) continue;
            var levelOf = task.EscalatedTo is { } e ? await RoleOf(db, e) : task.AssigneeKind == AssigneeKind.Department ? StaffRole.DepartmentOfficer : await RoleOf(db, task.AssigneeId);
            var up = await NextUpAsync(db, access, c, levelOf, holders);
            if (up is null)
            {
                log.LogWarning("Task {Task} of {Case}: no reachable holder and nobody reachable one level up", taskId, c.Number);
                continue;
            }

            var profile = workflow.ClockFor(c).Profile;
            var why = $"原办理人{person.Name}（{Jurisdiction.RoleName(person.Role)}）收不到企业微信消息：{person.UndeliverableReason}";
            task.EscalatedTo = up.UserId;
            task.EscalationReason = why;
            // A fresh card task_id of the same task ({task}@{n}, as for holders added later): WeCom takes a task_id once.
            var key = CardRows.DedupeKey(task.TaskId);
            var cardsSent = await db.Outbox.AsNoTracking().CountAsync(o => o.Kind == OutboundKind.Card && o.DedupeKey != null && (o.DedupeKey == key || o.DedupeKey.StartsWith(key + "@")));
            var card = await cards.BuildAsync(c, stage, profile);
            messenger.Card([up.UserId], card with { TaskId = $"{task.TaskId}@{cardsSent + 1}", Fields = [.. card.Fields, new CardField("转办原因", why)] });
            db.AuditEvents.Add(new AuditEvent
            {
                CaseId = c.Id, At = now, Actor = "system", ActorRole = "system", Action = "task.escalated_undeliverable",
                Detail = $"{profile.Stage(stage.Kind).Name}任务转交{up.Name}（{Jurisdiction.RoleName(up.Role)}）：{why}",
            });
            moved++;
        }

        return moved;
    }

    private static async Task<StaffRole> RoleOf(BotDb db, string userId) =>
        await db.Staff.AsNoTracking().Where(s => s.UserId == userId).Select(s => (StaffRole?)s.Role).FirstOrDefaultAsync() ?? StaffRole.VillageCadre;

    /// <summary>One level up from <paramref name="level"/> in the case's chain: village → township, township / department → county office.</summary>
    private static async Task<Staff?> NextUpAsync(BotDb db, Jurisdiction access, Case c, StaffRole level, IReadOnlyList<string> holders)
    {
        var (_, township, county) = await access.ChainOf(c.VillageCode);
        var levels = new List<(string? Region, StaffRole[] Roles)>();
        if (VillageRoles.Contains(level)) levels.Add((township, TownshipRoles));
        levels.Add((county, [StaffRole.CountyOffice]));
        foreach (var (region, roles) in levels)
        {
            if (region is null) continue;
            var candidates = await db.Staff.AsNoTracking()
                .Where(s => s.RegionCode == region && s.Active && s.UndeliverableSince == null && roles.Contains(s.Role) && !holders.Contains(s.UserId))
                .ToListAsync();
            var pick = candidates.OrderBy(s => Array.IndexOf(roles, s.Role)).ThenBy(s => s.UserId, StringComparer.Ordinal).FirstOrDefault();
            if (pick is not null) return pick;
        }

        return null;
    }

    /// <summary>One text to each reachable county-office member; the dedupe key makes it once per person and marking.</summary>
    private static async Task NoticeAsync(IServiceProvider services, Staff person, string reason, int moved, DateTimeOffset since)
    {
        var db = services.GetRequiredService<BotDb>();
        var messenger = services.GetRequiredService<Messenger>();
        var office = await db.Staff.AsNoTracking()
            .Where(s => s.Role == StaffRole.CountyOffice && s.Active && s.UndeliverableSince == null && s.UserId != person.UserId)
            .Select(s => s.UserId).ToListAsync();
        var region = await db.Regions.AsNoTracking().Where(r => r.Code == person.RegionCode).Select(r => r.Name).FirstOrDefaultAsync() ?? person.RegionCode;
        var model = new
        {
            person.Name, person.UserId, Role = Jurisdiction.RoleName(person.Role), Region = region, Phone = Mask.Phone(person.Phone), Reason = reason, Moved = moved,
        };
        foreach (var o in office)
            messenger.ToStaff(o, "staff.undeliverable", model, $"undeliverable:{person.UserId}:{since.UtcTicks}:{o}");
    }
}
