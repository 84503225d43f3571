using RapidResponse.Domain.Calendar;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations.Alerts;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Bot.Conversations.Reports;
using RapidResponse.Bot.Conversations.Commands;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Bot.Conversations;

/// <summary>
/// Decides what an inbound message means for its sender: staff (a WeCom userid on the roster) get commands, alerts and
/// card actions; 微信客服 senders are farmers; unknown app senders are told how to get registered.
/// Changes and replies are saved together by the caller.
/// </summary>
public sealed class ConversationEngine(BotDb db, FormStore forms, Messenger messenger, ReportFlow reports, AlertFlow alerts,
    TaskActions actions, StaffCommands commands, ProgressQuery progress, TimeProvider time, EliminationFlow eliminations, Evidence.EvidenceIntake evidence)
{
    /// <summary>Handles one message; returns the label for a clicked card (passive reply), if any.</summary>
    public async Task<string?> HandleAsync(Inbound m, CancellationToken ct)
    {
        var staff = m.Channel == InboundChannel.Kf ? null : await db.Staff.FirstOrDefaultAsync(s => s.UserId == m.SenderId && s.Active, ct);
        if (staff is not null) return await StaffAsync(m, staff, ct);
        await FarmerAsync(m, m.Channel != InboundChannel.Kf, ct);
        return null;
    }

    private async Task<string?> StaffAsync(Inbound m, Staff s, CancellationToken ct)
    {
        if (m.Kind == InboundKind.CardClick) return (await actions.ClickAsync(m, s, ct)).Label;
        if (m.Kind == InboundKind.Enter)
        {
            // enter_agent comes every time a member opens the app: the help text at most once a day.
            if (await FirstEnterTodayAsync(m, ct)) messenger.Reply(m, "staff.help", new { Role = Access.Jurisdiction.RoleName(s.Role) });
            return null;
        }
        if (m.Kind == InboundKind.Media) { await MediaAsync(m, s, ct); return null; }
        var text = (m.Kind == InboundKind.MenuClick ? MenuText(m.Key) : m.Text)?.Trim() ?? "";
        var state = await forms.FindAsync(m, ct);
        if (state is null && m.Kind == InboundKind.Text && await evidence.TryTakeNoteAsync(m, text, StaffCommands.IsCommand(text) || AlertFlow.IsStart(text) || AlertFlow.IsOneShot(text), ct))
            return null;
        if (state is not null)
        {
            switch (state.Form)
            {
                case NotePrompt.FormName: await actions.NoteAsync(m with { Text = text }, s, FormStore.Read<NotePrompt>(state), ct); return null;
                case ConsentPrompt.FormName: await eliminations.ConsentAsync(m with { Text = text }, s, FormStore.Read<ConsentPrompt>(state), ct); return null;
                case AlertFlow.FormName when !AlertFlow.IsOneShot(text): await alerts.ContinueAsync(m with { Text = text }, s, FormStore.Read<AlertDraft>(state), ct); return null;
            }
        }
        if (AlertFlow.IsOneShot(text)) { await alerts.OneShotAsync(m with { Text = text }, s, ct); return null; }
        if (AlertFlow.IsStart(text)) { await alerts.StartAsync(m, s, ct); return null; }
        if (await commands.TryHandleAsync(m with { Text = text }, s, ct)) return null;
        messenger.Reply(m, StaffCommands.LooksLikeCommand(text) ? "staff.help" : "staff.unknown", new { Role = Access.Jurisdiction.RoleName(s.Role) });
        return null;
    }

    private async Task FarmerAsync(Inbound m, bool unregisteredAppUser, CancellationToken ct)
    {
        if (m.Kind == InboundKind.Enter) { await EnterAsync(m, unregisteredAppUser, ct); return; }
        // Notices held while the 48-hour window was closed leave first, before the answer to this message (same commit, lower ids).
        if (m.Channel == InboundChannel.Kf)
        {
            var now = time.GetUtcNow();
            await db.Outbox.Where(x => x.Channel == OutboundChannel.Kf && x.Recipient == m.SenderId && x.Status == OutboxStatus.Pending && x.NotBefore > now)
                .ExecuteUpdateAsync(x => x.SetProperty(r => r.NotBefore, now), ct);
        }
        if (m.Kind == InboundKind.Media) { await MediaAsync(m, null, ct); return; }
        var text = (m.Kind == InboundKind.MenuClick ? MenuText(m.Key) : m.Text)?.Trim() ?? "";
        var state = await forms.FindAsync(m, ct);
        if (state is null && m.Kind == InboundKind.Text
            && await evidence.TryTakeNoteAsync(m, text, ReportFlow.IsOneShot(text) || ReportFlow.IsStart(text) || text is "进度" or "查询" or "查进度" or "帮助", ct))
            return;
        if (ReportFlow.IsOneShot(text)) { await reports.OneShotAsync(m with { Text = text }, ct); return; }
        if (state is { Form: ReportFlow.FormName }) { await reports.ContinueAsync(m with { Text = text }, FormStore.Read<ReportDraft>(state), ct); return; }
        if (ReportFlow.IsStart(text)) { await reports.StartAsync(m, ct); return; }
        if (text is "进度" or "查询" or "查进度") { await progress.ReplyAsync(m, ct); return; }
        messenger.Reply(m, unregisteredAppUser ? "app.unregistered" : "farmer.welcome");
    }

    /// <summary>
    /// A photo, voice message or file: queued as evidence of the open form or the latest open case (the answer follows the
    /// download). A report form waiting at its photo step goes on to the next question.
    /// </summary>
    private async Task MediaAsync(Inbound m, Staff? s, CancellationToken ct)
    {
        if (!await evidence.ReceiveAsync(m, s, ct)) return;
        if (s is null && await forms.FindAsync(m, ct) is { Form: ReportFlow.FormName } state)
            await reports.PhotoReceivedAsync(m, FormStore.Read<ReportDraft>(state), ct);
    }

    /// <summary>The menu a 微信客服 welcome offers: each item comes back as the word typed.</summary>
    public static readonly IReadOnlyList<string> WelcomeMenu = ["申报", "进度", "帮助"];

    public static string SceneKey(string externalUserId) => $"kf:scene:{externalUserId}";

    /// <summary>
    /// Someone opened the chat. 微信客服: one welcome through the entry's welcome_code (none without one: send_msg is refused
    /// before the customer has written), and the entry's scene_param (the village of the link) kept with the session.
    /// The app: the help text at most once a day.
    /// </summary>
    private async Task EnterAsync(Inbound m, bool appUser, CancellationToken ct)
    {
        if (m.Channel != InboundChannel.Kf)
        {
            if (await FirstEnterTodayAsync(m, ct)) messenger.Reply(m, appUser ? "app.unregistered" : "farmer.welcome");
            return;
        }

        if (!string.IsNullOrWhiteSpace(m.Key)) await SetAsync(SceneKey(m.SenderId), m.Key.Trim(), null, ct);
        if (!string.IsNullOrEmpty(m.WelcomeCode))
            messenger.KfWelcome(m.SenderId, m.OpenKfId, m.WelcomeCode, messenger.Templates.Render("farmer.welcome").TrimEnd(), WelcomeMenu);
    }

    private async Task<bool> FirstEnterTodayAsync(Inbound m, CancellationToken ct)
    {
        var key = $"enter:help:{(int)m.Channel}:{m.SenderId}";
        var today = Domain.Calendar.ChinaTime.DateOf(m.At).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var entry = await db.KeyValues.FirstOrDefaultAsync(x => x.Key == key, ct);
        if (entry?.Value == today) return false;
        await SetAsync(key, today, time.GetUtcNow().AddDays(2), ct);
        return true;
    }

    private async Task SetAsync(string key, string value, DateTimeOffset? expires, CancellationToken ct)
    {
        var entry = await db.KeyValues.FirstOrDefaultAsync(x => x.Key == key, ct);
        if (entry is null) db.KeyValues.Add(entry = new KeyValueEntry { Key = key, Value = value });
        entry.Value = value;
        entry.UpdatedAt = time.GetUtcNow();
        entry.ExpiresAt = expires;
        entry.Version++;
    }

    /// <summary>App menu keys map onto the same words people type (<see cref="AppMenu"/>, also what <c>wecom menu</c> sets).</summary>
    private static string? MenuText(string? key) => AppMenu.TextOf(key);
}

