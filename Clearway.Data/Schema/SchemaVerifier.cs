using Npgsql;
using static Clearway.Data.Schema.SchemaFindingKinds;

namespace Clearway.Data.Schema;

/// <summary>Compares a live database (its <see cref="CatalogSnapshot"/>) against <see cref="SchemaManifest"/>.</summary>
public static class SchemaVerifier
{
    public static async Task<SchemaReport> VerifyAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default) =>
        Verify(await CatalogSnapshot.ReadAsync(connection, cancellationToken));

    public static SchemaReport Verify(CatalogSnapshot catalog)
    {
        var findings = new List<SchemaFinding>();
        var tables = catalog.Tables.ToDictionary(t => t.Name);
        var views = catalog.MaterializedViews.ToDictionary(v => v.Name);
        var indexes = catalog.Indexes.ToDictionary(i => i.Name);
        var foreignKeys = catalog.ForeignKeys.ToDictionary(f => f.Name);

        foreach (var expected in SchemaManifest.Tables)
        {
            if (!tables.TryGetValue(expected.Name, out var actual))
            {
                findings.Add(new(MissingTable, PostgresIdentifier.Quote(expected.Name), $"table of group {expected.Group} (created by {expected.CreatedBy}) is missing"));
                continue;
            }
            CompareColumns(expected, actual, findings);
        }
        foreach (var extra in tables.Keys.Where(t => !SchemaManifest.IsPlatformTable(t) && SchemaManifest.Tables.All(m => m.Name != t)))
            findings.Add(new(ExtraTable, PostgresIdentifier.Quote(extra), "table is not part of the Clearway schema"));

        foreach (var expected in SchemaManifest.Views)
        {
            if (!views.TryGetValue(expected.Name, out var actual))
            {
                findings.Add(new(MissingView, expected.Name, "materialized view is missing"));
                continue;
            }
            var columns = actual.Columns.Select(c => c.Name).ToList();
            if (!columns.SequenceEqual(expected.Columns))
                findings.Add(new(ViewColumns, expected.Name, $"expected columns ({string.Join(", ", expected.Columns)}), found ({string.Join(", ", columns)})"));
            foreach (var index in expected.Indexes.Where(i => !indexes.ContainsKey(i)))
                findings.Add(new(MissingIndex, index, $"index on materialized view {expected.Name} is missing"));
        }

        foreach (var expected in SchemaManifest.Indexes)
            CompareIndex(expected, indexes.GetValueOrDefault(expected.Name), findings);
        var viewIndexes = SchemaManifest.Views.SelectMany(v => v.Indexes).ToHashSet();
        foreach (var extra in catalog.Indexes.Where(i => SchemaManifest.Tables.Any(t => t.Name == i.Table)
                     && SchemaManifest.Indexes.All(m => m.Name != i.Name) && !viewIndexes.Contains(i.Name)))
            findings.Add(new(ExtraIndex, extra.Name, $"index on \"{extra.Table}\" ({string.Join(", ", extra.Columns)}) is not in the manifest"));

        foreach (var expected in SchemaManifest.ForeignKeys)
            CompareForeignKey(expected, foreignKeys.GetValueOrDefault(expected.Name), findings);
        foreach (var extra in catalog.ForeignKeys.Where(f => SchemaManifest.ForeignKeys.All(m => m.Name != f.Name)))
            findings.Add(new(ExtraForeignKey, extra.Name, $"foreign key {extra.Table}.{extra.Column} -> {extra.PrincipalTable} is not in the manifest"));

        foreach (var (type, labels) in SchemaManifest.Enums)
        {
            if (!catalog.Enums.TryGetValue(type, out var actual))
                findings.Add(new(MissingEnum, PostgresIdentifier.Quote(type), "enum type is missing"));
            else if (!actual.SequenceEqual(labels))
                findings.Add(new(EnumLabels, PostgresIdentifier.Quote(type), $"expected ({string.Join(", ", labels)}), found ({string.Join(", ", actual)})"));
        }

        return new SchemaReport(findings, SchemaManifest.Tables.Count, SchemaManifest.ColumnCount, SchemaManifest.Views.Count,
            SchemaManifest.Indexes.Count, SchemaManifest.ForeignKeys.Count);
    }

    private static void CompareColumns(ManifestTable expected, CatalogRelation actual, List<SchemaFinding> findings)
    {
        var columns = actual.Columns.ToDictionary(c => c.Name);
        foreach (var column in expected.Columns)
        {
            var name = $"{PostgresIdentifier.Quote(expected.Name)}.{PostgresIdentifier.Quote(column.Name)}";
            if (!columns.TryGetValue(column.Name, out var found))
                findings.Add(new(MissingColumn, name, $"{column.Type}{(column.Nullable ? "" : " NOT NULL")} column is missing"));
            else if (found.Type != column.Type)
                findings.Add(new(ColumnType, name, $"expected {column.Type}, found {found.Type}"));
            else if (found.Nullable != column.Nullable)
                findings.Add(new(ColumnNullability, name, $"expected {(column.Nullable ? "NULL" : "NOT NULL")}, found {(found.Nullable ? "NULL" : "NOT NULL")}"));
            else if (found.Default != column.Default)
                findings.Add(new(ColumnDefault, name, $"expected default {column.Default ?? "none"}, found {found.Default ?? "none"}"));
        }
        foreach (var extra in actual.Columns.Where(c => expected.Columns.All(e => e.Name != c.Name)))
            findings.Add(new(ExtraColumn, $"{PostgresIdentifier.Quote(expected.Name)}.{PostgresIdentifier.Quote(extra.Name)}", $"column {extra.Type} is not in the manifest"));
    }

    private static void CompareIndex(ManifestIndex expected, CatalogIndex? actual, List<SchemaFinding> findings)
    {
        if (actual is null)
        {
            findings.Add(new(MissingIndex, expected.Name, $"{expected.Kind} on \"{expected.Table}\" ({string.Join(", ", expected.Columns)}) is missing"));
            return;
        }
        var problems = new List<string>();
        if (actual.Table != expected.Table) problems.Add($"on \"{actual.Table}\" instead of \"{expected.Table}\"");
        if (actual.IsUnique != expected.IsUnique) problems.Add(expected.IsUnique ? "not unique" : "unique");
        if (actual.IsPrimaryKey != (expected.Kind == IndexKind.PrimaryKey)) problems.Add("primary key mismatch");
        if (actual.IsPartial != expected.Partial) problems.Add(expected.Partial ? "not partial" : "partial");
        if (!actual.Columns.SequenceEqual(expected.Columns)) problems.Add($"columns ({string.Join(", ", actual.Columns)}) instead of ({string.Join(", ", expected.Columns)})");
        if (problems.Count > 0)
            findings.Add(new(IndexDefinition, expected.Name, string.Join("; ", problems)));
    }

    private static void CompareForeignKey(ManifestForeignKey expected, CatalogForeignKey? actual, List<SchemaFinding> findings)
    {
        if (actual is null)
        {
            findings.Add(new(MissingForeignKey, expected.Name, $"\"{expected.Table}\".\"{expected.Column}\" -> \"{expected.PrincipalTable}\" ON DELETE {expected.OnDelete} is missing"));
            return;
        }
        var problems = new List<string>();
        if (actual.Table != expected.Table || actual.Column != expected.Column) problems.Add($"on {actual.Table}.{actual.Column} instead of {expected.Table}.{expected.Column}");
        if (actual.PrincipalTable != expected.PrincipalTable) problems.Add($"references {actual.PrincipalTable} instead of {expected.PrincipalTable}");
        if (actual.OnDelete != expected.OnDelete) problems.Add($"ON DELETE {actual.OnDelete} instead of {expected.OnDelete}");
        if (actual.OnUpdate != ReferentialRule.Cascade) problems.Add($"ON UPDATE {actual.OnUpdate} instead of Cascade");
        if (problems.Count > 0)
            findings.Add(new(ForeignKeyDefinition, expected.Name, string.Join("; ", problems)));
    }

}
