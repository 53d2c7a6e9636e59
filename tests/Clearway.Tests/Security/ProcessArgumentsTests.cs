using Clearway.Testing;
using Clearway.Tests.Cli;
using Clearway.Tests.Seeding;
using Clearway.Tests.Shared;
using Npgsql;

namespace Clearway.Tests.Security;

/// <summary>
/// No password in any process's arguments: every local account can read <c>/proc/&lt;pid&gt;/cmdline</c>. Watched as the
/// unprivileged <c>nobody</c> across first runs of what starts servers and workers.
/// </summary>
public sealed class ProcessArgumentsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_first_up_with_its_migrate_and_seed_and_the_workers_run_against_it_put_the_password_in_no_argument()
    {
        var dataDir = Directory.CreateTempSubdirectory("clearway-argv-").FullName;
        try
        {
            await using var watch = await ProcessArgumentsWatch.StartAsync(Ct);
            await using var up = Up.Start(dataDir);
            await up.WaitForOutputAsync(Up.Ready, Up.StartLimit, Ct);
            var connectionString = Up.Line(up.StandardOutput, "Connection string: ");
            var password = new NpgsqlConnectionStringBuilder(connectionString).Password!;

            // The workers as Aspire starts them: the connection string (with the password) in their environment.
            var seeded = await SeederProcess.RunAsync(connectionString, "Development", "--profile", "tiny", "--as-of", "2026-01-15");
            Assert.True(seeded.ExitCode == 0, seeded.Stdout + seeded.Stderr);
            Cli.Cli.Signal(up.Id, "INT");
            await up.WaitForExitAsync(Up.StopLimit, Ct);

            var leaks = await watch.StopAsync(password);
            Assert.True(watch.Count > 10, $"the watcher saw only {watch.Count} command lines");
            Assert.True(leaks.Count == 0, "the password was in: " + string.Join(" | ", leaks.Select(l => l.Replace(password, "<password>", StringComparison.Ordinal))));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task The_fixtures_private_server_puts_its_password_in_no_argument()
    {
        await using var watch = await ProcessArgumentsWatch.StartAsync(Ct);
        await using var server = await PostgresServer.StartPrivateAsync(cancellationToken: Ct);
        await using (var connection = new NpgsqlConnection(server.AdminConnectionString))
            await connection.OpenAsync(Ct);

        var password = new NpgsqlConnectionStringBuilder(server.AdminConnectionString).Password!;
        var leaks = await watch.StopAsync(password);
        Assert.True(watch.Saw("postgres"), "the watcher never saw the server's own process");
        Assert.Empty(leaks);
    }
}
