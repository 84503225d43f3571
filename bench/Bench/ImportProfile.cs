using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RapidResponse.Bench;

/// <summary>
/// `import --profile`: counts EF commands by SQL text (count, total time) and SaveChanges calls through EF's
/// DiagnosticListener, so the import's queries per row show without touching the code under test.
/// </summary>
public sealed class ImportProfile : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly ConcurrentDictionary<string, (int Count, double Ms)> _commands = new();
    private readonly List<IDisposable> _subs = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _saves;
    private double _saveMs;
    private TimeSpan _saveStarted;

    public ImportProfile() => _subs.Add(DiagnosticListener.AllListeners.Subscribe(this));

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == Microsoft.EntityFrameworkCore.DbLoggerCategory.Name) _subs.Add(value.Subscribe(this));
    }

    public void OnNext(KeyValuePair<string, object?> e)
    {
        if (e.Value is CommandExecutedEventData c)
        {
            var sql = c.Command.CommandText.ReplaceLineEndings(" ");
            if (sql.Length > 160) sql = sql[..160] + "…";
            _commands.AddOrUpdate(sql, (1, c.Duration.TotalMilliseconds), (_, v) => (v.Count + 1, v.Ms + c.Duration.TotalMilliseconds));
        }
        else if (e.Key == CoreEventId.SaveChangesStarting.Name) _saveStarted = _clock.Elapsed;
        else if (e.Key == CoreEventId.SaveChangesCompleted.Name) { _saves++; _saveMs += (_clock.Elapsed - _saveStarted).TotalMilliseconds; }
    }

    public void Print(int rows)
    {
        Console.WriteLine($"SaveChanges: {_saves} calls, {_saveMs / 1000:F1} s (wall, including the commands below)");
        Console.WriteLine("| commands | per row | total ms | sql |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (sql, (count, ms)) in _commands.OrderByDescending(x => x.Value.Ms).Take(25))
            Console.WriteLine($"| {count:N0} | {(double)count / rows:F2} | {ms:N0} | `{sql.Replace("|", "\\|")}` |");
    }

    public void OnCompleted() { }
    public void OnError(Exception error) { }
    public void Dispose() { foreach (var s in _subs) s.Dispose(); }
}
