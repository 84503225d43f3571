using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace RapidResponse.Domain.Persistence;

/// <summary>
/// Adds graphs of new entities (cases with their stages, tasks, ladder steps and audit) to what the context has pending,
/// saves everything and clears the change tracker, for thousands of rows at a time (a department list import in chunks).
/// <para>
/// On SQLite the graphs are never tracked: they and the entities tracked as Added are written through one prepared INSERT
/// per table, re-bound per row, reading generated keys back with RETURNING and setting them, and the foreign keys that
/// point at them, on the objects as SaveChanges would; other changes (the case counter) then go through SaveChanges.
/// EF Core's SQLite provider sends every row as its own command, compiled again each time, and tracking a graph costs
/// more than writing it: that was most of a 50,000-case import.
/// </para>
/// PostgreSQL (whose provider batches) and anything the model makes unusual (owned or derived types, defaults or other
/// store-generated values besides the key, deletions) take plain Add and SaveChanges. All in the caller's transaction,
/// else in one of its own. Objects keep their values after the clear; nothing is tracked any more.
/// </summary>
public static class BulkSave
{
    private sealed record Row(object Entity, EntityEntry? Entry);

    public static async Task SaveAndClearAsync(BotDb db, IReadOnlyCollection<object> graphs, CancellationToken ct = default)
    {
        if (db.IsPostgres()) { await SaveWithEfAsync(db, graphs, ct); return; }
        db.ChangeTracker.DetectChanges();
        var entries = db.ChangeTracker.Entries().Where(e => e.State != EntityState.Unchanged).ToList();
        var modified = entries.Where(e => e.State == EntityState.Modified).ToList();
        var rows = new Dictionary<IEntityType, List<Row>>();
        foreach (var e in entries.Where(e => e.State == EntityState.Added)) Add(rows, e.Metadata, new Row(e.Entity, e));
        var tracked = entries.Select(e => e.Entity).ToHashSet(ReferenceEqualityComparer.Instance);
        var fromGraphs = true;
        foreach (var root in graphs) fromGraphs &= Walk(db.Model, root, rows, tracked);
        if (!fromGraphs || rows.Count == 0 || modified.Count + entries.Count(e => e.State == EntityState.Added) != entries.Count
            || Order(rows.Keys) is not { } order || !order.All(Simple)
            || !modified.All(e => Simple(e.Metadata) && !e.Metadata.GetNavigations().Any() && !e.Properties.Any(p => p.IsTemporary)))
        {
            await SaveWithEfAsync(db, graphs, ct);
            return;
        }

        // What the modified entities will update, to be tracked again after the clear.
        var updates = modified.Select(e => (e.Entity, Original: e.OriginalValues.Clone(), Changed: e.Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name).ToList())).ToList();
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            var tx = db.Database.CurrentTransaction!.GetDbTransaction();
            var helper = db.GetService<ISqlGenerationHelper>();
            var keys = new Dictionary<(IEntityType, object), object>();
            foreach (var type in order) Insert(connection, tx, helper, type, InsertStatement.For(db, type, returnKey: true), rows[type], rows.Keys, keys);
        }
        finally { await db.Database.CloseConnectionAsync(); }
        db.ChangeTracker.Clear();
        foreach (var (entity, original, changed) in updates)
        {
            var entry = db.Entry(entity);
            entry.State = EntityState.Unchanged;
            entry.OriginalValues.SetValues(original);
            foreach (var name in changed) entry.Property(name).IsModified = true;
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        if (own is not null) await own.CommitAsync(ct);
    }

    private static async Task SaveWithEfAsync(BotDb db, IReadOnlyCollection<object> graphs, CancellationToken ct)
    {
        foreach (var root in graphs) db.Add(root);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private static void Add(Dictionary<IEntityType, List<Row>> rows, IEntityType type, Row row)
    {
        if (!rows.TryGetValue(type, out var list)) rows[type] = list = [];
        list.Add(row);
    }

    /// <summary>
    /// Collects an untracked new entity and its dependents (principal-to-dependent navigations), setting the navigations
    /// back to their principal as EF's fix-up would. False when the graph holds something tracked or not in the model.
    /// </summary>
    private static bool Walk(IModel model, object entity, Dictionary<IEntityType, List<Row>> rows, HashSet<object> tracked)
    {
        if (tracked.Contains(entity) || model.FindEntityType(entity.GetType()) is not { } type) return false;
        Add(rows, type, new Row(entity, null));
        foreach (var nav in type.GetNavigations().Where(n => !n.IsOnDependent))
        {
            if (nav.PropertyInfo?.GetValue(entity) is not { } value) continue;
            foreach (var child in nav.IsCollection ? ((System.Collections.IEnumerable)value).Cast<object>() : new[] { value })
            {
                if (nav.Inverse?.PropertyInfo is { } back && back.GetValue(child) is null) back.SetValue(child, entity);
                if (!Walk(model, child, rows, tracked)) return false;
            }
        }
        return true;
    }

    // Synchronous on purpose: Microsoft.Data.Sqlite's async calls run synchronously anyway, and this runs per row.
    private static void Insert(DbConnection connection, DbTransaction tx, ISqlGenerationHelper sql, IEntityType type, InsertStatement statement, List<Row> rows,
        IReadOnlyCollection<IEntityType> inserted, Dictionary<(IEntityType, object), object> keys)
    {
        var columns = statement.Columns;
        var generated = statement.GeneratedKey;
        // Foreign keys to rows inserted before (principals come first): a tracked row holds EF's temporary key of a tracked
        // principal; an untracked one had its foreign key set when its principal was inserted (below).
        var references = columns.Select(p => p.GetContainingForeignKeys().FirstOrDefault(f => inserted.Contains(f.PrincipalEntityType))?.PrincipalEntityType).ToArray();
        var dependents = type.GetNavigations().Where(n => !n.IsOnDependent && n.ForeignKey.Properties.Count == 1 && n.ForeignKey.PrincipalKey.Properties is [var pk] && pk == generated).ToList();

        using var cmd = statement.Prepare(connection, tx, sql);
        foreach (var (entity, entry) in rows)
        {
            var values = entry?.CurrentValues;
            for (var i = 0; i < columns.Length; i++)
            {
                var value = values is null ? columns[i].PropertyInfo!.GetValue(entity) : values[columns[i]];
                if (values is not null && references[i] is { } principal && value is not null && keys.TryGetValue((principal, value), out var real))
                {
                    value = real;
                    columns[i].PropertyInfo!.SetValue(entity, real);
                }
                statement.Bind(cmd, i, value);
            }
            if (generated is null) { cmd.ExecuteNonQuery(); continue; }
            var id = statement.ReadKey(cmd.ExecuteScalar());
            if (values is not null) keys[(type, values[generated]!)] = id;
            generated.PropertyInfo!.SetValue(entity, id);
            foreach (var nav in dependents)
                if (nav.PropertyInfo!.GetValue(entity) is { } value)
                    foreach (var child in nav.IsCollection ? ((System.Collections.IEnumerable)value).Cast<object>() : new[] { value })
                        nav.ForeignKey.Properties[0].PropertyInfo!.SetValue(child, id);
        }
    }

    /// <summary>One table per type with plain columns: what the INSERT above writes exactly as SaveChanges would.</summary>
    private static bool Simple(IEntityType t) =>
        t.BaseType is null && !t.GetDirectlyDerivedTypes().Any() && !t.IsOwned() && t.GetTableName() is not null && t.GetViewName() is null
        && !t.GetComplexProperties().Any() && t.GetTableMappings().Count() == 1 && t.FindPrimaryKey() is not null
        && t.GetProperties().All(p => (p.ValueGenerated == ValueGenerated.Never || p.IsPrimaryKey()) && p.PropertyInfo is not null
                                      && p.GetDefaultValueSql() is null && p.GetComputedColumnSql() is null && !p.TryGetDefaultValue(out _))
        && t.GetNavigations().All(n => n.PropertyInfo is not null) && !t.GetSkipNavigations().Any()
        && !t.GetForeignKeys().Any(f => f.PrincipalEntityType == t);

    /// <summary>Principals before their dependents; null when the types' foreign keys make a cycle.</summary>
    private static List<IEntityType>? Order(IEnumerable<IEntityType> types)
    {
        var left = types.ToHashSet();
        var order = new List<IEntityType>();
        while (left.Count > 0)
        {
            var ready = left.Where(t => !t.GetForeignKeys().Any(f => f.PrincipalEntityType != t && left.Contains(f.PrincipalEntityType))).ToList();
            if (ready.Count == 0) return null;
            foreach (var t in ready.OrderBy(t => t.Name, StringComparer.Ordinal)) { order.Add(t); left.Remove(t); }
        }
        return order;
    }
}
