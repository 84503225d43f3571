using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Inbox;

/// <summary>PostgreSQL claims that keep several instances from working one person's inbound messages at the same time.</summary>
internal static class InboxClaims
{
    /// <summary>Advisory-lock namespace of inbox senders (the first key of the two-key form), so no other lock collides.</summary>
    private const int SenderLockSpace = 7401;

    /// <summary>
    /// Takes the sender's transaction-scoped advisory lock without waiting; false when another instance holds it (it is
    /// working this person's messages). Released at commit or rollback, also when the instance dies with its connection.
    /// </summary>
    public static async Task<bool> TryLockSenderAsync(BotDb db, string sender, CancellationToken ct) =>
        await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({SenderLockSpace}, hashtext({sender})) AS \"Value\"")
            .SingleAsync(ct);
}
