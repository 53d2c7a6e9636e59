using Clearway.Data;
using Clearway.Data.Migrator;
using Clearway.Seeding;
using Clearway.Tests.Infrastructure;
using Clearway.Tests.Migrations;
using Clearway.Testing.Xunit;
using Npgsql;

namespace Clearway.Tests.Telemetry;

/// <summary>
/// What the Aspire dashboard will show: each worker runs as a real process against the test PostgreSQL server
/// with OTEL_EXPORTER_OTLP_ENDPOINT at an <see cref="OtlpReceiver"/> (http/protobuf), and its spans, structured
/// logs and metrics arrive under the names the code uses. Export intervals are set far beyond the run, so the
/// data is there at exit only because the worker flushes its exporters on shutdown.
/// </summary>
public sealed class WorkerTelemetryTests(ClearwayFixture fixture) : MigrationTestBase(fixture)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task MigrationService_exports_a_span_and_logs_per_migration_the_migration_metrics_and_Npgsql_spans()
    {
        Assert.Equal(
            ["InitialSchema", "IntegrationExpansionPhase2", "Phase2CompleteSchema", "AddMaterializedViews", "HardenIntegrity"],
            All.Select(m => m.Name));
        await using var receiver = OtlpReceiver.Start();
        var database = NewDatabaseName(); // the worker creates it

        await using (var worker = WorkerProcess.Start(WorkerTelemetryEnvironment.MigrationServiceDll, [],
            WorkerTelemetryEnvironment.For(receiver, "migrations", ConnectionString(database))))
        {
            var exitCode = await worker.WaitForExitAsync(RunLimit, Ct);
            Assert.True(exitCode == 0, $"exit {exitCode}{Environment.NewLine}{worker.Output()}");
        }

        var migratorCategory = typeof(ClearwayMigrator).FullName!;
        foreach (var migration in All)
        {
            var span = await receiver.WaitForAsync<ReceivedSpan>(
                s => s.Scope == DataTelemetry.Name && Equals(s.Attributes.GetValueOrDefault("clearway.migration.name"), migration.Name), Arrival, Ct);
            Assert.Equal($"migration up {migration.Name}", span.Name);
            Assert.Equal(migration.Version, span.Attributes["clearway.migration.version"]);
            Assert.Equal(migration.Id, span.Attributes["clearway.migration.id"]);
            Assert.Equal("up", span.Attributes["clearway.migration.direction"]);
            Assert.IsType<long>(span.Attributes["clearway.migration.statement_count"]);
            Assert.True((long)span.Attributes["clearway.migration.statement_count"]! > 0, $"{migration.Name} ran no statements");
            Assert.Single(receiver.Spans, s => s.Scope == DataTelemetry.Name && s.Name == span.Name);

            var running = await receiver.WaitForAsync<ReceivedLog>(
                l => l.Scope == migratorCategory && Equals(l.Attributes.GetValueOrDefault("Migration"), migration.Name)
                     && Equals(l.Attributes.GetValueOrDefault("Direction"), "up"), Arrival, Ct);
            Assert.Equal(migration.Version, running.Attributes["Version"]);
            Assert.Equal(span.Attributes["clearway.migration.statement_count"], running.Attributes["StatementCount"]);
            Assert.Equal("Information", running.Severity);

            var committed = await receiver.WaitForAsync<ReceivedLog>(
                l => l.Scope == migratorCategory && Equals(l.Attributes.GetValueOrDefault("Migration"), migration.Name)
                     && Equals(l.Attributes.GetValueOrDefault("Verb"), "Applied"), Arrival, Ct);
            Assert.StartsWith($"Applied {migration.Name} ({migration.Version}) committed in ", committed.Body as string, StringComparison.Ordinal);
        }
        Assert.Equal(All.Count, receiver.Spans.Count(s => s.Scope == DataTelemetry.Name && s.Name.StartsWith("migration ", StringComparison.Ordinal)));
        await receiver.WaitForAsync<ReceivedSpan>(s => s.Scope == DataTelemetry.Name && s.Name == "migrate", Arrival, Ct);

        foreach (var instrument in new[] { DataTelemetry.Applied.Name, DataTelemetry.Duration.Name })
            await receiver.WaitForAsync<ReceivedMetric>(m => m.Scope == DataTelemetry.Name && m.Name == instrument, Arrival, Ct);

        var npgsql = await receiver.WaitForAsync<ReceivedSpan>(
            s => s.Scope == "Npgsql" && s.Attributes.Values.OfType<string>().Any(v => v.Contains("__EFMigrationsHistory", StringComparison.Ordinal)), Arrival, Ct);
        Assert.Equal("postgresql", npgsql.Attributes["db.system.name"]);

        Assert.Equal(["migrations"], receiver.ServiceNames);
        Assert.Empty(receiver.Failures);
    }

    [Fact]
    public async Task Seeder_exports_a_span_and_a_log_per_table_with_its_row_count_and_the_rows_written_metric()
    {
        Assert.Equal(28, SeedPlan.TableOrder.Count);
        await using var receiver = OtlpReceiver.Start();
        await using var db = await ClearwayDatabase.CreateEmptyAsync(); // migrated, no rows

        await using (var worker = WorkerProcess.Start(WorkerTelemetryEnvironment.SeederDll, ["--profile", "tiny", "--as-of", "2026-01-15", "--in-place"],
            WorkerTelemetryEnvironment.For(receiver, "seeder", db.ConnectionString)))
        {
            var exitCode = await worker.WaitForExitAsync(RunLimit, Ct);
            Assert.True(exitCode == 0, $"exit {exitCode}{Environment.NewLine}{worker.Output()}");
        }

        var rowsInDatabase = await CountRowsAsync(db.ConnectionString);
        var runnerCategory = typeof(SeedRunner).FullName!;
        foreach (var table in SeedPlan.TableOrder)
        {
            var span = await receiver.WaitForAsync<ReceivedSpan>(
                s => s.Scope == SeedTelemetry.Name && Equals(s.Attributes.GetValueOrDefault("db.table"), table), Arrival, Ct);
            Assert.Equal($"seed {table}", span.Name);
            Assert.Equal(rowsInDatabase[table], span.Attributes["seed.rows"]);
            Assert.True(rowsInDatabase[table] > 0, $"{table} is empty");
            Assert.Single(receiver.Spans, s => s.Scope == SeedTelemetry.Name && s.Name == span.Name);

            var log = await receiver.WaitForAsync<ReceivedLog>(
                l => l.Scope == runnerCategory && Equals(l.Attributes.GetValueOrDefault("Table"), table), Arrival, Ct);
            Assert.Equal(rowsInDatabase[table], log.Attributes["Rows"]);
            Assert.StartsWith($"Seeded table {table}: {rowsInDatabase[table]} rows in ", log.Body as string, StringComparison.Ordinal);
            Assert.Equal("Information", log.Severity);
        }
        Assert.Equal(SeedPlan.TableOrder.Count, receiver.Spans.Count(s => s.Scope == SeedTelemetry.Name && s.Attributes.ContainsKey("db.table")));

        var total = await receiver.WaitForAsync<ReceivedLog>(l => l.Scope == runnerCategory && l.Attributes.ContainsKey("TotalRows"), Arrival, Ct);
        Assert.Equal(rowsInDatabase.Values.Sum(), total.Attributes["TotalRows"]);

        foreach (var instrument in new[] { SeedTelemetry.RowsWritten.Name, SeedTelemetry.TableDuration.Name })
            await receiver.WaitForAsync<ReceivedMetric>(m => m.Scope == SeedTelemetry.Name && m.Name == instrument, Arrival, Ct);

        Assert.Equal(["seeder"], receiver.ServiceNames);
        Assert.Empty(receiver.Failures);
    }

    /// <summary>count(*) of every seeded table, read back from the database.</summary>
    private static async Task<Dictionary<string, long>> CountRowsAsync(string connectionString)
    {
        var sql = string.Join(" UNION ALL ", SeedPlan.TableOrder.Select(t => $"SELECT '{t}', count(*) FROM \"{t}\""));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(Ct))
            counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }
}
