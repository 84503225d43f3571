using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Conversations.Access;
using RapidResponse.Domain.Persistence;
using RapidResponse.Domain.Privacy;

namespace RapidResponse.Bot.Admin;

/// <summary><c>GET /api/staff/undeliverable</c>: staff WeCom reported it could not deliver to, with the reason (phones masked).</summary>
public static class StaffEndpoints
{
    public sealed record UndeliverableView(
        string UserId, string Name, string Role, string RegionCode, string? DepartmentCode, string Phone, string Reason, DateTimeOffset Since);

    public static RouteGroupBuilder MapStaffEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/staff/undeliverable", ListUndeliverableAsync);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<UndeliverableView>>> ListUndeliverableAsync(BotDb db, CancellationToken ct)
    {
        var staff = await db.Staff.AsNoTracking().Where(s => s.UndeliverableSince != null).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<UndeliverableView>>([.. staff.OrderBy(s => s.UndeliverableSince).ThenBy(s => s.UserId, StringComparer.Ordinal)
            .Select(s => new UndeliverableView(s.UserId, s.Name, Jurisdiction.RoleName(s.Role), s.RegionCode, s.DepartmentCode, Mask.Phone(s.Phone),
                s.UndeliverableReason ?? "", s.UndeliverableSince!.Value))]);
    }
}
