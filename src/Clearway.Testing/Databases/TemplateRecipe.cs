using System.Globalization;
using Clearway.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Clearway.Testing.Databases;

/// <summary>How a template is made: the migrations of this build, then the seed the options ask for.</summary>
internal class TemplateRecipe
{
    public static TemplateRecipe Default { get; } = new();

    public IReadOnlyList<string> MigrationIds { get; } = ReadMigrationIds();

    public virtual string Describe(ClearwayDatabaseOptions options) =>
        options.Profile is null
            ? "schema only"
            : string.Create(CultureInfo.InvariantCulture, $"profile={options.Profile};seed={options.Seed};scale={options.Scale};asOf={options.AsOf:yyyy-MM-dd}");

    public virtual async Task BuildAsync(string connectionString, ClearwayDatabaseOptions options, CancellationToken cancellationToken)
    {
        await using var context = new ClearwayDbContext(ClearwayNpgsql.Options(connectionString));
        await context.GetService<IMigrator>().MigrateAsync(cancellationToken: cancellationToken);
        if (options.Profile is not null)
            throw new NotSupportedException("Seeded templates need Clearway.Seeding.");
    }

    private static List<string> ReadMigrationIds()
    {
        using var context = new ClearwayDbContext(ClearwayNpgsql.Options("Host=localhost"));
        return context.GetService<IMigrationsAssembly>().Migrations.Keys.ToList();
    }
}
