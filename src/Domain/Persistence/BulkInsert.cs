using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace RapidResponse.Domain.Persistence;

/// <summary>
/// Inserts many new rows of one entity type without tracking them. SQLite: one prepared INSERT, re-bound per row, on the
/// context's connection and transaction — EF Core sends every SQLite insert as its own command through its whole update
/// pipeline, which in the deadline sweep cost several times the insert itself. PostgreSQL: EF's batched SaveChanges.
/// Table, columns and value conversions come from the EF model, so a row is stored exactly as SaveChanges would store it.
/// Store-generated keys are left to the database and not read back (the statement: <see cref="InsertStatement"/>). Atomic: uses the current transaction, else its own.
/// </summary>
public static class BulkInsert
{
    private static readonly ConcurrentDictionary<(IModel, Type), Plan> Plans = new();

    public static async Task InsertAsync<T>(this BotDb db, IReadOnlyCollection<T> rows, CancellationToken ct = default) where T : class
    {
        if (rows.Count == 0) return;
        if (!db.Database.IsSqlite())
        {
            db.Set<T>().AddRange(rows);
            await db.SaveChangesAsync(ct);
            return;
        }
        var plan = Plans.GetOrAdd((db.Model, typeof(T)), k => Plan.Create(db, k.Item1, k.Item2));
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            // Synchronous on purpose: Microsoft.Data.Sqlite's async calls run synchronously anyway, and this runs per row.
            using (var cmd = plan.Statement.Prepare(db.Database.GetDbConnection(), db.Database.CurrentTransaction!.GetDbTransaction(), db.GetService<ISqlGenerationHelper>()))
            {
                foreach (var row in rows)
                {
                    foreach (var g in plan.Generated)
                        if (!g.GetGetter().HasSentinelValueUsingContainingEntity(row))
                            throw new NotSupportedException($"BulkInsert leaves {typeof(T).Name}.{g.Name} to the database; it must not be set");
                    for (var i = 0; i < plan.Statement.Columns.Length; i++)
                        plan.Statement.Bind(cmd, i, plan.Statement.Columns[i].GetGetter().GetClrValueUsingContainingEntity(row));
                    cmd.ExecuteNonQuery();
                }
            }
            if (own is not null) await own.CommitAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
            if (own is not null) await own.DisposeAsync();
        }
    }

    private sealed record Plan(InsertStatement Statement, IProperty[] Generated)
    {
        public static Plan Create(BotDb db, IModel model, Type type)
        {
            var entity = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not an entity type of {db.GetType().Name}");
            if (entity.GetTableName() is null || entity.BaseType is not null || entity.GetDerivedTypes().Any()
                || entity.GetComplexProperties().Any() || entity.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
                throw new NotSupportedException($"BulkInsert handles plain single-table entity types only, not {type.Name}");
            var statement = InsertStatement.For(db, entity, returnKey: false);
            if (statement.Columns.FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
                throw new NotSupportedException($"BulkInsert cannot read shadow property {type.Name}.{shadow.Name}");
            return new Plan(statement, [.. entity.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.Never)]);
        }
    }
}
