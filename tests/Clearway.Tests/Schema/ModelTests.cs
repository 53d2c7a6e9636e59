using Clearway.Data;
using Clearway.Data.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Clearway.Tests.Schema;

/// <summary>The EF model and its migrations, without a database.</summary>
public sealed class ModelTests
{
    private static ClearwayDbContext CreateContext() => new(ClearwayNpgsql.Options("Host=localhost;Database=clearway"));

    [Fact]
    public void The_model_has_no_changes_that_a_migration_does_not_cover()
    {
        using var context = CreateContext();
        Assert.False(context.Database.HasPendingModelChanges(), "run: dotnet ef migrations add <Name> --project Clearway.Data");
    }

    [Fact]
    public void The_five_migrations_of_D2_exist_in_order_with_their_versions()
    {
        using var context = CreateContext();
        var names = context.GetService<IMigrationsAssembly>().Migrations.Keys.Select(id => id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..]);

        Assert.Equal(["InitialSchema", "IntegrationExpansionPhase2", "Phase2CompleteSchema", "AddMaterializedViews", "HardenIntegrity"], names);
        Assert.Equal(["1.0.0", "1.1.0", "2.0.0", "2.0.1", "2.1.0"], SchemaManifest.Migrations.Select(m => SchemaManifest.VersionOf(m.Name)));
    }

    [Fact]
    public void Every_table_of_the_manifest_is_an_entity_of_the_model_and_nothing_more()
    {
        using var context = CreateContext();
        var tables = context.Model.GetEntityTypes().Select(e => e.GetTableName()).Order(StringComparer.Ordinal);

        Assert.Equal(SchemaManifest.Tables.Select(t => t.Name).Order(StringComparer.Ordinal), tables);
        Assert.Equal(9, SchemaManifest.Groups.Count());
    }
}
