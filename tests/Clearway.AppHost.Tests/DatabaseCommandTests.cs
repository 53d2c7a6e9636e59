using Clearway.Data.Schema;
using Clearway.Seeding;
using Clearway.Testing.Xunit;
using Clearway.Tests.Shared;
using Npgsql;

namespace Clearway.AppHost.Tests;

/// <summary>One AppHost (external mode, views every second) shared by the command tests, which run one after another.</summary>
public sealed class DatabaseCommandsFixture(ClearwayFixture clearway) : IAsyncLifetime
{
    public DistributedApplication App { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var database = clearway.Server.ConnectionStringFor(await clearway.Server.CreateDatabaseAsync(cancellationToken: limit.Token));
        App = await TestAppHost.StartAsync(new AppHostOptions { ExternalConnectionString = database, ViewsInterval = "1s" }, limit.Token);
        // The tests' own sessions, unpooled: a command that puts another database in place ends every session on the old one.
        ConnectionString = new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString;
        Assert.Equal(0, (await App.WaitForExitAsync("seeder", limit.Token)).Snapshot.ExitCode);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("dbmanager", limit.Token);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>The dashboard's database commands, executed as the dashboard does (ResourceCommandService).</summary>
public sealed class DatabaseCommandTests(DatabaseCommandsFixture fixture) : IClassFixture<DatabaseCommandsFixture>
{
    private static readonly TimeSpan CommandLimit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Reseed_with_other_options_puts_a_clone_of_that_recipe_in_place_and_the_database_holds_the_new_plan()
    {
        using var limit = Limit();
        var before = await SeedMarker.ReadAsync(fixture.ConnectionString, limit.Token);

        var result = await ExecuteAsync("dbmanager", "reseed", limit.Token, ("profile", "tiny"), ("seed", "7"), ("scale", "1"), ("asOf", "2026-01-15"));

        Assert.True(result.Success, result.Message);
        var expected = SeedOptions.Parse("tiny", "7", "1", "2026-01-15", reset: false);
        var marker = await SeedMarker.ReadAsync(fixture.ConnectionString, limit.Token);
        Assert.NotEqual(before?.Fingerprint, marker?.Fingerprint);
        Assert.Equal(expected.Fingerprint, marker?.Fingerprint);
        var plan = SeedPlan.For(SeedProfile.Tiny);
        var database = await SeededDatabase.ReadAsync(fixture.ConnectionString, limit.Token);
        foreach (var (table, rows) in database.Rows)
        {
            var planned = plan.Tables.Single(t => t.Name == table);
            if (!planned.IsEstimate)
                Assert.Equal((table, planned.Rows), (table, rows));
        }
    }

    [Fact]
    public async Task Reseed_refuses_bad_input_before_anything_runs()
    {
        using var limit = Limit();
        var marker = await SeedMarker.ReadAsync(fixture.ConnectionString, limit.Token);

        var result = await ExecuteAsync("dbmanager", "reseed", limit.Token, ("profile", "dev"), ("seed", "forty-two"), ("scale", "1"), ("asOf", "2026-01-15"));

        // A text input Aspire itself accepts: only the seeder's rules (SeedOptions) reject it. The dialog shows the
        // reason beside the input (DashboardTests); through the API the command is refused as a whole.
        Assert.False(result.Success);
        Assert.Contains("validation failed", result.Message, StringComparison.Ordinal);
        Assert.Equal(marker, await SeedMarker.ReadAsync(fixture.ConnectionString, limit.Token));
    }

    [Fact]
    public async Task Reset_puts_a_fresh_copy_of_the_default_seed_in_place_of_what_the_app_wrote()
    {
        using var limit = Limit();
        await ExecuteSqlAsync("""DELETE FROM "AuditLog" """, limit.Token);
        var before = await ScalarAsync<uint>("SELECT oid FROM pg_database WHERE datname = current_database()", limit.Token);
        var manager = ManagerPid();
        Assert.NotNull(manager);

        var result = await ExecuteAsync("dbmanager", "reset-database", limit.Token);

        Assert.True(result.Success, result.Message);
        Assert.NotEqual(before, await ScalarAsync<uint>("SELECT oid FROM pg_database WHERE datname = current_database()", limit.Token));
        var database = await SeededDatabase.ReadAsync(fixture.ConnectionString, limit.Token);
        Assert.Equal(5, database.AppliedMigrations.Count);
        Assert.True(database.Rows.Single(r => r.Table == "AuditLog").Rows > 0, "AuditLog was not put back");
        Assert.Equal(SeedOptions.Parse("dev", "42", null, null, reset: false).Recipe, (await SeedMarker.ReadAsync(fixture.ConnectionString, limit.Token))!.Canonical.Split(";as-of=")[0]);

        // The manager's sessions on the old database were ended; it keeps refreshing the new one, in the same process.
        var refreshes = await HealthyWithRefreshesAsync(minimum: 1, limit.Token);
        await HealthyWithRefreshesAsync(minimum: refreshes + 2, limit.Token);
        Assert.Equal(manager, ManagerPid());
    }

    private string? ManagerPid() =>
        fixture.App.ResourceNotifications.TryGetCurrentState("dbmanager", out var e)
            ? e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value?.ToString()
            : null;

    [Fact]
    public async Task Rebuild_rolls_everything_back_migrates_and_seeds_again_as_runs_of_the_real_resources()
    {
        using var limit = Limit();
        await ExecuteSqlAsync("""DELETE FROM "AuditLog" """, limit.Token);
        // The Down of every migration runs, in a run of the migrations resource (its console log says so).
        var reverted = fixture.App.WaitForLineAsync("migrations", line => line.Contains("Reverted InitialSchema", StringComparison.Ordinal), limit.Token);

        var result = await ExecuteAsync("clearway", "rebuild-database", limit.Token);

        Assert.True(result.Success, result.Message);
        await reverted;
        var database = await SeededDatabase.ReadAsync(fixture.ConnectionString, limit.Token);
        Assert.Equal(5, database.AppliedMigrations.Count);
        Assert.True(database.Rows.Single(r => r.Table == "AuditLog").Rows > 0, "AuditLog was not seeded again");
    }

    [Fact]
    public async Task A_snapshot_saved_from_the_dashboard_restores_what_the_app_wrote()
    {
        using var limit = Limit();
        await ExecuteSqlAsync("""DELETE FROM "LegalHold" """, limit.Token);
        var name = "cmd-" + Guid.NewGuid().ToString("N")[..8];

        var saved = await ExecuteAsync("dbmanager", "save-snapshot", limit.Token, ("name", name));
        Assert.True(saved.Success, saved.Message);
        await ExecuteSqlAsync("""DELETE FROM "AuditLog" """, limit.Token);

        var restored = await ExecuteAsync("dbmanager", "restore-snapshot", limit.Token, ("name", name), ("migrate", "true"));

        Assert.True(restored.Success, restored.Message);
        Assert.Equal(0, await ScalarAsync<long>("""SELECT count(*) FROM "LegalHold" """, limit.Token));
        Assert.True(await ScalarAsync<long>("""SELECT count(*) FROM "AuditLog" """, limit.Token) > 0, "AuditLog is not as it was when the snapshot was saved");
    }

    [Fact]
    public async Task Verify_reports_a_dropped_index_by_name()
    {
        using var limit = Limit();
        Assert.True((await ExecuteAsync("dbmanager", "verify-schema", limit.Token)).Success);

        const string index = "CapitalCall_status_idx";
        var definition = await ScalarAsync<string>($"SELECT pg_get_indexdef('\"{index}\"'::regclass)", limit.Token);
        await ExecuteSqlAsync($"DROP INDEX \"{index}\"", limit.Token);
        try
        {
            var result = await ExecuteAsync("dbmanager", "verify-schema", limit.Token);

            Assert.False(result.Success);
            Assert.Contains(index, result.Message, StringComparison.Ordinal);
            // The whole report comes back as the command's result (an HTTP command's answer, no process output parsed).
            Assert.Contains($"error MissingIndex {index}", result.Data?.Value, StringComparison.Ordinal);
        }
        finally
        {
            await ExecuteSqlAsync(definition, limit.Token);
        }
    }

    [Fact]
    public async Task The_database_manager_keeps_refreshing_and_its_health_says_how_fresh_the_views_are()
    {
        using var limit = Limit();
        var first = await HealthyWithRefreshesAsync(minimum: 1, limit.Token);
        var later = await HealthyWithRefreshesAsync(minimum: first + 2, limit.Token);
        Assert.True(later >= first + 2);
    }

    [Fact]
    public async Task Refresh_command_reports_the_rows_of_both_views()
    {
        using var limit = Limit();
        var calls = await ScalarAsync<long>("SELECT count(*) FROM monthly_call_summary", limit.Token);

        var result = await ExecuteAsync("dbmanager", "refresh-materialized-views", limit.Token);

        Assert.True(result.Success, result.Message);
        Assert.Contains($"{MaterializedViews.MonthlyCallSummary} {calls:N0} rows", result.Message, StringComparison.Ordinal);
        Assert.Contains(MaterializedViews.FundPerformanceSummary, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_statistics_and_Index_usage_on_clearway_show_a_burst_with_its_calls_and_an_index_it_never_touched()
    {
        using var limit = Limit();
        var reset = await ExecuteAsync("clearway", "reset-statistics", limit.Token);
        Assert.True(reset.Success, reset.Message);
        await QueryBurst.RunAsync(fixture.ConnectionString, limit.Token);

        var queries = await ExecuteAsync("clearway", "query-statistics", limit.Token);

        Assert.True(queries.Success, queries.Message);
        Assert.StartsWith("Top ", queries.Message, StringComparison.Ordinal);
        var report = queries.Data?.Value ?? "";
        var line = Assert.Single(report.Split('\n'), l => l.TrimEnd().EndsWith(QueryBurst.UserLookup, StringComparison.Ordinal));
        Assert.Equal(QueryBurst.UserLookups.ToString(System.Globalization.CultureInfo.InvariantCulture), line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);

        var indexes = await ExecuteAsync("clearway", "index-usage", limit.Token);
        Assert.True(indexes.Success, indexes.Message);
        Assert.Contains($"  {QueryBurst.UntouchedIndex} ", indexes.Data?.Value, StringComparison.Ordinal);
    }

    /// <summary>Waits for a health report of the database manager counting at least <paramref name="minimum"/> refreshes.</summary>
    private async Task<int> HealthyWithRefreshesAsync(int minimum, CancellationToken ct)
    {
        var refreshes = 0;
        await fixture.App.ResourceNotifications.WaitForResourceAsync("dbmanager", e =>
        {
            var report = e.Snapshot.HealthReports.FirstOrDefault(r => r.Description?.Contains("refreshes", StringComparison.Ordinal) == true);
            if (report?.Status != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                return false;
            var match = System.Text.RegularExpressions.Regex.Match(report.Description!, @"\((\d+) refreshes");
            refreshes = match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            return refreshes >= minimum;
        }, ct);
        return refreshes;
    }

    private Task<ExecuteCommandResult> ExecuteAsync(string resource, string command, CancellationToken ct, params (string Name, string Value)[] arguments) =>
        fixture.App.ExecuteCommandAsync(resource, command, ct, arguments);

    private async Task ExecuteSqlAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync(ct);
#pragma warning disable CA2100 // The tests' own statements.
        await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync(ct);
#pragma warning disable CA2100 // The tests' own statements.
        await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    private static CancellationTokenSource Limit()
    {
        var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(CommandLimit);
        return limit;
    }
}
