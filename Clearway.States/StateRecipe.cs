using Clearway.Data.Migrator;
using Clearway.Seeding;

namespace Clearway.States;

/// <summary>
/// What a template holds: the migrations of this build, applied and verified by the real migrator, then (unless it is
/// schema only) the seed <see cref="Seed"/> describes. The key names everything that decides the result.
/// </summary>
public sealed record StateRecipe(SeedOptions? Seed)
{
    /// <summary>Migrated, no rows: for tests that insert their own.</summary>
    public static StateRecipe SchemaOnly { get; } = new((SeedOptions?)null);

    public static IReadOnlyList<string> MigrationIds { get; } = ClearwayMigrator.Migrations.Select(m => m.Id).ToList();

    /// <summary>The seed part of the recipe, as people read it (the seeder's canonical line).</summary>
    public string Describe() => Seed?.Canonical ?? "schema only";

    public TemplateKey Key => TemplateKey.For(MigrationIds, Describe());
}
