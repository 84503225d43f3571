using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace RapidResponse.Domain.Persistence;

/// <summary>
/// The one prepared INSERT of an entity type's table that <see cref="BulkInsert"/> and <see cref="BulkSave"/> re-bind per
/// row on SQLite: table, columns and value conversions from the EF model, so a row is stored exactly as SaveChanges
/// stores it. The key the database generates (SQLite INTEGER PRIMARY KEY) is not a column; with <c>returnKey</c> it is
/// read back with RETURNING.
/// </summary>
internal sealed class InsertStatement
{
    private InsertStatement(string sql, IProperty[] columns, RelationalTypeMapping[] mappings, IProperty? generatedKey, bool returnsKey)
    {
        Sql = sql;
        Columns = columns;
        Mappings = mappings;
        GeneratedKey = generatedKey;
        ReturnsKey = returnsKey;
    }

    public string Sql { get; }

    /// <summary>The inserted properties, in parameter order: every property whose value the application sets.</summary>
    public IProperty[] Columns { get; }

    public RelationalTypeMapping[] Mappings { get; }

    /// <summary>The single-column key the database generates, if any.</summary>
    public IProperty? GeneratedKey { get; }

    public bool ReturnsKey { get; }

    public static InsertStatement For(DbContext db, IEntityType type, bool returnKey)
    {
        var tableName = type.GetTableName() ?? throw new NotSupportedException($"{type.DisplayName()} is not mapped to a table");
        var table = StoreObjectIdentifier.Table(tableName, type.GetSchema());
        var generated = type.FindPrimaryKey()?.Properties is [{ ValueGenerated: ValueGenerated.OnAdd } k] ? k : null;
        var columns = type.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never).ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var returns = returnKey && generated is not null;
        var text = $"INSERT INTO {sql.DelimitIdentifier(tableName, type.GetSchema())} ("
                   + string.Join(", ", columns.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)))
                   + ") VALUES (" + string.Join(", ", columns.Select((_, i) => sql.GenerateParameterNamePlaceholder("p" + i))) + ")"
                   + (returns ? $" RETURNING {sql.DelimitIdentifier(generated!.GetColumnName(table)!)}" : "");
        return new InsertStatement(text, columns, [.. columns.Select(p => p.GetRelationalTypeMapping())], generated, returns);
    }

    /// <summary>A prepared command on the connection and transaction, with one parameter per column.</summary>
    public DbCommand Prepare(DbConnection connection, DbTransaction transaction, ISqlGenerationHelper sql)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = Sql;
        for (var i = 0; i < Columns.Length; i++)
            cmd.Parameters.Add(Mappings[i].CreateParameter(cmd, sql.GenerateParameterName("p" + i), null, Columns[i].IsNullable));
        cmd.Prepare();
        return cmd;
    }

    /// <summary>Binds column <paramref name="i"/> as RelationalTypeMapping.CreateParameter would: the mapping's converter, enums as numbers.</summary>
    public void Bind(DbCommand cmd, int i, object? value) => cmd.Parameters[i].Value = ToProvider(Mappings[i], value);

    /// <summary>The generated key read back by RETURNING, as the property's CLR type.</summary>
    public object ReadKey(object? scalar) =>
        GeneratedKey!.GetTypeMapping().Converter is { } c ? c.ConvertFromProvider(scalar)! : Convert.ChangeType(scalar, GeneratedKey.ClrType)!;

    private static object ToProvider(RelationalTypeMapping mapping, object? value)
    {
        if (value is null) return DBNull.Value;
        if (mapping.Converter is { } c) return c.ConvertToProvider(value) ?? DBNull.Value;
        return value is Enum e ? Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType())) : value;
    }
}
