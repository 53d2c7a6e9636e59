using Clearway.Data.Migrator;
using Clearway.Data.Schema;
using Clearway.Data;
using Clearway.Testing.Xunit;
using Clearway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Clearway.Tests.Migrations;

/// <summary>
/// Issue 12 item 5: the run lock lives exactly as long as the session that does the work. Ending that session (an
/// administrator, idle_session_timeout, a pooler) stops the run before it commits; an idle timeout cannot end it.
/// </summary>
public sealed class RunLockTests(ClearwayFixture fixture) : MigrationTestBase(fixture)
{
    [Fact]
    public async Task Terminating_the_run_lock_session_stops_that_run_uncommitted_and_the_next_run_applies_each_migration_once()
    {
        var db = NewDatabaseName();
        Assert.Equal(0, (await RunAsync(db)).ExitCode);
        Assert.Equal(0, (await RunAsync(db, "rollback", "--to", All[1].Name)).ExitCode);

        await using (var blocker = await LockTableAsync(db, PlatformTables.MigrationLog))
        {
            await using var first = MigrationServiceProcess.Start(Env(db));
            var working = await WaitUntilBlockedAsync(db, first, PlatformTables.MigrationLog); // inside All[2]'s transaction
            var holder = await RunLockHolderAsync(db);
            Assert.Equal(working, holder);

            // What idle_session_timeout, an administrator or a pooler does to the lock's session.
            Assert.True(await ScalarAsync<bool>("postgres", $"SELECT pg_terminate_backend({holder})"));

            var exitCode = await first.WaitForExitAsync(TimeSpan.FromMinutes(1), Ct);
            Assert.True(exitCode == 1, first.Output());
            var line = Assert.Single(first.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"Migration {All[2].Name} ({All[2].Version}) up", line, StringComparison.Ordinal);
        }
        Assert.Equal(All.Take(2).Select(m => m.Id), await HistoryAsync(db));

        var second = await RunAsync(db);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(All.Select(m => m.Id), await HistoryAsync(db));
        // Once each by the first run, the later ones again after the rollback, never by the terminated run.
        Assert.Equal(All.Select((m, i) => (m.Id, i < 2 ? 1L : 2L)), (await AppliedCountsAsync(db)).Select(c => (c.Key, c.Value)).Order());
    }

    [Fact]
    public async Task The_run_lock_session_outlives_idle_session_timeout_while_pg_dump_runs()
    {
        var pgDump = Server.BinDirectory is { } bin && File.Exists(Path.Combine(bin, "pg_dump")) ? Path.Combine(bin, "pg_dump") : null;
        Assert.SkipWhen(pgDump is null, "pg_dump is not installed next to the server binaries.");
        var db = NewDatabaseName();
        Assert.Equal(0, (await RunAsync(db)).ExitCode);
        Assert.Equal(0, (await RunAsync(db, "rollback", "--to", All[1].Name)).ExitCode);
        await ExecuteAsync("postgres", $"ALTER DATABASE \"{db}\" SET idle_session_timeout = '1s'");
        var dir = Directory.CreateTempSubdirectory("clearway-idle-");
        try
        {
            var env = Env(db);
            env["Migrator__PgDumpPath"] = pgDump;
            WorkerProcess worker;
            await using (var blocker = await LockTableAsync(db, "Organization"))
            {
                worker = MigrationServiceProcess.Start(env, "--backup", Path.Combine(dir.FullName, "before.dump"));
                // pg_dump waits for our lock; meanwhile the migrator's own session sits idle, holding the run lock.
                await ServerActivity.WaitUntilBlockedAsync(ConnectionString(db), "LOCK TABLE", worker, "pg_dump");
                var holder = await RunLockHolderAsync(db);
                Assert.NotEqual(0, holder);
                await ServerActivity.WaitForRowAsync(ConnectionString("postgres"), "the lock's session gone or idle for 3 s", worker, """
                    SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)
                        OR (SELECT state = 'idle' AND now() - state_change > interval '3 seconds' FROM pg_stat_activity WHERE pid = $1)
                    """, holder);
                Assert.Equal(holder, await RunLockHolderAsync(db)); // idle three times the timeout, and still there
            }
            await using (worker)
            {
                var exitCode = await worker.WaitForExitAsync(TimeSpan.FromMinutes(2), Ct);
                Assert.True(exitCode == 0, worker.Output());
            }
            Assert.Equal(All.Select(m => m.Id), await HistoryAsync(db));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_migration_on_a_session_that_does_not_hold_the_run_lock_is_not_committed()
    {
        // What a transaction-mode pooler would do: run the migration's transaction on a backend without the lock.
        var db = await CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(ConnectionString(db));
        await connection.OpenAsync(Ct);
        await using var runner = new MigrationStepRunner(connection, NullLogger.Instance, null);

        var error = await Assert.ThrowsAsync<MigratorException>(() => runner.ApplyAsync(All[0], 1, 1, Ct));

        Assert.Contains("no longer holds the migration lock", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, error.ExitCode);
        Assert.False(await TableExistsAsync(db, "User"));
        Assert.False(await TableExistsAsync(db, PlatformTables.MigrationHistory));
    }
}
