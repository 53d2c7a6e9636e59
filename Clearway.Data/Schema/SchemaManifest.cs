namespace Clearway.Data.Schema;

/// <summary>
/// The schema checklist as data (SCHEMA.md D3): 28 tables in 9 groups, 2 materialized views, every named
/// index, unique and foreign key, and the five migrations with their versions. Written from the
/// specification, not from the EF model, so verifying a database against it also checks the model.
/// </summary>
public static partial class SchemaManifest
{
    public static IReadOnlyList<ManifestMigration> Migrations { get; } =
    [
        new("InitialSchema", "1.0.0"),
        new("IntegrationExpansionPhase2", "1.1.0"),
        new("Phase2CompleteSchema", "2.0.0"),
        new("AddMaterializedViews", "2.0.1"),
        new("HardenIntegrity", "2.1.0"),
    ];

    public static IReadOnlyList<ManifestTable> Tables => TableList;
    public static IReadOnlyList<ManifestIndex> Indexes => IndexList;
    public static IReadOnlyList<ManifestForeignKey> ForeignKeys => ForeignKeyList;

    public static IReadOnlyList<ManifestView> Views { get; } =
    [
        new(MaterializedViews.MonthlyCallSummary,
            ["month", "userId", "call_count", "total_amount", "avg_amount", "paid_count", "approved_count", "pending_count"],
            ["idx_monthly_summary_user_month", "idx_monthly_summary_user", "idx_monthly_summary_month_user_key"]),
        new(MaterializedViews.FundPerformanceSummary,
            ["fundName", "userId", "total_calls", "total_amount", "avg_amount", "avg_days_to_payment", "on_time_rate",
             "paid_count", "approved_count", "pending_count", "rejected_count"],
            ["idx_fund_summary_user", "idx_fund_summary_fund", "idx_fund_summary_user_fund"]),
    ];

    /// <summary>The enum types and their labels, in order.</summary>
    public static IReadOnlyDictionary<string, string[]> Enums { get; } = new Dictionary<string, string[]>
    {
        ["DocumentStatus"] = ["PENDING", "PROCESSING", "REVIEW", "APPROVED", "REJECTED", "FAILED"],
        ["CapitalCallStatus"] = ["PENDING_REVIEW", "APPROVED", "REJECTED", "PAID"],
    };

    /// <summary>The groups of the status document, in its order.</summary>
    public static IEnumerable<IGrouping<string, ManifestTable>> Groups => TableList.GroupBy(t => t.Group);

    public static int ColumnCount => TableList.Sum(t => t.Columns.Count);

    /// <summary>Tables of the platform (<see cref="PlatformTables"/>), not of the schema.</summary>
    public static bool IsPlatformTable(string name) => PlatformTables.IsPlatformTable(name);

    /// <summary>The version SCHEMA.md D2 gives a migration, from its EF id (<c>20261124001915_InitialSchema</c>) or its name.</summary>
    public static string? VersionOf(string migrationIdOrName)
    {
        var name = migrationIdOrName[(migrationIdOrName.IndexOf('_', StringComparison.Ordinal) + 1)..];
        return Migrations.FirstOrDefault(m => m.Name == name)?.Version;
    }
}

public sealed record ManifestMigration(string Name, string Version);

/// <summary>A column; <see cref="Default"/> is the expression as <c>pg_get_expr</c> prints it, null for none.</summary>
public sealed record ManifestColumn(string Name, string Type, bool Nullable, string? Default = null);

public sealed record ManifestTable(string Name, string Group, string CreatedBy, IReadOnlyList<ManifestColumn> Columns);

public enum IndexKind { PrimaryKey, Unique, Index }

/// <summary>An index or key. <see cref="Columns"/> carry their sort order (<c>"timestamp DESC"</c>).</summary>
public sealed record ManifestIndex(string Name, string Table, IndexKind Kind, IReadOnlyList<string> Columns, bool Partial, string CreatedBy)
{
    public bool IsUnique => Kind != IndexKind.Index;
}

public enum ReferentialRule { Cascade, Restrict, SetNull, NoAction }

public sealed record ManifestForeignKey(string Name, string Table, string Column, string PrincipalTable, ReferentialRule OnDelete, string CreatedBy);

public sealed record ManifestView(string Name, IReadOnlyList<string> Columns, IReadOnlyList<string> Indexes);
