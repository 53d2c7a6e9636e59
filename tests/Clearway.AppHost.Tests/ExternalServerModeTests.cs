using Clearway.Testing;
using Clearway.Testing.Xunit;
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

    private static CancellationTokenSource Limit()
    {
        var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(RunLimit);
        return limit;
    }
}
