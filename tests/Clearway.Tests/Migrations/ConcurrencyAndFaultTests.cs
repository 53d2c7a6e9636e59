namespace Clearway.Tests.Migrations;

/// <summary>Many migrators at once, a migrator killed mid-migration, a migration that fails, a re-run.</summary>
public sealed class ConcurrencyAndFaultTests(PostgresServerFixture fixture) : MigrationTestBase(fixture)
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
        var victim = All[2]; // Phase2CompleteSchema: the biggest one
        var env = Env(db);
        env["CLEARWAY_MIGRATOR_TEST_PAUSE_BEFORE_COMMIT"] = victim.Name;

        using (var process = MigrationServiceProcess.Start(env))
        {
            var paused = process.WaitForLineAsync($"CLEARWAY_TEST_PAUSED {victim.Name}");
            var finished = process.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Same(paused, await Task.WhenAny(paused, finished)); // fails fast if the worker exited instead
            process.Kill(); // SIGKILL: no cleanup code runs in the worker
        }

        // The killed session's transaction never committed: nothing of the victim is visible.
        Assert.Equal(All.Take(2).Select(m => m.Id), await HistoryAsync(db));
        Assert.False(await TableExistsAsync(db, "Payment"));

        var rerun = await RunAsync(db);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(All.Select(m => m.Id), await HistoryAsync(db));
        Assert.All((await AppliedCountsAsync(db)).Values, count => Assert.Equal(1L, count));
        var report = await VerifyAsync(db);
        Assert.True(report.IsValid, report.ToString());
    }

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
