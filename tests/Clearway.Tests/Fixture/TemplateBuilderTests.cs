using Clearway.Seeding;
using Clearway.Testing.Databases;
using Npgsql;

namespace Clearway.Tests.Fixture;

/// <summary>Templates: named by what makes them, built once however many ask at once, never left half-built.</summary>
public sealed class TemplateBuilderTests(PostgresServerFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Concurrent_callers_build_a_template_once()
    {
        var key = TemplateKey.For(["m1"], "concurrency " + Guid.NewGuid());
        var builds = 0;
        async Task Build(string connectionString, CancellationToken ct)
        {
            Interlocked.Increment(ref builds);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("CREATE TABLE marker (id int); SELECT pg_sleep(0.2)", connection);
            await command.ExecuteNonQueryAsync(ct);
        }

        var built = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TemplateBuilder.EnsureAsync(fixture.Server, key, Build, Ct)));

        Assert.Equal(1, builds);
        Assert.Equal(1, built.Count(b => b));
        await TemplateBuilder.DropAsync(fixture.Server, key.DatabaseName, Ct);
    }

    [Fact]
    public async Task A_failed_build_leaves_no_template_and_the_next_caller_builds_it()
    {
        var key = TemplateKey.For(["m1"], "failure " + Guid.NewGuid());

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TemplateBuilder.EnsureAsync(fixture.Server, key, (_, _) => throw new InvalidOperationException("seed failed"), Ct));
        Assert.Empty(await DatabasesLikeAsync(key.DatabaseName + "%"));

        Assert.True(await TemplateBuilder.EnsureAsync(fixture.Server, key, (_, _) => Task.CompletedTask, Ct));
        Assert.Equal([key.DatabaseName], await DatabasesLikeAsync(key.DatabaseName + "%"));
        await TemplateBuilder.DropAsync(fixture.Server, key.DatabaseName, Ct);
    }

    [Fact]
    public void A_changed_seed_option_or_migration_set_names_a_new_template()
    {
        var recipe = TemplateRecipe.Default;
        var baseline = Name(recipe.MigrationIds, new ClearwayDatabaseOptions { Profile = SeedProfile.Tiny });

        Assert.Equal(baseline, Name(recipe.MigrationIds, new ClearwayDatabaseOptions { Profile = SeedProfile.Tiny }));
        Assert.NotEqual(baseline, Name(recipe.MigrationIds, new ClearwayDatabaseOptions { Profile = SeedProfile.Tiny, Seed = 43 }));
        Assert.NotEqual(baseline, Name(recipe.MigrationIds, new ClearwayDatabaseOptions { Profile = SeedProfile.Dev }));
        Assert.NotEqual(baseline, Name(recipe.MigrationIds, new ClearwayDatabaseOptions { Profile = SeedProfile.Tiny, AsOf = new DateOnly(2026, 2, 1) }));
        Assert.NotEqual(baseline, Name(recipe.MigrationIds.Take(4), new ClearwayDatabaseOptions { Profile = SeedProfile.Tiny }));
        Assert.StartsWith(TemplateKey.Prefix, baseline, StringComparison.Ordinal);

        static string Name(IEnumerable<string> migrations, ClearwayDatabaseOptions options) =>
            TemplateKey.For(migrations, TemplateRecipe.Default.Describe(options)).DatabaseName;
    }

    [Fact]
    public async Task Disposing_a_factory_drops_its_warm_clones_and_undisposed_databases()
    {
        var factory = new ClearwayDatabaseFactory(fixture.Server, new ClearwayDatabaseFactoryOptions { PoolSize = 2 });
        var forgotten = await factory.CreateDatabaseAsync(cancellationToken: Ct);
        var second = await factory.CreateDatabaseAsync(cancellationToken: Ct);

        await factory.DisposeAsync();

        Assert.StartsWith(factory.ClonePrefix, forgotten.Name, StringComparison.Ordinal);
        Assert.StartsWith(factory.ClonePrefix, second.Name, StringComparison.Ordinal);
        Assert.Empty(await DatabasesLikeAsync(factory.ClonePrefix + "%"));
    }

    private async Task<List<string>> DatabasesLikeAsync(string pattern)
    {
        await using var admin = new NpgsqlConnection(fixture.Server.AdminConnectionString);
        await admin.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname", admin);
        command.Parameters.AddWithValue(pattern);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
            names.Add(reader.GetString(0));
        return names;
    }
}
