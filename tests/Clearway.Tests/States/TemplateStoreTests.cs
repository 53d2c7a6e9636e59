using Clearway.Seeding;
using Clearway.States;
using Clearway.Testing.Databases;
using Clearway.Testing.Xunit;
using Clearway.Testing;
using Clearway.Tests.Infrastructure;
using Npgsql;

namespace Clearway.Tests.States;

/// <summary>The template store: named by what makes it, built once however many ask at once, never left half-built, capped least recently used first.</summary>
public sealed class TemplateStoreTests(ClearwayFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A seeded recipe no other test uses: a template of its own.</summary>
    private static StateRecipe NewTinyRecipe() =>
        new(new SeedOptions { Profile = SeedProfile.Tiny, Seed = Random.Shared.Next(1_000_000, int.MaxValue), AsOf = new DateOnly(2026, 1, 15) });

    [Fact]
    public async Task Concurrent_callers_build_a_template_once()
    {
        var store = new TemplateStore(new StateServer(fixture.Server.AdminConnectionString));
        var recipe = NewTinyRecipe();

        var leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => store.AcquireAsync(recipe, cancellationToken: Ct)));
        try
        {
            Assert.Single(leases, l => l.Built);
            Assert.All(leases, l => Assert.Equal(recipe.Key.DatabaseName, l.Template));
        }
        finally
        {
            foreach (var lease in leases)
                await lease.DisposeAsync();
            await store.Server.DropAsync(recipe.Key.DatabaseName, Ct);
        }
    }

    [Fact]
    public async Task A_build_stopped_half_way_leaves_no_template_and_the_next_caller_builds_it()
    {
        var store = new TemplateStore(new StateServer(fixture.Server.AdminConnectionString));
        var recipe = NewTinyRecipe();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        // Stopped once the rows are going in: the scratch database exists, half loaded.
        var building = store.AcquireAsync(recipe, new StopAfterFirstTable(stop), stop.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => building);
        Assert.Empty(await DatabasesLikeAsync(recipe.Key.DatabaseName + "%"));

        await using (var lease = await store.AcquireAsync(recipe, cancellationToken: Ct))
            Assert.True(lease.Built);
        Assert.Equal([recipe.Key.DatabaseName], await DatabasesLikeAsync(recipe.Key.DatabaseName + "%"));
        await store.Server.DropAsync(recipe.Key.DatabaseName, Ct);
    }

    [Fact]
    public void A_changed_seed_option_or_migration_set_names_a_new_template()
    {
        var baseline = Name(StateRecipe.MigrationIds, new ClearwayDatabaseOptions { Profile = SeedProfile.Tiny });

        Assert.Equal(baseline, Name(StateRecipe.MigrationIds, new ClearwayDatabaseOptions { Profile = SeedProfile.Tiny }));
        Assert.NotEqual(baseline, Name(StateRecipe.MigrationIds, new ClearwayDatabaseOptions { Profile = SeedProfile.Tiny, Seed = 43 }));
        Assert.NotEqual(baseline, Name(StateRecipe.MigrationIds, new ClearwayDatabaseOptions { Profile = SeedProfile.Dev }));
        Assert.NotEqual(baseline, Name(StateRecipe.MigrationIds, new ClearwayDatabaseOptions { Profile = SeedProfile.Tiny, AsOf = new DateOnly(2026, 2, 1) }));
        Assert.NotEqual(baseline, Name(StateRecipe.MigrationIds.Take(4), new ClearwayDatabaseOptions { Profile = SeedProfile.Tiny }));
        Assert.StartsWith(TemplateKey.Prefix, baseline, StringComparison.Ordinal);

        static string Name(IEnumerable<string> migrations, ClearwayDatabaseOptions options) =>
            TemplateKey.For(migrations, options.ToRecipe().Describe()).DatabaseName;
    }

    [Fact]
    public async Task The_cap_evicts_the_least_recently_used_template_but_never_one_in_use()
    {
        // A server of its own: the cap counts every template on the server.
        await using var server = await PostgresServer.StartPrivateAsync(cancellationToken: Ct);
        var store = new TemplateStore(new StateServer(server.AdminConnectionString), new TemplateStoreOptions { MaxTemplates = 2 });
        var (a, b, c, d) = (StateRecipe.SchemaOnly, NewTinyRecipe(), NewTinyRecipe(), NewTinyRecipe());

        await (await store.AcquireAsync(a, cancellationToken: Ct)).DisposeAsync();
        await (await store.AcquireAsync(b, cancellationToken: Ct)).DisposeAsync();
        await (await store.AcquireAsync(a, cancellationToken: Ct)).DisposeAsync(); // a is used again: b is now the least recent
        await (await store.AcquireAsync(c, cancellationToken: Ct)).DisposeAsync();
        Assert.Equal(Names(a, c), await TemplatesAsync(store));

        // a held from here, and the least recent once c is used again: d's build evicts c instead.
        await using (await store.AcquireAsync(a, cancellationToken: Ct))
        {
            await (await store.AcquireAsync(c, cancellationToken: Ct)).DisposeAsync();
            await (await store.AcquireAsync(d, cancellationToken: Ct)).DisposeAsync();
            Assert.Equal(Names(a, d), await TemplatesAsync(store));
        }
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

    /// <summary>Texts whose order differs between code point order and a linguistic one (case, accents, digits, scripts).</summary>
    private static readonly string[] Probe = ["b", "B", "a", "A", "é", "e", "f", "Z", "ß", "ä", "10", "9", "_x", "-y", "日本", "😀", "zz", "Ω"];

    [Theory]
    [InlineData("LOCALE_PROVIDER libc LOCALE 'C.UTF-8'", 'c', "C")]
    [InlineData("LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'", 'i', "C.UTF-8")]
    public async Task A_template_sorts_text_as_the_servers_default_does_and_by_bytes_when_that_is_the_same_order(string defaultLocale, char provider, string collate)
    {
        // A server of its own, whose default (template1) is remade with the locale under test.
        await using var server = await PostgresServer.StartPrivateAsync(cancellationToken: Ct);
        var admin = new StateServer(server.AdminConnectionString);
        await admin.ExecuteAsync("ALTER DATABASE template1 IS_TEMPLATE false", Ct);
        await admin.ExecuteAsync("DROP DATABASE template1", Ct);
        await admin.ExecuteAsync($"CREATE DATABASE template1 TEMPLATE template0 IS_TEMPLATE true {defaultLocale}", Ct);
        var store = new TemplateStore(admin);

        await using (var lease = await store.AcquireAsync(StateRecipe.SchemaOnly, cancellationToken: Ct))
        {
            await using var connection = await admin.OpenAdminAsync(Ct);
            await using var collation = new NpgsqlCommand("SELECT datlocprovider, datcollate FROM pg_database WHERE datname = $1", connection);
            collation.Parameters.AddWithValue(lease.Template);
            await using (var reader = await collation.ExecuteReaderAsync(Ct))
            {
                Assert.True(await reader.ReadAsync(Ct));
                Assert.Equal((provider, collate), (reader.GetChar(0), reader.GetString(1)));
            }
            await lease.CloneAsync("sorted", Ct);
        }
        Assert.Equal(await SortedAsync(admin.ConnectionStringFor("template1")), await SortedAsync(admin.ConnectionStringFor("sorted")));
    }

    private static Task<List<string>> SortedAsync(string connectionString) =>
        TextColumn.ReadAsync(connectionString, "SELECT s FROM unnest($1::text[]) AS s ORDER BY s", Probe, Ct);

    private static List<string> Names(params StateRecipe[] recipes) => recipes.Select(r => r.Key.DatabaseName).Order(StringComparer.Ordinal).ToList();

    private static async Task<List<string>> TemplatesAsync(TemplateStore store) =>
        (await store.ListAsync(Ct)).Where(s => s.Label.Kind == StateKind.Template).Select(s => s.Database).Order(StringComparer.Ordinal).ToList();

    private Task<List<string>> DatabasesLikeAsync(string pattern) =>
        TextColumn.ReadAsync(fixture.Server.AdminConnectionString, "SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname", pattern, Ct);

    /// <summary>Cancels the build as soon as its first table is in.</summary>
    private sealed class StopAfterFirstTable(CancellationTokenSource stop) : IProgress<SeedTableResult>
    {
        public void Report(SeedTableResult value) => stop.Cancel();
    }
}
