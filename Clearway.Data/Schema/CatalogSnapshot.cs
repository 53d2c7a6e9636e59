using System.Text;
using Npgsql;

namespace Clearway.Data.Schema;

/// <summary>
/// What the database says it holds in <c>public</c>, read from <c>pg_catalog</c> (never from EF's idea of it):
/// tables and materialized views with their columns, indexes, foreign keys and enum types.
/// </summary>
public sealed record CatalogSnapshot(
    IReadOnlyList<CatalogRelation> Relations,
    IReadOnlyList<CatalogIndex> Indexes,
    IReadOnlyList<CatalogForeignKey> ForeignKeys,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Enums)
{
    public IEnumerable<CatalogRelation> Tables => Relations.Where(r => !r.IsMaterializedView);
    public IEnumerable<CatalogRelation> MaterializedViews => Relations.Where(r => r.IsMaterializedView);

    public static async Task<CatalogSnapshot> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        var columns = await QueryAsync(connection, CatalogSql.Columns, r => (
            Relation: r.GetString(0), IsView: r.GetBoolean(1),
            Column: new CatalogColumn(r.GetString(2), r.GetString(3), r.GetBoolean(4), r.IsDBNull(5) ? null : r.GetString(5))),
            cancellationToken);
        var relations = columns
            .GroupBy(c => (c.Relation, c.IsView))
            .Select(g => new CatalogRelation(g.Key.Relation, g.Key.IsView, g.Select(c => c.Column).ToList()))
            .ToList();
        var indexes = await QueryAsync(connection, CatalogSql.Indexes, r => new CatalogIndex(
            r.GetString(0), r.GetString(1), r.GetBoolean(2), r.GetBoolean(3), r.GetBoolean(4), r.GetFieldValue<string[]>(5)),
            cancellationToken);
        var foreignKeys = await QueryAsync(connection, CatalogSql.ForeignKeys, r => new CatalogForeignKey(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Rule(r.GetChar(4)), Rule(r.GetChar(5))),
            cancellationToken);
        var enumLabels = await QueryAsync(connection, CatalogSql.Enums, r => (Type: r.GetString(0), Label: r.GetString(1)), cancellationToken);
        var enums = enumLabels.GroupBy(e => e.Type)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(e => e.Label).ToList());
        return new CatalogSnapshot(relations, indexes, foreignKeys, enums);
    }

    /// <summary>A stable text form of the whole schema, for comparing two databases line by line.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var relation in Relations.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            text.AppendLine($"{(relation.IsMaterializedView ? "view" : "table")} {relation.Name}");
            foreach (var c in relation.Columns)
                text.AppendLine($"  {c.Name} {c.Type}{(c.Nullable ? "" : " NOT NULL")}{(c.Default is null ? "" : $" DEFAULT {c.Default}")}");
        }
        foreach (var i in Indexes.OrderBy(i => i.Name, StringComparer.Ordinal))
            text.AppendLine($"index {i.Name} ON {i.Table} ({string.Join(", ", i.Columns)}){(i.IsUnique ? " UNIQUE" : "")}{(i.IsPartial ? " PARTIAL" : "")}");
        foreach (var f in ForeignKeys.OrderBy(f => f.Name, StringComparer.Ordinal))
            text.AppendLine($"fk {f.Name} {f.Table}.{f.Column} -> {f.PrincipalTable} ON DELETE {f.OnDelete} ON UPDATE {f.OnUpdate}");
        foreach (var (type, labels) in Enums.OrderBy(e => e.Key, StringComparer.Ordinal))
            text.AppendLine($"enum {type} ({string.Join(", ", labels)})");
        return text.ToString();
    }

    private static ReferentialRule Rule(char code) => code switch
    {
        'c' => ReferentialRule.Cascade,
        'r' => ReferentialRule.Restrict,
        'n' => ReferentialRule.SetNull,
        _ => ReferentialRule.NoAction,
    };

    private static async Task<List<T>> QueryAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(read(reader));
        return rows;
    }
}

public sealed record CatalogColumn(string Name, string Type, bool Nullable, string? Default);

public sealed record CatalogRelation(string Name, bool IsMaterializedView, IReadOnlyList<CatalogColumn> Columns);

public sealed record CatalogIndex(string Name, string Table, bool IsUnique, bool IsPrimaryKey, bool IsPartial, IReadOnlyList<string> Columns);

public sealed record CatalogForeignKey(string Name, string Table, string Column, string PrincipalTable, ReferentialRule OnDelete, ReferentialRule OnUpdate);
