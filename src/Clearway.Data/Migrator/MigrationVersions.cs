namespace Clearway.Data.Migrator;

/// <summary>Schema version of each migration (SCHEMA.md D2).</summary>
internal static class MigrationVersions
{
    private static readonly Dictionary<string, string> ByName = new(StringComparer.Ordinal)
    {
        ["InitialSchema"] = "1.0.0",
        ["IntegrationExpansionPhase2"] = "1.1.0",
        ["Phase2CompleteSchema"] = "2.0.0",
        ["AddMaterializedViews"] = "2.0.1",
        ["HardenIntegrity"] = "2.1.0",
    };

    public static string For(string migrationName) => ByName.TryGetValue(migrationName, out var v) ? v : "?";
}
