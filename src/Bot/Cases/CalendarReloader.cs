using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Cases;

/// <summary>
/// Keeps this instance's <see cref="WorkingCalendar"/> in step with the holiday years it can see: the built-in ones, the files
/// of <c>Calendar:ExtraDirectory</c> and the years uploaded on the console (<see cref="HolidayStore"/>, in the database, so every
/// instance of a PostgreSQL cluster picks an upload up). The instance that takes an upload reloads at once; every instance
/// polls every <c>Calendar:ReloadInterval</c> and swaps its table when something changed. Deadlines already computed are
/// stored with their stage and stay as they are; what is computed afterwards uses the new table.
/// </summary>
/// <remarks>
/// Takes the Calendar section read unvalidated (as the calendar does): it runs once before the host starts, and a bad value
/// is reported at start-up together with every other one.
/// </remarks>
public sealed class CalendarReloader(WorkingCalendar calendar, IServiceScopeFactory scopes, CalendarOptions options, TimeProvider time,
    ILogger<CalendarReloader> log) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _seen;

    /// <summary>Reads the sources; swaps the table when they changed since the last look (or always, with <paramref name="force"/>).</summary>
    /// <returns>True when the table was swapped.</returns>
    public async Task<bool> ReloadAsync(bool force = false, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDb>();
            var dir = options.ExtraDirectory;
            var print = DirectoryFingerprint(dir) + "|" + await HolidayStore.FingerprintAsync(db, ct);
            if (!force && print == _seen) return false;
            var stored = await HolidayStore.LoadAsync(db, (key, e) => log.LogWarning(e, "Stored holiday year {Key} does not parse and is left out", key), ct);
            calendar.Reload(WorkingCalendar.Compose(WorkingCalendar.BuiltInYears(), WorkingCalendar.ReadDirectory(dir), stored.Select(s => s.Year)));
            if (_seen is not null) log.LogInformation("Holiday years reloaded: {Years}", string.Join(", ", calendar.Years.Order()));
            _seen = print;
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A one-shot wait per round, not a PeriodicTimer: when the clock jumps (a host resumed after sleep, a test's clock moved
        // by months) the poll runs once, not once for every interval that the jump skipped.
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.ReloadInterval, time, stoppingToken);
                try { await ReloadAsync(false, stoppingToken); }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // A half-written file or a database hiccup: keep the table in use and look again at the next tick.
                    log.LogWarning(e, "Holiday years not reloaded; the calendar keeps the years it has");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static string DirectoryFingerprint(string? dir) =>
        dir is null || !Directory.Exists(dir)
            ? ""
            : string.Join(',', Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal)
                .Select(f => new FileInfo(f)).Select(f => $"{f.Name}:{f.Length}:{f.LastWriteTimeUtc.Ticks}"));
}
