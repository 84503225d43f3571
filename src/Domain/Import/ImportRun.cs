using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Domain.Import;

/// <summary>State of one import: the header's column positions, the counts and the rejected rows.</summary>
internal sealed class ImportRun(BotDb db, ImportKind kind, IReadOnlyDictionary<string, int> columns, DateOnly today, CancellationToken ct)
{
    /// <summary>Rows per database round trip: one IN-lookup and one SaveChanges per batch.</summary>
    public const int BatchSize = 500;

    private readonly List<ImportError> errors = [];
    private readonly Dictionary<string, Dictionary<string, int>> seen = [];

    public BotDb Db { get; } = db;
    public CancellationToken Ct { get; } = ct;
    public DateOnly Today { get; } = today;
    /// <summary>The profile's cap on households per contact person (丰都 2, 湘阴 5), or null for none.</summary>
    public int? MaxHouseholdsPerContact { get; init; }

    /// <summary>Finds accounts for staff rows that give only a phone; null: such rows are rejected.</summary>
    public IStaffAccountLookup? Accounts { get; init; }
    public int Added { get; private set; }
    public int Updated { get; private set; }
    public int Unchanged { get; private set; }

    /// <summary>The trimmed text of a column ("" when the row is short).</summary>
    public string Cell(TableRow row, string column) =>
        columns.TryGetValue(column, out var i) && i < row.Cells.Length ? row.Cells[i].Trim() : "";

    public bool HasColumn(string column) => columns.ContainsKey(column);

    public void Reject(int line, IEnumerable<string> reasons) => errors.Add(new ImportError(line, string.Join("；", reasons)));

    public void Reject(int line, string reason) => errors.Add(new ImportError(line, reason));

    /// <summary>The line where <paramref name="key"/> first appeared in this file under <paramref name="scope"/>, or null the first time.</summary>
    public int? SeenBefore(string scope, string key, int line)
    {
        if (key.Length == 0) return null;
        if (!seen.TryGetValue(scope, out var lines)) seen[scope] = lines = new(StringComparer.Ordinal);
        if (lines.TryGetValue(key, out var first)) return first;
        lines[key] = line;
        return null;
    }

    /// <summary>The line where <paramref name="key"/> first appeared under <paramref name="scope"/>, without recording anything.</summary>
    public int? FirstLine(string scope, string key) =>
        seen.TryGetValue(scope, out var lines) && lines.TryGetValue(key, out var first) ? first : null;

    public ImportResult Result(IReadOnlyList<string> warnings) =>
        new(kind.Name(), Added, Updated, Unchanged, errors.Count, [.. errors.OrderBy(e => e.Line)], warnings);

    /// <summary>
    /// Adds or updates <paramref name="items"/> by key, a batch at a time: one query loads the batch's existing rows,
    /// <paramref name="apply"/> copies the row's values and says whether anything changed, one SaveChanges writes the batch.
    /// </summary>
    public async Task UpsertAsync<TItem, TEntity>(
        IReadOnlyList<TItem> items,
        Func<TItem, string> key,
        Func<List<string>, IQueryable<TEntity>> existing,
        Func<TEntity, string> entityKey,
        Func<TItem, TEntity> create,
        Func<TEntity, TItem, bool> apply)
        where TEntity : class
    {
        foreach (var batch in items.Chunk(BatchSize))
        {
            var keys = batch.Select(key).Distinct().ToList();
            var found = await existing(keys).ToDictionaryAsync(entityKey, Ct);
            foreach (var item in batch)
            {
                if (found.TryGetValue(key(item), out var entity))
                {
                    if (apply(entity, item)) Updated++;
                    else Unchanged++;
                }
                else
                {
                    Db.Add(create(item));
                    Added++;
                }
            }
            await Db.SaveChangesAsync(Ct);
            Db.ChangeTracker.Clear();
        }
    }
}
