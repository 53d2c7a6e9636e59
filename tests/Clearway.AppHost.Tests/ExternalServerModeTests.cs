using Clearway.Postgres;
using Clearway.Testing;
using Clearway.Testing.Xunit;
using Clearway.Tests.Shared;
using Npgsql;

namespace Clearway.AppHost.Tests;

/// <summary>
/// Mode external (<c>ConnectionStrings:clearway</c>, no container): the same migrations and seeder against an existing
/// server, and what happens when that database is not ours. Needs no container engine.
/// </summary>
public sealed class ExternalServerModeTests(ClearwayFixture clearway)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);

    private PostgresServer Server => clearway.Server;

    [Fact]
    public async Task Migrates_and_seeds_an_existing_server_without_a_container()
    {
        using var limit = Limit();
        var database = await Server.CreateDatabaseAsync(cancellationToken: limit.Token);
        await using var app = await TestAppHost.StartAsync(new AppHostOptions { ExternalConnectionString = Server.ConnectionStringFor(database) }, limit.Token);

        Assert.Empty(app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ContainerResource>());
        Assert.Equal(0, (await app.WaitForExitAsync("migrations", limit.Token)).Snapshot.ExitCode);
        Assert.Equal(0, (await app.WaitForExitAsync("seeder", limit.Token)).Snapshot.ExitCode);
        (await SeededDatabase.ReadAsync(Server.ConnectionStringFor(database), limit.Token)).AssertDevSeed();

        // What a Node app given the database (WithClearway) finds in its environment, as the dashboard shows it (and
        // Export .env writes it), opens with psql and with pg.
        var migrations = await app.ResourceNotifications.WaitForResourceAsync("migrations",
            e => e.Snapshot.EnvironmentVariables.Any(v => v.Name == "DATABASE_URL" && v.Value is not null), limit.Token);
        var url = migrations.Snapshot.EnvironmentVariables.Single(v => v.Name == "DATABASE_URL").Value!;
        Assert.Matches(@"^postgresql://[^:]+:[^@]+@[^/]+/[^?]+\?schema=public$", url);
        const string calls = """SELECT count(*) > 0 FROM "CapitalCall" """;
        Assert.Equal("t", await DatabaseUrlClients.PsqlAsync(url, calls));
        Assert.Equal("true", await DatabaseUrlClients.NodePgAsync(url, calls));
    }

    [Fact]
    public async Task A_database_that_is_not_ours_makes_migrations_exit_2_and_the_seeder_never_starts()
    {
        using var limit = Limit();
        var database = await Server.CreateDatabaseAsync(cancellationToken: limit.Token);
        await using (var connection = new NpgsqlConnection(Server.ConnectionStringFor(database)))
        {
            await connection.OpenAsync(limit.Token);
            await using var create = new NpgsqlCommand("""CREATE TABLE "Customers" ("id" int PRIMARY KEY); INSERT INTO "Customers" VALUES (1)""", connection);
            await create.ExecuteNonQueryAsync(limit.Token);
        }
        await using var app = await TestAppHost.StartAsync(new AppHostOptions { ExternalConnectionString = Server.ConnectionStringFor(database) }, limit.Token);

        Assert.Equal(2, (await app.WaitForExitAsync("migrations", limit.Token)).Snapshot.ExitCode);
        var seeder = await app.WaitForExitAsync("seeder", limit.Token);
        Assert.Equal(KnownResourceStates.FailedToStart, seeder.Snapshot.State?.Text);
        Assert.Null(seeder.Snapshot.ExitCode);

        await using var check = new NpgsqlConnection(Server.ConnectionStringFor(database));
        await check.OpenAsync(limit.Token);
        await using var tables = new NpgsqlCommand("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public'", check);
        Assert.Equal("Customers", await tables.ExecuteScalarAsync(limit.Token));
    }

    [Fact]
    public async Task On_a_server_without_pg_stat_statements_Query_statistics_answers_in_one_line_and_Index_usage_still_works()
    {
        using var limit = Limit();
        // A server whose administrator never loaded the library: ours, with the setting cleared over Clearway's and restarted.
        var directory = Path.Combine(Path.GetTempPath(), "clearway-external-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var options = new PostgresClusterOptions { Directory = directory };
            await using (var first = await LocalPostgresServer.StartAsync(options, limit.Token))
            {
                await using var admin = new NpgsqlConnection(first.ConnectionString());
                await admin.OpenAsync(limit.Token);
                await new NpgsqlCommand("ALTER SYSTEM SET shared_preload_libraries = 'plpgsql'", admin).ExecuteNonQueryAsync(limit.Token);
                await new NpgsqlCommand("CREATE DATABASE clearway", admin).ExecuteNonQueryAsync(limit.Token);
            }
            NpgsqlConnection.ClearAllPools();
            await using var server = await LocalPostgresServer.StartAsync(options, limit.Token);
            await using var app = await TestAppHost.StartAsync(
                new AppHostOptions { ExternalConnectionString = server.ConnectionString("clearway"), SeedProfile = "tiny" }, limit.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("dbmanager", limit.Token);

            var queries = await app.ExecuteCommandAsync("clearway", "query-statistics", limit.Token);
            Assert.True(queries.Success, queries.Message);
            Assert.StartsWith("Query statistics are not available on this server: pg_stat_statements is not loaded", queries.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("\n", queries.Message, StringComparison.Ordinal);

            var indexes = await app.ExecuteCommandAsync("clearway", "index-usage", limit.Token);
            Assert.True(indexes.Success, indexes.Message);
            Assert.StartsWith("\"clearway\": ", indexes.Message, StringComparison.Ordinal);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    private static CancellationTokenSource Limit()
    {
        var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(RunLimit);
        return limit;
    }
}
