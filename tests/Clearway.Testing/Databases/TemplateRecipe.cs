using Clearway.Data.Migrator;
using Clearway.Seeding;

namespace Clearway.Testing.Databases;

/// <summary>
/// How a template is made: the migrations of this build, applied and verified by the real migrator, then the
/// seed the options ask for, by the real seeder. <see cref="Describe"/> names everything that decides the result.
/// </summary>
internal class TemplateRecipe
{
    public static TemplateRecipe Default { get; } = new();

    public IReadOnlyList<string> MigrationIds { get; } = ClearwayMigrator.Migrations.Select(m => m.Id).ToList();

    public virtual string Describe(ClearwayDatabaseOptions options) => options.ToSeedOptions()?.Canonical ?? "schema only";

    public virtual async Task BuildAsync(string connectionString, ClearwayDatabaseOptions options, CancellationToken cancellationToken)
    {
        var migrator = new ClearwayMigrator(new MigratorOptions { ConnectionString = connectionString, EnvironmentName = "Development" });
        await migrator.MigrateAsync(cancellationToken);
        if (options.ToSeedOptions() is { } seed)
            await new SeedRunner().RunAsync(connectionString, seed, cancellationToken);
    }
}
