using System.Text.Json;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Conversations;

/// <summary>Options of the conversation layer (section "Conversations").</summary>
public sealed class ConversationOptions
{
    public const string Section = "Conversations";

    /// <summary>A form with no answer for this long is discarded, with a notice to the person.</summary>
    public TimeSpan FormIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>How often the inbox is polled when idle.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Working days asked for when a deferral request names none.</summary>
    public int DefaultDeferralDays { get; set; } = 3;
    /// <summary>Reports (new or joined to an open case) one sender may file per Beijing day; the next one is refused with a reason.</summary>
    public int MaxReportsPerDay { get; set; } = 3;
    /// <summary>Failed identity checks (ID number, name, phone against the roster) one sender gets per Beijing day; after that none is tried.</summary>
    public int MaxIdentityChecksPerDay { get; set; } = 3;
    /// <summary>The report form asks for a photo (bills, the house) after the description; optional, 跳过 skips it.</summary>
    public bool AskPhoto { get; set; }
}

/// <summary>Persists a person's form in progress (survives restarts) as JSON in <see cref="ConversationState"/>.</summary>
public sealed class FormStore(BotDb db, TimeProvider time, ConversationOptions options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string KeyOf(Inbound m) => $"{(int)m.Channel}:{m.SenderId}";

    public async Task<(ConversationState State, T Data)?> GetAsync<T>(Inbound m, CancellationToken ct) where T : class
    {
        var s = await db.Conversations.FindAsync([KeyOf(m)], ct);
        if (s is null) return null;
        return (s, JsonSerializer.Deserialize<T>(s.Answers, Json)!);
    }

    public async Task<ConversationState?> FindAsync(Inbound m, CancellationToken ct) => await db.Conversations.FindAsync([KeyOf(m)], ct);

    public async Task SaveAsync<T>(Inbound m, string form, T data, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var s = await db.Conversations.FindAsync([KeyOf(m)], ct);
        if (s is null) { s = new ConversationState { Key = KeyOf(m), Form = form }; db.Conversations.Add(s); }
        // A form cleared earlier in the same message (one prompt answered, the next one asked) is kept, not deleted on save.
        else if (db.Entry(s).State == Microsoft.EntityFrameworkCore.EntityState.Deleted) db.Entry(s).State = Microsoft.EntityFrameworkCore.EntityState.Modified;
        s.Form = form;
        s.Answers = JsonSerializer.Serialize(data, Json);
        s.UpdatedAt = now;
        s.ExpiresAt = now + options.FormIdleTimeout;
    }

    public async Task ClearAsync(Inbound m, CancellationToken ct)
    {
        var s = await db.Conversations.FindAsync([KeyOf(m)], ct);
        if (s is not null) db.Conversations.Remove(s);
    }

    public static T Read<T>(ConversationState s) => JsonSerializer.Deserialize<T>(s.Answers, Json)!;
}
