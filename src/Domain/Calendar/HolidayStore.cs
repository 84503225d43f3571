using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Domain.Calendar;

/// <summary>
/// Holiday years uploaded by the county office, kept in the database (KeyValues <c>calendar.holidays.{year}</c>, the file as
/// uploaded) so that every instance of a cluster reads the same years — a folder on one machine would reach only that one.
/// A stored year wins over the built-in one and over a file of <c>Calendar:ExtraDirectory</c> for the same year.
/// </summary>
public static class HolidayStore
{
    public const string KeyPrefix = "calendar.holidays.";

    /// <summary>Stores (or replaces) a checked year; the caller saves. Returns true when it replaced a stored one.</summary>
    public static async Task<bool> PutAsync(BotDb db, HolidayYear year, byte[] json, DateTimeOffset now, CancellationToken ct = default)
    {
        var key = KeyPrefix + year.Year;
        var text = System.Text.Encoding.UTF8.GetString(json);
        var row = await db.KeyValues.FirstOrDefaultAsync(k => k.Key == key, ct);
        if (row is null)
        {
            db.KeyValues.Add(new KeyValueEntry { Key = key, Value = text, UpdatedAt = now, Version = 1 });
            return false;
        }

        row.Value = text;
        row.UpdatedAt = now;
        row.Version++;
        return true;
    }

    /// <summary>What changes when any stored year does: each key with its version. Cheap, for polling.</summary>
    public static async Task<string> FingerprintAsync(BotDb db, CancellationToken ct = default)
    {
        var rows = await db.KeyValues.AsNoTracking().Where(k => k.Key.StartsWith(KeyPrefix)).Select(k => new { k.Key, k.Version }).ToListAsync(ct);
        return string.Join(',', rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}:{r.Version}"));
    }

    /// <summary>The stored years with when they were stored; a row that no longer parses is handed to <paramref name="bad"/> and left out.</summary>
    public static async Task<List<(HolidayYear Year, DateTimeOffset At)>> LoadAsync(BotDb db, Action<string, Exception>? bad = null, CancellationToken ct = default)
    {
        var rows = await db.KeyValues.AsNoTracking().Where(k => k.Key.StartsWith(KeyPrefix)).ToListAsync(ct);
        var years = new List<(HolidayYear, DateTimeOffset)>();
        foreach (var r in rows.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            try
            {
                using var s = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(r.Value));
                years.Add((HolidayYear.Parse(s), r.UpdatedAt));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or FormatException)
            {
                bad?.Invoke(r.Key, e);
            }
        }
        return years;
    }
}
