using Clearway.Data.Schema;
using Clearway.Testing.Xunit;
using Clearway.Tests.Infrastructure;
using Npgsql;

namespace Clearway.Tests.Schema;

/// <summary>Every Down works: down to nothing and up again gives back the same catalog.</summary>
public sealed class MigrationRoundTripTests(ClearwayFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrating_down_to_zero_and_up_again_leaves_an_identical_schema()
    {
        await using var database = await TestDatabase.CreateAsync(server.Factory, cancellationToken: Ct);
        var before = await DescribeAsync(database);

        await database.MigrateToAsync("0", Ct);
        var emptied = await DescribeAsync(database);
        await database.MigrateToAsync(null, Ct);
        var after = await DescribeAsync(database);

        Assert.Equal(["table __EFMigrationsHistory"], emptied.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("index PK___EFMigrationsHistory", StringComparison.Ordinal)));
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("InitialSchema", 4)]
    [InlineData("IntegrationExpansionPhase2", 9)]
    [InlineData("Phase2CompleteSchema", 28)]
    [InlineData("AddMaterializedViews", 28)]
    public async Task Each_intermediate_migration_is_a_stable_state(string migration, int tables)
    {
        await using var database = await TestDatabase.CreateAsync(server.Factory, migration, cancellationToken: Ct);
        var snapshot = await SnapshotAsync(database);
        Assert.Equal(tables, snapshot.Tables.Count(t => !SchemaManifest.IsPlatformTable(t.Name)));
        Assert.Equal(migration == "AddMaterializedViews" ? 2 : 0, snapshot.MaterializedViews.Count());

        // Up to the end and back down to here restores this state exactly.
        await database.MigrateToAsync(null, Ct);
        await database.MigrateToAsync(migration, Ct);
        Assert.Equal(snapshot.Describe(), (await SnapshotAsync(database)).Describe());
    }

    private static async Task<string> DescribeAsync(TestDatabase database) => (await SnapshotAsync(database)).Describe();

    private static async Task<CatalogSnapshot> SnapshotAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync(Ct);
        return await CatalogSnapshot.ReadAsync(connection, Ct);
    }
}
