using Clearway.Data.Schema;
using Clearway.Seeding;
using Clearway.Testing.Xunit;
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
        ConnectionString = clearway.Server.ConnectionStringFor(await clearway.Server.CreateDatabaseAsync(cancellationToken: limit.Token));
        App = await TestAppHost.StartAsync(new AppHostOptions { ExternalConnectionString = ConnectionString, ViewsInterval = "1s" }, limit.Token);
        Assert.Equal(0, (await App.WaitForExitAsync("seeder", limit.Token)).Snapshot.ExitCode);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("views", limit.Token);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>The dashboard's database commands, executed as the dashboard does (ResourceCommandService).</summary>
public sealed class DatabaseCommandTests(DatabaseCommandsFixture fixture) : IClassFixture<DatabaseCommandsFixture>
{
    private static readonly TimeSpan CommandLimit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Reseed_with_other_options_runs_the_seeder_again_and_the_database_holds_the_new_plan()
    {
        using var limit = Limit();
        var before = await SeedMarker.ReadAsync(fixture.ConnectionString, limit.Token);

        var result = await ExecuteAsync("seeder", "reseed", limit.Token, ("profile", "tiny"), ("seed", "7"), ("scale", "1"), ("asOf", "2026-01-15"));

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

        var result = await ExecuteAsync("seeder", "reseed", limit.Token, ("profile", "dev"), ("seed", "forty-two"), ("scale", "1"), ("asOf", "2026-01-15"));

        // A text input Aspire itself accepts: only the seeder's rules (SeedOptions) reject it. The dialog shows the
        // reason beside the input (DashboardTests); through the API the command is refused as a whole.
        Assert.False(result.Success);
        Assert.Contains("validation failed", result.Message, StringComparison.Ordinal);
        Assert.Equal(marker, await SeedMarker.ReadAsync(fixture.ConnectionString, limit.Token));
    }

    [Fact]
    public async Task Reset_rolls_everything_back_migrates_and_seeds_again_into_a_verified_database()
    {
        using var limit = Limit();
        await ExecuteSqlAsync("""DELETE FROM "AuditLog" """, limit.Token);
        var seededBefore = (await SeedMarker.ReadAsync(fixture.ConnectionString, limit.Token))!.SeededAtUtc;

        var result = await ExecuteAsync("clearway", "reset-database", limit.Token);

        Assert.True(result.Success, result.Message);
        var database = await SeededDatabase.ReadAsync(fixture.ConnectionString, limit.Token);
        Assert.Equal(5, database.AppliedMigrations.Count);
        Assert.True(database.SeededAt > seededBefore, "the seed was not written again");
        Assert.True(database.Rows.Single(r => r.Table == "AuditLog").Rows > 0, "AuditLog was not seeded again");
    }

    [Fact]
    public async Task Verify_reports_a_dropped_index_by_name()
    {
        using var limit = Limit();
        Assert.True((await ExecuteAsync("clearway", "verify-schema", limit.Token)).Success);

        const string index = "CapitalCall_status_idx";
        var definition = await ScalarAsync<string>($"SELECT pg_get_indexdef('\"{index}\"'::regclass)", limit.Token);
        await ExecuteSqlAsync($"DROP INDEX \"{index}\"", limit.Token);
        try
        {
            var result = await ExecuteAsync("clearway", "verify-schema", limit.Token);

            Assert.False(result.Success);
            Assert.Contains(index, result.Message, StringComparison.Ordinal);
        }
        finally
        {
            await ExecuteSqlAsync(definition, limit.Token);
        }
    }

    [Fact]
    public async Task The_views_worker_keeps_refreshing_and_its_health_says_how_fresh_the_views_are()
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

        var result = await ExecuteAsync("clearway", "refresh-materialized-views", limit.Token);

        Assert.True(result.Success, result.Message);
        Assert.Contains($"{MaterializedViews.MonthlyCallSummary} {calls:N0} rows", result.Message, StringComparison.Ordinal);
        Assert.Contains(MaterializedViews.FundPerformanceSummary, result.Message, StringComparison.Ordinal);
    }

    /// <summary>Waits for a health report of the views worker counting at least <paramref name="minimum"/> refreshes.</summary>
    private async Task<int> HealthyWithRefreshesAsync(int minimum, CancellationToken ct)
    {
        var refreshes = 0;
        await fixture.App.ResourceNotifications.WaitForResourceAsync("views", e =>
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

    private async Task<ExecuteCommandResult> ExecuteAsync(string resource, string command, CancellationToken ct, params (string Name, string Value)[] arguments)
    {
        var service = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        // The command must be enabled first: right after another command, the resources it runs may still be settling.
        await fixture.App.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.Commands.Any(c => c.Name == command && c.State == ResourceCommandState.Enabled), ct);
        if (arguments.Length == 0)
            return await service.ExecuteCommandAsync(resource, command, ct);
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource);
        var declared = model.Annotations.OfType<ResourceCommandAnnotation>().Single(a => a.Name == command).Arguments;
        var inputs = declared.Select(d => new Aspire.Hosting.InteractionInput
        {
            Name = d.Name, InputType = d.InputType, Label = d.Label, Options = d.Options, Required = d.Required,
            Value = arguments.Single(a => a.Name == d.Name).Value,
        }).ToList();
        return await service.ExecuteCommandAsync(resource, command, new Aspire.Hosting.InteractionInputCollection(inputs), ct);
    }

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
