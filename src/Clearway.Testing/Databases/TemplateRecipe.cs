using System.Globalization;
using Clearway.Data.Migrator;

namespace Clearway.Testing.Databases;

/// <summary>How a template is made: the migrations of this build, applied and verified by the real migrator, then the seed the options ask for.</summary>
internal class TemplateRecipe
{
    public static TemplateRecipe Default { get; } = new();

    public IReadOnlyList<string> MigrationIds { get; } = ClearwayMigrator.Migrations.Select(m => m.Id).ToList();

    public virtual string Describe(ClearwayDatabaseOptions options) =>
        options.Profile is null
            ? "schema only"
            : string.Create(CultureInfo.InvariantCulture, $"profile={options.Profile};seed={options.Seed};scale={options.Scale};asOf={options.AsOf:yyyy-MM-dd}");

    public virtual async Task BuildAsync(string connectionString, ClearwayDatabaseOptions options, CancellationToken cancellationToken)
    {
        var migrator = new ClearwayMigrator(new MigratorOptions { ConnectionString = connectionString, EnvironmentName = "Development" });
        await migrator.MigrateAsync(cancellationToken);
        if (options.Profile is not null)
            throw new NotSupportedException("Seeded templates need Clearway.Seeding.");
    }
}
