using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Diagnostics;
using Clearway.Data.Migrator;
using Clearway.Data.Schema;
using Clearway.Data;
using Clearway.Testing.Xunit;
using Npgsql;

namespace Clearway.Tests.Migrations;

/// <summary>The advisory lock's bounded wait and holder report; the span and metrics per migration; SQLSTATE hints.</summary>
public sealed class LockAndTelemetryTests(ClearwayFixture fixture) : MigrationTestBase(fixture)
{
    [Fact]
    public async Task A_waiting_migrator_names_the_lock_holders_pid_and_gives_up_after_the_lock_wait_limit()
    {
        var db = NewDatabaseName();
        Assert.Equal(0, (await RunAsync(db)).ExitCode);
        Assert.Equal(0, (await RunAsync(db, "rollback", "--to", All[0].Name)).ExitCode);
        int holderPid;
        await using (var blocker = await LockTableAsync(db, PlatformTables.MigrationLog))
        {
            await using var holder = MigrationServiceProcess.Start(Env(db));
            holderPid = await WaitUntilBlockedAsync(db, holder, PlatformTables.MigrationLog); // inside All[1]'s transaction
            Assert.Equal(holderPid, await RunLockHolderAsync(db)); // the run lock is on the session doing the work

            var waiterEnv = Env(db);
            waiterEnv["Migrator__LockWaitLimit"] = "00:00:01.5";
            var waiter = await MigrationServiceProcess.RunAsync(waiterEnv);

            Assert.True(waiter.ExitCode == 1, waiter.ToString());
            Assert.Contains($"Waiting for the migration lock held by pid {holderPid} (clearway-migrator", waiter.StdOut, StringComparison.Ordinal);
            Assert.Contains($"waiting for the migration lock held by pid {holderPid}", waiter.StdErr, StringComparison.Ordinal);
            holder.Kill();
            await holder.WaitForExitAsync(TimeSpan.FromMinutes(1), Ct);
        }
        await WaitUntilBackendGoneAsync(holderPid);
        Assert.Equal([All[0].Id], await HistoryAsync(db)); // the holder's migration never committed
    }

    [Fact]
    public async Task Each_migration_gets_its_own_span_with_name_version_duration_and_statement_count_and_is_counted()
    {
        var db = NewDatabaseName();
        var spans = new ConcurrentBag<Activity>();
        using var parentSource = new ActivitySource("Clearway.Tests.Migrations");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is DataTelemetry.Name or "Clearway.Tests.Migrations",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        long applied = 0;
        var durations = new ConcurrentBag<double>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DataTelemetry.Name)
                l.EnableMeasurementEvents(instrument);
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "clearway.migrations.applied")
                Interlocked.Add(ref applied, value);
        });
        meters.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "clearway.migrations.duration")
                durations.Add(value);
        });
        meters.Start();

        ActivityTraceId trace;
        using (var parent = parentSource.StartActivity("test"))
        {
            trace = parent!.TraceId;
            var migrator = new ClearwayMigrator(new MigrationRun { ConnectionString = ConnectionString(db), EnvironmentName = "Development" });
            await migrator.MigrateAsync(Ct);
        }

        var ours = spans.Where(s => s.TraceId == trace && s.Source.Name == DataTelemetry.Name).ToList();
        Assert.Single(ours, s => s.DisplayName == "migrate");
        foreach (var migration in All)
        {
            var span = Assert.Single(ours, s => (string?)s.GetTagItem("clearway.migration.name") == migration.Name);
            Assert.Equal(migration.Version, span.GetTagItem("clearway.migration.version"));
            Assert.Equal(migration.Id, span.GetTagItem("clearway.migration.id"));
            Assert.True((int)span.GetTagItem("clearway.migration.statement_count")! > 0);
            Assert.True((double)span.GetTagItem("clearway.migration.duration_ms")! > 0);
            Assert.Equal(ActivityStatusCode.Ok, span.Status);
        }
        Assert.True(Interlocked.Read(ref applied) >= All.Count); // other tests may migrate in-process at the same time
        Assert.True(durations.Count >= All.Count);
    }

    [Fact]
    public async Task Migrate_and_rollback_report_each_step_as_it_starts_and_after_it_committed()
    {
        var db = NewDatabaseName();
        var reports = new List<MigrationProgress>();
        var progress = new Recorder(reports);
        var migrator = new ClearwayMigrator(new MigrationRun { ConnectionString = ConnectionString(db), EnvironmentName = "Development" });

        var result = await migrator.MigrateAsync(progress, Ct);

        Assert.Equal(All.SelectMany((m, i) => new[] { (m.Name, i + 1, All.Count, false), (m.Name, i + 1, All.Count, true) }),
            reports.Select(r => (r.Migration.Name, r.Number, r.Count, r.Committed is not null)));
        Assert.Equal(result.Applied, reports.Where(r => r.Committed is not null).Select(r => r.Committed!));
        Assert.All(reports, r => Assert.Equal(MigrationDirection.Up, r.Direction));

        reports.Clear();
        await migrator.RollbackAsync(All[2].Name, progress, Ct);

        Assert.Equal([(All[4].Name, 1, false), (All[4].Name, 1, true), (All[3].Name, 2, false), (All[3].Name, 2, true)],
            reports.Select(r => (r.Migration.Name, r.Number, r.Committed is not null)));
        Assert.All(reports, r => Assert.Equal(MigrationDirection.Down, r.Direction));
    }

    /// <summary>Records synchronously, in order.</summary>
    private sealed class Recorder(List<MigrationProgress> reports) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => reports.Add(value);
    }

    [Theory]
    [InlineData("42P07", "drifted from the migration history")]
    [InlineData("42710", "drifted from the migration history")]
    [InlineData("23503", "foreign-key violation")]
    [InlineData("42501", "permission denied")]
    [InlineData("08006", "cannot connect")]
    [InlineData("08001", "cannot connect")]
    [InlineData("28P01", "authentication failed")]
    public void Common_sqlstates_map_to_a_hint(string sqlState, string expected) =>
        Assert.Contains(expected, PostgresErrorHints.For(sqlState), StringComparison.Ordinal);

    [Fact]
    public async Task A_foreign_key_violation_hint_names_the_table_and_constraint()
    {
        var db = NewDatabaseName();
        Assert.Equal(0, (await RunAsync(db)).ExitCode);
        await using var connection = new NpgsqlConnection(ConnectionString(db));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""
            INSERT INTO "User" ("id", "clerkId", "email", "updatedAt", "organizationId") VALUES ('u1', 'c1', 'a@example.com', now(), 'no_such_org')
            """, connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(Ct));

        var hint = PostgresErrorHints.For(error);

        Assert.Contains("table \"User\"", hint, StringComparison.Ordinal);
        Assert.Contains("constraint \"User_organizationId_fkey\"", hint, StringComparison.Ordinal);
    }
}
