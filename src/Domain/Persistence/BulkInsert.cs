using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace RapidResponse.Domain.Persistence;

/// <summary>
/// Inserts many new rows of one entity type without tracking them. SQLite: one prepared INSERT, re-bound per row, on the
/// context's connection and transaction — EF Core sends every SQLite insert as its own command through its whole update
/// pipeline, which in the deadline sweep cost several times the insert itself. PostgreSQL: EF's batched SaveChanges.
/// Table, columns and value conversions come from the EF model, so a row is stored exactly as SaveChanges would store it.
/// Store-generated keys are left to the database and not read back. Atomic: uses the current transaction, else its own.
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
        try
        {
            await using (var cmd = db.Database.GetDbConnection().CreateCommand())
            {
                cmd.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
                cmd.CommandText = plan.Sql;
                var parameters = new DbParameter[plan.Columns.Length];
                for (var i = 0; i < parameters.Length; i++)
                {
                    parameters[i] = cmd.CreateParameter();
                    parameters[i].ParameterName = "$p" + i;
                    cmd.Parameters.Add(parameters[i]);
                }
                await cmd.PrepareAsync(ct);
                foreach (var row in rows)
                {
                    foreach (var g in plan.Generated)
                        if (!g.GetGetter().HasSentinelValueUsingContainingEntity(row))
                            throw new NotSupportedException($"BulkInsert leaves {typeof(T).Name}.{g.Name} to the database; it must not be set");
                    for (var i = 0; i < parameters.Length; i++) parameters[i].Value = plan.Columns[i].Read(row) ?? DBNull.Value;
                    await cmd.ExecuteNonQueryAsync(ct);
                }
            }
            if (own is not null) await own.CommitAsync(ct);
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
    }

    private sealed record Column(IProperty Property, ValueConverter? Converter)
    {
        public object? Read(object entity)
        {
            var v = Property.GetGetter().GetClrValueUsingContainingEntity(entity);
            return v is null || Converter is null ? v : Converter.ConvertToProvider(v);
        }
    }

    private sealed record Plan(string Sql, Column[] Columns, IProperty[] Generated)
    {
        public static Plan Create(BotDb db, IModel model, Type type)
        {
            var entity = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not an entity type of {db.GetType().Name}");
            if (entity.GetTableName() is not { } tableName || entity.BaseType is not null || entity.GetDerivedTypes().Any()
                || entity.GetComplexProperties().Any() || entity.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
                throw new NotSupportedException($"BulkInsert handles plain single-table entity types only, not {type.Name}");
            var table = StoreObjectIdentifier.Table(tableName, entity.GetSchema());
            var columns = entity.GetProperties()
                .Where(p => p.ValueGenerated == ValueGenerated.Never)
                .Select(p => p.IsShadowProperty()
                    ? throw new NotSupportedException($"BulkInsert cannot read shadow property {type.Name}.{p.Name}")
                    : new Column(p, p.GetTypeMapping().Converter))
                .ToArray();
            var sql = db.GetService<ISqlGenerationHelper>();
            var text = $"INSERT INTO {sql.DelimitIdentifier(tableName, entity.GetSchema())} ("
                       + string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)))
                       + ") VALUES (" + string.Join(", ", columns.Select((_, i) => "$p" + i)) + ")";
            return new Plan(text, columns, [.. entity.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.Never)]);
        }
    }
}
