using Clearway.Testing.Xunit;
using Clearway.Testing;
using Npgsql;

namespace Clearway.Tests.Testing;

/// <summary>Changes a process-wide environment variable, so it runs alone.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class EnvironmentMutatingCollection;

[Collection(typeof(EnvironmentMutatingCollection))]
public sealed class ExternalServerTests(ClearwayFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CLEARWAY_TEST_POSTGRES_is_used_and_never_stopped()
    {
        var before = Environment.GetEnvironmentVariable("CLEARWAY_TEST_POSTGRES");
        Environment.SetEnvironmentVariable("CLEARWAY_TEST_POSTGRES", fixture.Server.AdminConnectionString);
        try
        {
            var external = await PostgresServer.StartAsync(cancellationToken: Ct);
            Assert.False(external.IsPrivate);
            Assert.Null(external.RootDirectory);
            Assert.Equal(
                new NpgsqlConnectionStringBuilder(fixture.Server.AdminConnectionString).Port,
                new NpgsqlConnectionStringBuilder(external.AdminConnectionString).Port);

            var database = await external.CreateDatabaseAsync(cancellationToken: Ct);
            await using (var conn = new NpgsqlConnection(external.ConnectionStringFor(database)))
                await conn.OpenAsync(Ct);
            await external.DropDatabaseAsync(database, Ct);
            await external.DisposeAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable("CLEARWAY_TEST_POSTGRES", before);
        }

        // The external server (here: the fixture's) still answers.
        await using var check = new NpgsqlConnection(fixture.Server.AdminConnectionString);
        await check.OpenAsync(Ct);
    }
}
