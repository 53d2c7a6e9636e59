using System.Security.Cryptography;
using Clearway.Tests.Shared;

namespace Clearway.AppHost.Tests;

/// <summary>Mode local: PostgreSQL from the machine's server binaries as an Aspire executable, no container anywhere.</summary>
public sealed class LocalModeTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Runs_the_whole_graph_on_a_local_server_with_the_password_in_no_argument_and_a_second_run_keeps_its_data_and_password()
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(RunLimit);
        var ct = limit.Token;
        var directory = Path.Combine(Path.GetTempPath(), "clearway-apphost-local-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        var options = new AppHostOptions { LocalDataDirectory = directory };
        try
        {
            SeededDatabase first;
            await using var watch = await ProcessArgumentsWatch.StartAsync(ct);
            await using (var app = await TestAppHost.StartAsync(options, ct))
            {
                var model = app.Services.GetRequiredService<DistributedApplicationModel>();
                Assert.Empty(model.Resources.OfType<ContainerResource>());
                Assert.IsType<ExecutableResource>(model.Resources.Single(r => r.Name == "postgres"), exactMatch: false);
                var serverLog = app.WaitForLineAsync("postgres", line => line.Contains("database system is ready to accept connections", StringComparison.Ordinal), ct);

                await app.ResourceNotifications.WaitForResourceHealthyAsync("postgres", ct);
                await serverLog; // the server's own log is the resource's console log
                Assert.Equal(0, (await app.WaitForExitAsync("migrations", ct)).Snapshot.ExitCode);
                Assert.Equal(0, (await app.WaitForExitAsync("seeder", ct)).Snapshot.ExitCode);
                await app.ResourceNotifications.WaitForResourceHealthyAsync("dbmanager", ct);
                var connectionString = (await app.GetConnectionStringAsync("clearway", ct))!;
                first = await SeededDatabase.ReadAsync(connectionString, ct);
                first.AssertDevSeed();
                // initdb, the server, the workers: the server's password was in none of their arguments.
                var password = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Password!;
                Assert.Empty(await watch.StopAsync(password));
                Assert.True(watch.Saw(directory), "the watcher never saw the server's own command line");
            }

            await using (var app = await TestAppHost.StartAsync(options, ct))
            {
                Assert.Equal(0, (await app.WaitForExitAsync("seeder", ct)).Snapshot.ExitCode);
                var second = await SeededDatabase.ReadAsync((await app.GetConnectionStringAsync("clearway", ct))!, ct);
                Assert.True(first.SameAs(second), "the second run changed the database");
            }
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }
}
