using Clearway.Data.Schema;
using Clearway.Testing.Xunit;

namespace Clearway.Tests.Migrations;

/// <summary>Many migrators at once, a migrator killed mid-migration, a migration that fails, a re-run.</summary>
public sealed class ConcurrencyAndFaultTests(ClearwayFixture fixture) : MigrationTestBase(fixture)
{
    [Fact]
    public async Task Four_migrators_started_at_once_on_a_missing_database_all_succeed_and_apply_each_migration_once()
    {
        var db = NewDatabaseName(); // not created: the migrators race to create it too

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RunAsync(db)));

        foreach (var run in runs)
            Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(All.Select(m => m.Id), await HistoryAsync(db));
        var counts = await AppliedCountsAsync(db);
        Assert.Equal(All.Count, counts.Count);
        Assert.All(All, m => Assert.Equal(1L, counts[m.Id]));
        // Exactly one run applied them; the others waited for the lock and found nothing to do.
        Assert.Single(runs, r => r.Output.Contains($"Applied {All[0].Name}", StringComparison.Ordinal));
        Assert.Equal(3, runs.Count(r => r.Output.Contains("is up to date", StringComparison.Ordinal)));
        var report = await VerifyAsync(db);
        Assert.True(report.IsValid, report.ToString());
    }

    [Fact]
    public async Task A_migrator_killed_inside_a_migration_leaves_no_half_applied_migration_and_the_next_run_completes()
    {
        var db = NewDatabaseName();
        Assert.Equal(0, (await RunAsync(db)).ExitCode);
        Assert.Equal(0, (await RunAsync(db, "rollback", "--to", All[1].Name)).ExitCode);
        var victim = All[2]; // Phase2CompleteSchema: the biggest one

        int backend;
        await using (var blocker = await LockTableAsync(db, PlatformTables.MigrationLog))
        {
            await using var process = MigrationServiceProcess.Start(Env(db));
            // Every statement of the victim and its history row ran; its log row, the last write before the commit, waits for our lock.
            backend = await WaitUntilBlockedAsync(db, process, PlatformTables.MigrationLog);
            Assert.True(await UncommittedRelationsOfAsync(db, backend) > 20, "the victim's tables should exist in the blocked transaction");
            process.Kill(); // SIGKILL: no cleanup code runs in the worker
            await process.WaitForExitAsync(TimeSpan.FromMinutes(1), Ct);
        }
        await WaitUntilBackendGoneAsync(backend); // the server rolls back a session whose client is gone

        // The killed session's transaction never committed: nothing of the victim is visible.
        Assert.Equal(All.Take(2).Select(m => m.Id), await HistoryAsync(db));
        Assert.False(await TableExistsAsync(db, "Payment"));

        var rerun = await RunAsync(db);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(All.Select(m => m.Id), await HistoryAsync(db));
        // Once each by the first run, the victim and later ones again after the rollback, never by the killed run.
        Assert.Equal(All.Select((m, i) => (m.Id, i < 2 ? 1L : 2L)), (await AppliedCountsAsync(db)).Select(c => (c.Key, c.Value)).Order());
        var report = await VerifyAsync(db);
        Assert.True(report.IsValid, report.ToString());
    }

    /// <summary>Relations backend <paramref name="pid"/> has locked that are invisible to us: created by its open transaction.</summary>
    private Task<long> UncommittedRelationsOfAsync(string database, int pid) => ScalarAsync<long>(database, $"""
        SELECT count(*) FROM pg_locks l
        WHERE l.pid = {pid} AND l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = l.relation)
        """);

    [Fact]
    public async Task A_failing_migration_is_rolled_back_whole_earlier_ones_stay_and_the_error_names_migration_and_sqlstate()
    {
        var db = NewDatabaseName();
        Assert.Equal(0, (await RunAsync(db)).ExitCode);
        Assert.Equal(0, (await RunAsync(db, "rollback", "--to", All[1].Name)).ExitCode);
        // A conflicting object: Phase2CompleteSchema creates "Payment".
        await ExecuteAsync(db, """CREATE TABLE "Payment" ("stray" integer)""");

        var run = await RunAsync(db);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"Migration {All[2].Name} ({All[2].Version}) up failed", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("SQLSTATE 42P07", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("run `status`", run.StdErr, StringComparison.Ordinal); // the drift hint
        Assert.Equal(All.Take(2).Select(m => m.Id), await HistoryAsync(db));
        Assert.True(await TableExistsAsync(db, "AccountingConnection")); // from the kept migration 2
        Assert.False(await TableExistsAsync(db, "BankAccount")); // another table of migration 3: rolled back with it
        Assert.Equal(0L, await ScalarAsync<long>(db, """SELECT count(*) FROM information_schema.columns WHERE table_name = 'Payment' AND column_name <> 'stray'"""));
    }

    [Fact]
    public async Task Re_running_on_a_migrated_database_changes_nothing_and_exits_0()
    {
        var db = NewDatabaseName();
        Assert.Equal(0, (await RunAsync(db)).ExitCode);
        var before = await CatalogFingerprintAsync(db);

        var rerun = await RunAsync(db);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("is up to date", rerun.Output, StringComparison.Ordinal);
        Assert.Equal(before, await CatalogFingerprintAsync(db));
    }
}
