using Clearway.Data.Schema;
using Clearway.Testing.Xunit;
using Clearway.Tests.Infrastructure;
using Npgsql;

namespace Clearway.Tests.Schema;

/// <summary>One database migrated from empty through all five migrations, read back from the catalog.</summary>
public sealed class MigratedSchemaFixture(ClearwayFixture server) : IAsyncLifetime
{
    internal TestDatabase Database { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Database = await TestDatabase.CreateAsync(server.Factory);

    public async ValueTask DisposeAsync() => await Database.DisposeAsync();
}

/// <summary>
/// SCHEMA.md section 3 and D1/D2 against what PostgreSQL reports (information_schema and pg_catalog), not what
/// EF believes it created.
/// </summary>
public sealed class MigratedSchemaTests(MigratedSchemaFixture fixture) : IClassFixture<MigratedSchemaFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Columns a later migration adds to a core table come last (D1).
    private static readonly Dictionary<string, string[]> AddedLater = new()
    {
        ["Organization"] = ["customDomain", "plan", "settings"],
        ["CapitalCall"] = ["paidAt", "source", "externalId", "organizationId"],
    };

    [Fact]
    public async Task Public_schema_holds_exactly_the_28_tables_and_EF_history()
    {
        var tables = await ListAsync("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");

        Assert.Equal(28, SchemaManifest.Tables.Count);
        Assert.Equal(
            SchemaManifest.Tables.Select(t => t.Name).Append("__EFMigrationsHistory").Order(StringComparer.Ordinal),
            tables.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task There_are_269_columns_with_the_types_nullability_and_defaults_of_the_specification()
    {
        var columns = await QueryAsync(
            """
            SELECT c.table_name, c.column_name, format_type(a.atttypid, a.atttypmod), c.is_nullable = 'YES', c.column_default
            FROM information_schema.columns c
            JOIN pg_attribute a ON a.attrelid = format('public.%I', c.table_name)::regclass AND a.attname = c.column_name
            WHERE c.table_schema = 'public' AND c.table_name <> '__EFMigrationsHistory'
            ORDER BY c.table_name, c.ordinal_position
            """,
            r => (Table: r.GetString(0), Column: new ManifestColumn(r.GetString(1), r.GetString(2), r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetString(4))));

        Assert.Equal(269, columns.Count);
        foreach (var table in SchemaManifest.Tables)
        {
            var expected = table.Columns.OrderBy(c => AddedLater.TryGetValue(table.Name, out var later) ? Array.IndexOf(later, c.Name) : -1).ToList();
            Assert.Equal(expected, columns.Where(c => c.Table == table.Name).Select(c => c.Column).ToList());
        }
    }

    [Fact]
    public async Task Both_materialized_views_exist_with_their_columns()
    {
        var views = await QueryAsync(
            """
            SELECT c.relname, array_agg(a.attname::text ORDER BY a.attnum)
            FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
            WHERE c.relkind = 'm' AND c.relnamespace = 'public'::regnamespace
            GROUP BY c.relname
            """,
            r => (Name: r.GetString(0), Columns: r.GetFieldValue<string[]>(1)));

        Assert.Equal(2, views.Count);
        foreach (var expected in SchemaManifest.Views)
            Assert.Equal(expected.Columns, views.Single(v => v.Name == expected.Name).Columns);
    }

    [Fact]
    public async Task Every_named_index_unique_and_primary_key_exists_on_its_table()
    {
        var indexes = await QueryAsync(
            """
            SELECT i.relname, t.relname, ix.indisunique, ix.indisprimary, ix.indpred IS NOT NULL
            FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
            WHERE t.relnamespace = 'public'::regnamespace
            """,
            r => (Name: r.GetString(0), Table: r.GetString(1), Unique: r.GetBoolean(2), Primary: r.GetBoolean(3), Partial: r.GetBoolean(4)));
        var byName = indexes.ToDictionary(i => i.Name);

        Assert.Equal(28, SchemaManifest.Indexes.Count(i => i.Kind == IndexKind.PrimaryKey));
        Assert.Equal(17 + 1, SchemaManifest.Indexes.Count(i => i.Kind == IndexKind.Unique));
        Assert.Equal(63 + 7, SchemaManifest.Indexes.Count(i => i.Kind == IndexKind.Index));
        foreach (var expected in SchemaManifest.Indexes)
        {
            Assert.True(byName.TryGetValue(expected.Name, out var actual), $"index {expected.Name} is missing");
            Assert.Equal((expected.Table, expected.IsUnique, expected.Kind == IndexKind.PrimaryKey, expected.Partial),
                (actual.Table, actual.Unique, actual.Primary, actual.Partial));
        }
        // Nothing else on the 28 tables: EF must not have added an index per foreign key.
        Assert.Equal(SchemaManifest.Indexes.Count, indexes.Count(i => SchemaManifest.Tables.Any(t => t.Name == i.Table)));
    }

    [Fact]
    public async Task Both_views_have_a_unique_index_on_their_grouping_key()
    {
        var unique = await ListAsync(
            """
            SELECT i.relname || ':' || pg_get_indexdef(ix.indexrelid)
            FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class v ON v.oid = ix.indrelid
            WHERE v.relkind = 'm' AND ix.indisunique AND ix.indpred IS NULL
            """);

        Assert.Contains(unique, u => u.StartsWith("idx_monthly_summary_month_user_key:", StringComparison.Ordinal) && u.EndsWith("(month, \"userId\")", StringComparison.Ordinal));
        Assert.Contains(unique, u => u.StartsWith("idx_fund_summary_user_fund:", StringComparison.Ordinal) && u.EndsWith("(\"userId\", \"fundName\")", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_foreign_key_has_its_delete_rule_and_cascades_updates()
    {
        var foreignKeys = await QueryAsync(
            """
            SELECT rc.constraint_name, kcu.table_name, kcu.column_name, ccu.table_name, rc.delete_rule, rc.update_rule
            FROM information_schema.referential_constraints rc
            JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema
            JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = rc.constraint_name AND ccu.constraint_schema = rc.constraint_schema
            WHERE rc.constraint_schema = 'public'
            """,
            r => (Name: r.GetString(0), Table: r.GetString(1), Column: r.GetString(2), Principal: r.GetString(3), OnDelete: r.GetString(4), OnUpdate: r.GetString(5)));

        Assert.Equal(20 + 8, foreignKeys.Count);
        foreach (var expected in SchemaManifest.ForeignKeys)
        {
            var rule = expected.OnDelete switch { ReferentialRule.Cascade => "CASCADE", ReferentialRule.Restrict => "RESTRICT", ReferentialRule.SetNull => "SET NULL", _ => "NO ACTION" };
            Assert.Contains((expected.Name, expected.Table, expected.Column, expected.PrincipalTable, rule, "CASCADE"), foreignKeys);
        }
        Assert.Equal(8, SchemaManifest.ForeignKeys.Count(f => f.CreatedBy == "HardenIntegrity"));
    }

    [Fact]
    public async Task The_two_enum_types_have_their_labels_in_order()
    {
        var labels = await ListAsync(
            """
            SELECT t.typname || ':' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
            FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid GROUP BY t.typname ORDER BY t.typname
            """);

        Assert.Equal(["CapitalCallStatus:PENDING_REVIEW,APPROVED,REJECTED,PAID", "DocumentStatus:PENDING,PROCESSING,REVIEW,APPROVED,REJECTED,FAILED"], labels);
    }

    [Fact]
    public async Task Both_views_refresh_concurrently()
    {
        await using var connection = await fixture.Database.OpenAsync(Ct);
        await MaterializedViews.RefreshAsync(connection, concurrently: true, Ct);
    }

    [Fact]
    public async Task The_verifier_accepts_the_migrated_database_with_no_findings()
    {
        await using var connection = await fixture.Database.OpenAsync(Ct);
        var report = await SchemaVerifier.VerifyAsync(connection, Ct);

        Assert.True(report.IsValid, report.ToString());
        Assert.Empty(report.Findings);
        Assert.Equal((28, 269, 2), (report.TablesChecked, report.ColumnsChecked, report.ViewsChecked));
    }

    private async Task<List<string>> ListAsync(string sql) => await QueryAsync(sql, r => r.GetString(0));

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = await fixture.Database.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(Ct))
            rows.Add(read(reader));
        return rows;
    }
}
