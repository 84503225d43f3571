namespace RapidResponse.Domain.Import;

/// <summary>The account found for a phone number, or why there is none (a plain-Chinese reason for the import report).</summary>
public sealed record StaffAccount(string? UserId, string? Problem)
{
    public static StaffAccount Found(string userId) => new(userId, null);

    public static StaffAccount Missing(string problem) => new(null, problem);
}

/// <summary>
/// Finds a staff member's messaging account by mobile number, for staff rows that give a phone and no account
/// (the host implements it with the corp's address book).
/// </summary>
public interface IStaffAccountLookup
{
    Task<StaffAccount> FindByPhoneAsync(string phone, CancellationToken ct);
}
