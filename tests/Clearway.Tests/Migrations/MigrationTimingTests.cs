using System.Diagnostics;
using Clearway.Data.Migrator;

namespace Clearway.Tests.Migrations;

/// <summary>Measures migrating an empty database and a re-run, in-process and as the worker process.</summary>
public sealed class MigrationTimingTests(PostgresServerFixture fixture) : MigrationTestBase(fixture)
{
    [Fact]
    public async Task Time_to_migrate_an_empty_database_and_to_re_run()
    {
        var db = NewDatabaseName();
        var migrator = new ClearwayMigrator(new MigratorOptions { ConnectionString = ConnectionString(db), EnvironmentName = "Development" });

        var clock = Stopwatch.StartNew();
        var first = await migrator.MigrateAsync(Ct);
        var emptyToDone = clock.Elapsed;
        clock.Restart();
        var second = await migrator.MigrateAsync(Ct);
        var rerun = clock.Elapsed;

        Assert.Equal(All.Count, first.Applied.Count);
        Assert.Empty(second.Applied);

        var processDb = NewDatabaseName();
        var processFirst = await RunAsync(processDb);
        var processRerun = await RunAsync(processDb);
        Assert.Equal(0, processFirst.ExitCode);
        Assert.Equal(0, processRerun.ExitCode);

        var line = $"migrate timings: in-process empty->all {All.Count} {emptyToDone.TotalMilliseconds:0} ms " +
            $"({string.Join(", ", first.Applied.Select(a => $"{a.Migration.Name} {a.Duration.TotalMilliseconds:0} ms/{a.StatementCount} stmts"))}), " +
            $"re-run {rerun.TotalMilliseconds:0} ms; worker process empty {processFirst.Elapsed.TotalMilliseconds:0} ms, re-run {processRerun.Elapsed.TotalMilliseconds:0} ms";
        TestContext.Current.SendDiagnosticMessage(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
    }
}
