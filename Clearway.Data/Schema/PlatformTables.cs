namespace Clearway.Data.Schema;

/// <summary>
/// The tables of the platform itself, beside the 28 of the schema: EF Core's migration history, the migrator's log and
/// the seeder's marker. Their names start with <see cref="Prefix"/>; the verifier and the seeder ignore such tables.
/// </summary>
public static class PlatformTables
{
    /// <summary>What every platform table's name starts with.</summary>
    public const string Prefix = "__";

    /// <summary>EF Core's history: which migrations ran.</summary>
    public const string MigrationHistory = "__EFMigrationsHistory";

    /// <summary>The migrator's log: one row per migration applied or reverted (when, how long, by whom).</summary>
    public const string MigrationLog = "__ClearwayMigrationLog";

    /// <summary>The seeder's marker: which seed the rows of the 28 tables are. It must never outlive those rows.</summary>
    public const string SeedMarker = "__ClearwaySeed";

    /// <summary>The three, in the order they come into being.</summary>
    public static IReadOnlyList<string> All { get; } = [MigrationHistory, MigrationLog, SeedMarker];

    /// <summary>True for a name starting with <see cref="Prefix"/>.</summary>
    public static bool IsPlatformTable(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);
}