/// <summary>
/// "进度": the sender's own reports (filed from this channel, or joined to a case after proving the household) with stage and
/// due date. How a case ended, and why, only for a reporter verified as the household's.
/// </summary>
public sealed class ProgressQuery(BotDb db, Messenger messenger, CaseWorkflow workflow)
{
    public async Task ReplyAsync(Inbound m, CancellationToken ct)
    {
        var joined = db.AuditEvents.AsNoTracking().Where(a => a.Action == SelfReports.Joined && a.Actor == m.SenderId && a.CaseId != null).Select(a => a.CaseId);
        var numbers = await db.Cases.AsNoTracking()
            .Where(c => (c.ReporterId == m.SenderId && c.ReporterChannel == m.Channel) || joined.Contains((long?)c.Id))
            .OrderByDescending(c => c.Id).Select(c => c.Number).Take(10).ToListAsync(ct);
        var items = new List<object>();
        foreach (var n in numbers)
        {
            var c = (await workflow.LoadAsync(n, ct))!;
            var p = workflow.ClockFor(c).Profile;
            var stage = c.CurrentStage;
            // Someone else's case is listed only because this sender joined it after proving the household.
            var verified = c.ReporterId != m.SenderId || c.ReporterVerified;
            items.Add(new
            {
                c.Number,
                RiskTypes = string.Join("、", c.RiskTypes),
                Status = c.IsOpen ? $"正在{(stage is null ? "办理" : p.Stage(stage.Kind).Name)}"
                    : !verified ? "已办结，结果由村里当面告知"
                    : c.Outcome.ToChinese() + (c.Outcome == CaseOutcome.NotQualified ? $"（{c.DecisionReason}）" : ""),
                Due = c.IsOpen && stage?.DueAt is { } d ? DueText.Of(d) : null,
            });
        }
        messenger.Reply(m, "farmer.progress", new Dictionary<string, object?> { ["cases"] = items });
    }
}
